# Cross toolchain: Debian's arm-none-eabi-gcc 12 + newlib, Cortex-M4F with hard float.
# ctest runs the target programs under qemu-system-arm (board mps2-an386) with semihosting;
# a program's exit code is qemu's.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)  # compiler checks cannot link without startup code

set(CTNN_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16" CACHE STRING "")
set(CTNN_QEMU_MACHINE mps2-an386 CACHE STRING "")
include(${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi-common.cmake)
