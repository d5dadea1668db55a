# Runs COMMAND (a list); passes if it exits 0, its output matches every regex in EXPECT,
# and every file in FILES exists afterwards. Used where ctest's PASS_REGULAR_EXPRESSION,
# which ignores the exit code and accepts any one of its regexes, is too weak.
execute_process(COMMAND ${COMMAND} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit code ${rc}")
endif()
foreach(regex IN LISTS EXPECT)
  if(NOT out MATCHES "${regex}")
    message(FATAL_ERROR "output does not match: ${regex}")
  endif()
endforeach()
foreach(file IN LISTS FILES)
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "not written: ${file}")
  endif()
endforeach()
