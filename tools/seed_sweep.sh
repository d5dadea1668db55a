#!/usr/bin/env bash
# README's convergence figures, over data seeds 1 to N (default 1000; takes about a minute):
#   1. the reference's own settings (tools/reference_settings.cpp);
#   2. the demo as shipped, `blobs --seed s` (weights from the fixed --init-seed 1): how many
#      reach training and held-out accuracy 1.0000, and the first epoch whose accuracy is 1.0000;
#   3. the demo with the weights drawn by the seed too, `blobs --seed s --init-seed s`.
# Usage, from anywhere: bash tools/seed_sweep.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-1000}

cmake --preset demo > /dev/null
cmake --build build/demo --target blobs > /dev/null
g++ -std=c++20 -O2 -Iinclude tools/reference_settings.cpp -o build/demo/reference_settings
build/demo/reference_settings "$seeds"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sweep() {  # $1: a label; then blobs' flags, where SEED stands for the seed
  local label=$1
  shift
  for ((s = 1; s <= seeds; ++s)); do
    build/demo/examples/blobs/blobs "${@//SEED/$s}" --out "$out" || true  # a failed run counts as not converged
  done | awk -v label="$label" -v seeds="$seeds" '
    $1 == "epoch" && $2 == 1 { seen = 0 }  # a new run (one that failed printed no accuracy lines)
    $1 == "epoch" && $6 == "1.0000" && !seen { seen = 1; first = $2 + 0
      if (lo == "" || first < lo) lo = first; if (first > hi) hi = first }
    $1 == "training" { train_ok += ($3 == "1.0000") }
    $1 == "held-out" { held_ok += ($3 == "1.0000"); both += (last_train == "1.0000" && $3 == "1.0000") }
    $1 == "training" { last_train = $3 }
    END { printf "%s, seeds 1 to %d: training accuracy 1.0000 for %d, held-out 1.0000 for %d, both for %d; " \
                 "first epoch at accuracy 1.0000 between %s and %s\n", label, seeds, train_ok, held_ok, both, lo, hi }'
}
sweep "demo (--seed s)" --seed SEED
sweep "demo with the weights drawn by the seed (--seed s --init-seed s)" --seed SEED --init-seed SEED
