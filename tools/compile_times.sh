#!/usr/bin/env bash
# Prints the README's compile-time table: the wall time of compiling each host example's
# main.cpp alone (g++ -O2 -std=c++20, one job, best of 3), on this machine.
# Usage: tools/compile_times.sh [compiler]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxx=${1:-g++}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "| example | compile time ($cxx -O2, best of 3) |"
echo "| --- | --- |"
for example in quick_start blobs compile_time_xor firmware_training; do
  flags=(-std=c++20 -O2 -I"$root/include" -I"$root/firmware" -c "$root/examples/$example/main.cpp" -o "$out/main.o")
  [ "$example" = compile_time_xor ] && flags+=(-fconstexpr-ops-limit=1000000000)
  [ "$example" = compile_time_xor ] && [[ "$cxx" == clang* ]] && flags=("${flags[@]/-fconstexpr-ops-limit=1000000000/-fconstexpr-steps=1000000000}")
  best=0
  for _ in 1 2 3; do
    start=$(date +%s%N)
    "$cxx" "${flags[@]}"
    t=$(( ($(date +%s%N) - start) / 10000000 ))  # hundredths of a second
    if [ "$best" = 0 ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  printf '| %s | %d.%02d s |\n' "$example" $((best / 100)) $((best % 100))
done
