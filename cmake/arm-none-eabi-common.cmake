# Shared by the Cortex-M toolchain files: firmware flags and the QEMU runner.
set(CMAKE_C_FLAGS_INIT "${CTNN_CPU_FLAGS} -ffunction-sections -fdata-sections")
# -ffp-contract=off: without it g++ fuses a*b+c into one vfma (GNU mode's default), and outputs
# differ from the host's by up to 1e-6 relative where the sigmoid saturates (measured with
# examples/firmware_inference); with it, target and host outputs are bit-identical.
set(CMAKE_CXX_FLAGS_INIT
    "${CTNN_CPU_FLAGS} -ffunction-sections -fdata-sections -fno-exceptions -fno-rtti -fno-threadsafe-statics -ffp-contract=off")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${CTNN_CPU_FLAGS} --specs=nano.specs --specs=nosys.specs -nostartfiles -Wl,--gc-sections")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_CROSSCOMPILING_EMULATOR
    qemu-system-arm -M ${CTNN_QEMU_MACHINE} -nographic -semihosting-config enable=on,target=native -kernel)
