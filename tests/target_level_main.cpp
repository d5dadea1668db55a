// The kernel tests built for one x86-64 level (CTNN_TARGET_FEATURE names its widest feature):
// dense.hpp picks its vector widths and kernels from the target, so the default build (SSE2)
// never runs the AVX and AVX-512 ones. Exits with 77, which ctest reports as skipped, on a CPU
// without that level.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports(CTNN_TARGET_FEATURE)) {
    std::printf("skipped: this CPU has no %s\n", CTNN_TARGET_FEATURE);
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
