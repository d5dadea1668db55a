#!/usr/bin/env python3
"""Runs bench binaries in turn, ROUNDS rounds of --benchmark_repetitions=3 each, and prints each
benchmark's minimum and median CPU time over the repetitions (in its own time unit, ns for most),
per binary. Taking the binaries in turn keeps a
shared machine's drift out of the comparison, which separate runs do not.

Usage: tools/alternate_bench.py FILTER ROUNDS BINARY...
  e.g. tools/alternate_bench.py 'forward/T3.*/(ctnn|eigen)$' 3 /tmp/before/ctnn_bench build/bench/bench/ctnn_bench
"""
import collections
import json
import statistics
import subprocess
import sys

pattern, rounds, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
times = collections.defaultdict(list)  # (benchmark, binary) -> CPU ns of each repetition
for _ in range(rounds):
    for binary in binaries:
        out = subprocess.run([binary, f"--benchmark_filter={pattern}", "--benchmark_repetitions=3",
                              "--benchmark_format=json"], capture_output=True, text=True, check=True).stdout
        for b in json.loads(out)["benchmarks"]:
            if b.get("run_type") == "iteration":
                times[(b["run_name"], binary)].append(b["cpu_time"])
for name in sorted({name for name, _ in times}):
    print(name, "  ".join(f"{binary}: min {min(times[(name, binary)]):.0f} median "
                          f"{statistics.median(times[(name, binary)]):.0f}" for binary in binaries))
