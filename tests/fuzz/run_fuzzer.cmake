# Runs a libFuzzer target for a bounded time on a scratch copy of its committed seed corpus:
#   cmake -DFUZZER=path -DSEEDS=dir -DWORK=dir -DSECONDS=n -P run_fuzzer.cmake
# New inputs the fuzzer finds go to WORK/corpus (never into the source tree); a crash, leak or
# sanitizer report is saved under WORK/ and fails the test. The final statistics are printed.
foreach(var FUZZER SEEDS WORK SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzzer.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}/corpus")
file(MAKE_DIRECTORY "${WORK}/corpus")
file(GLOB seeds "${SEEDS}/*")
file(COPY ${seeds} DESTINATION "${WORK}/corpus")
execute_process(COMMAND "${FUZZER}" -max_total_time=${SECONDS} -print_final_stats=1 -timeout=10
                        -rss_limit_mb=2048 -artifact_prefix=${WORK}/ "${WORK}/corpus"
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${result}); the input that failed is saved in ${WORK}/")
endif()
