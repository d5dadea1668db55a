#!/usr/bin/env bash
# Compares the compile time of one example across source trees (checkouts of this repository):
# compiles its main.cpp as tools/compile_times.sh does, the arguments in turn, ROUNDS times
# (default 7), and prints each argument's best, the later ones also as growth over the first's.
# Taking them in turn keeps a shared machine's drift out of the comparison, which separate runs of
# compile_times.sh do not. An argument is a tree, or
# tree=FLAGS: that tree compiled with FLAGS added (split at spaces), e.g. .=-DCTNN_PLAIN_KERNELS,
# to compare a tree with and without a macro in one run (an existing directory is always a tree,
# even with a '=' in its path).
# Usage: [ROUNDS=n] tools/compare_compile_times.sh example tree[=FLAGS]...
#   e.g. ROUNDS=9 tools/compare_compile_times.sh quick_start /tmp/before . .=-DCTNN_PLAIN_KERNELS
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: [ROUNDS=n] $0 example tree[=FLAGS]..." >&2
  exit 2
fi
example=$1
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A best
for _ in $(seq "${ROUNDS:-7}"); do
  for variant in "$@"; do
    tree=$variant
    extra=()
    if [ ! -d "$variant" ] && [[ "$variant" == *=* ]]; then
      tree=${variant%%=*}
      read -r -a extra <<< "${variant#*=}"
    fi
    flags=(-std=c++20 -O2 "${extra[@]}" -I"$tree/include" -I"$tree/firmware" -c "$tree/examples/$example/main.cpp" -o "$out/main.o")
    [ "$example" = compile_time_xor ] && flags+=(-fconstexpr-ops-limit=1000000000)
    start=$(date +%s%N)
    g++ "${flags[@]}"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ -z "${best[$variant]:-}" ] || [ "$ms" -lt "${best[$variant]}" ]; then best[$variant]=$ms; fi
  done
done
# Each after the first also as growth over the first, to a tenth of a percent (the speed issue
# allows the examples +25%: rounding down would call +25.9% met).
first=${best[$1]}
for variant in "$@"; do
  growth=""
  if [ "$variant" != "$1" ]; then
    growth=" ($(awk -v b="${best[$variant]}" -v f="$first" 'BEGIN { printf "%+.1f", 100 * (b - f) / f }')% over $1)"
  fi
  echo "$example $variant ${best[$variant]} ms$growth"
done
