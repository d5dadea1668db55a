# Cross toolchain: Debian's arm-none-eabi-gcc 12 + newlib, Cortex-M3: no FPU, soft float.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CTNN_CPU_FLAGS "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft" CACHE STRING "")
set(CTNN_QEMU_MACHINE mps2-an385 CACHE STRING "")
include(${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi-common.cmake)
