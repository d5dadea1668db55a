#!/usr/bin/env bash
# Prints the README's firmware table: code size of ctnn on a Cortex-M4F at -Os (each variant
# minus a baseline build without a network), stack use of predict and of a training step
# (measured on the emulated target by painting the stack), and the constexpr RAM figures.
# Needs: gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm.
# Usage: firmware/figures.sh [build-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:-$root/build/firmware-figures}
mkdir -p "$out/boost-only"
ln -sfn /usr/include/boost "$out/boost-only/boost"  # the cross compiler must not see the host's /usr/include

cpu="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -ffp-contract=off"  # as cmake/arm-none-eabi-common.cmake
build() {  # name, net, train
  arm-none-eabi-g++ $cpu -Os -std=c++20 -fno-exceptions -fno-rtti -fno-threadsafe-statics \
    -ffunction-sections -fdata-sections -I"$root/include" -isystem "$out/boost-only" -I"$here" \
    -DCTNN_PROBE_NET="$2" -DCTNN_PROBE_TRAIN="$3" "$here/size_probe.cpp" "$here/startup.cpp" \
    -nostartfiles --specs=nano.specs --specs=nosys.specs -T "$here/cortex-m.ld" -Wl,--gc-sections \
    -o "$out/$1.elf"
}
run() { timeout -k 2 20 qemu-system-arm -M mps2-an386 -nographic -semihosting-config enable=on,target=native -kernel "$out/$1.elf" 2>&1; }
sizes() { arm-none-eabi-size "$out/$1.elf" | awk 'NR==2 {print $1, $2, $3}'; }
field() { grep "^$2 " <<<"$1" | awk '{print $NF}'; }
symbol_size() {  # elf, symbol name suffix
  echo $((16#$(arm-none-eabi-nm -S "$out/$1.elf" | awk -v s="$2" 'substr($4, length($4) - length(s) + 1) == s {print $2}')))
}

build baseline 0 0
read -r base_text base_data base_bss < <(sizes baseline)

echo "| network | build | code (.text) | weights in flash | .data | .bss | predict stack | training-step stack | params (constexpr) | training workspace (constexpr) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for net in 1 2; do
  name=$([ "$net" = 1 ] && echo "3-5-3-1" || echo "16-32-32-1")
  for train in 0 1; do
    variant="net${net}_train${train}"
    build "$variant" "$net" "$train"
    output=$(run "$variant")
    read -r text data bss < <(sizes "$variant")
    params=$(field "$output" "params bytes")
    # .text also holds read-only data: the probe's sample inputs, and the weights when they are constexpr.
    samples=$(symbol_size "$variant" "7samplesE")
    flash_weights=$([ "$train" = 1 ] && echo 0 || echo "$params")
    code=$((text - base_text - samples - flash_weights))
    what=$([ "$train" = 1 ] && echo "inference + training" || echo "inference")
    tstack=$([ "$train" = 1 ] && echo "$(field "$output" "train step stack") B" || echo "—")
    work=$([ "$train" = 1 ] && echo "$(field "$output" "workspace bytes") B" || echo "—")
    echo "| $name | $what | $code B | $flash_weights B | +$((data - base_data)) B | +$((bss - base_bss)) B |" \
         "$(field "$output" "predict stack") B | $tstack | $params B | $work |"
  done
done
echo
echo "Cortex-M4F, arm-none-eabi-g++ $(arm-none-eabi-g++ -dumpversion) -Os, newlib-nano. Code: .text minus a build of the same"
echo "program without a network ($base_text B), minus the probe's sample data and the weights (shown apart); exp and log"
echo "are ctnn's own (math.hpp), no libm call. .data/.bss: the difference to that build (training keeps the weights in"
echo "RAM, initialised from flash). Stack: high-water mark of the call, measured under QEMU by painting the stack."
