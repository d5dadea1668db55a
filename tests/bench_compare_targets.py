#!/usr/bin/env python3
"""Checks bench/compare.py's table of the speed issue's targets on made-up results: which rows it
reads, the ratio's direction, the threshold (a ratio just short of it must print as short of
it), the fallback to train_step, and the rows it cannot measure.

Usage: bench_compare_targets.py path/to/bench/compare.py
"""
import contextlib
import importlib.util
import io
import json
import os
import sys
import tempfile


def median(name, ns, **counters):
    """One benchmark's median aggregate, as ctnn_bench writes it: ns per sample as items_per_second."""
    return {"name": name + "_median", "run_name": name, "run_type": "aggregate", "aggregate_name": "median",
            "repetitions": 9, "cpu_time": ns, "time_unit": "ns", "items_per_second": 1e9 / ns, **counters}


BENCHMARKS = [
    median("peak/fp32_fma/cpu", 1.0, **{"GFLOP/s": 100.0}),
    median("forward/T1_3-5-3-1/ctnn", 10.0),
    median("forward/T1_3-5-3-1/eigen", 14.9),  # 1.49x: short of 1.5x, and must not print as 1.5
    median("forward/T2_16-32-32-1/ctnn", 10.0),
    median("forward/T2_16-32-32-1/eigen", 15.0),  # exactly 1.5x: met
    median("forward/T3_64-128-128-10/ctnn", 100.0),  # no Eigen row
    median("train_step/T1_3-5-3-1/ctnn", 40.0),  # no fused step for T1: train_step is used
    median("train_step/T1_3-5-3-1/eigen", 100.0),
    median("train_step_fused/T3_64-128-128-10/ctnn", 1000.0),
    median("train_step_fused/T3_64-128-128-10/eigen", 1999.0),  # 1.999x: not met, and must not print as 2.00
    median("reference_workload/T1_3-5-3-1/ctnn", 10.0),
    median("reference_workload/T1_3-5-3-1/eigen", 30.0),
    median("reference_workload/T1_3-5-3-1/naive", 199.6),  # 19.96x: not met
    median("batched_inference/T3_64-128-128-10/ctnn", 500.0, **{"GFLOP/s": 50.0}),  # 50% of the peak: met
]

EXPECTED = [
    "| forward: Eigen/ctnn ≥ 1.5× | T1 3-5-3-1 | 1.49× | no |",
    "| forward: Eigen/ctnn ≥ 1.5× | T2 16-32-32-1 | 1.50× | **yes** |",
    "| forward: Eigen/ctnn ≥ 1.2× | T3 64-128-128-10 | — | not measured (no Eigen row in this run) |",
    "| train_step (backward + sgd: this binary has no fused step): Eigen/ctnn ≥ 2× | T1 3-5-3-1 | 2.50× | **yes** |",
    "| train_step_fused: Eigen/ctnn ≥ 2× | T2 | — | not measured (no such row in this run) |",
    "| train_step_fused: Eigen/ctnn ≥ 2× | T3 64-128-128-10 | 1.99× | no |",
    "| reference_workload: Eigen/ctnn ≥ 2× | T1 3-5-3-1 | 3.00× | **yes** |",
    "| reference_workload: naive/ctnn ≥ 20× | T1 3-5-3-1 | 19.96× | no |",
    "| batched_inference: ctnn ≥ 50% of the peak | T3 64-128-128-10 | 50.0% | **yes** |",
]


def main(argv):
    spec = importlib.util.spec_from_file_location("compare", argv[1])
    compare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compare)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"context": {}, "benchmarks": BENCHMARKS}, f)
    try:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            compare.main(["compare.py", f.name])
    finally:
        os.unlink(f.name)
    table = out.getvalue().split("### The speed issue's targets in this run")[-1]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    if rows != EXPECTED:
        print("targets table differs from the expected one:", file=sys.stderr)
        for got, want in zip(rows + [""] * len(EXPECTED), EXPECTED + [""] * len(rows)):
            print(("   " if got == want else "!! ") + f"got  {got}\n   want {want}", file=sys.stderr)
        return 1
    print(f"{len(rows)} target rows as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
