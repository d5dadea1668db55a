#!/usr/bin/env python3
"""Prints ctnn_bench's results as a markdown table: ns per sample for ctnn and each baseline, and their ratios.

Usage:
    ctnn_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \\
               --benchmark_out=bench.json --benchmark_out_format=json
    python3 bench/compare.py bench.json        # or: ctnn_bench --benchmark_format=json | compare.py

Benchmarks are named workload/topology/implementation. With repetitions, the median aggregate
is used (or the median of the repetitions when only those were written). ns per sample comes
from items_per_second, i.e. from CPU time, which another process on a shared core does not inflate.
A ratio above 1 means ctnn is faster than that baseline.
"""

import json
import math
import statistics
import sys

IMPLEMENTATIONS = [("ctnn", "ctnn"), ("eigen", "Eigen"), ("fann", "FANN"), ("naive", "naive")]
BASELINES = IMPLEMENTATIONS[1:]
WORKLOAD_ORDER = ["forward", "train_step", "train_step_fused", "batched_inference", "reference_workload"]
TO_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


def load(path):
    """Returns the parsed JSON of a file, or of stdin for '-' or no path."""
    if path in (None, "-"):
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def medians(benchmarks):
    """Returns {run_name: {field: value}}, each field the median over repetitions, in first-seen order."""
    aggregated, repeated = {}, {}
    for b in benchmarks:
        name = b.get("run_name", b["name"])
        if b.get("error_occurred"):
            continue
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                aggregated[name] = b
        else:
            repeated.setdefault(name, []).append(b)
    result = {}
    for name in dict.fromkeys(list(repeated) + list(aggregated)):
        if name in aggregated:
            result[name] = aggregated[name]
            continue
        runs = repeated[name]
        fields = {k for r in runs for k, v in r.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        merged = dict(runs[0])
        for k in fields:
            merged[k] = statistics.median(r[k] for r in runs if k in r)
        result[name] = merged
    return result


def ns_per_sample(b):
    rate = b.get("items_per_second")
    return 1e9 / rate if rate else None


def fmt_ns(ns):
    if ns is None:
        return "—"
    if ns >= 1000:
        return f"{ns:,.0f}"
    if ns >= 100:
        return f"{ns:.0f}"
    if ns >= 10:
        return f"{ns:.1f}"
    return f"{ns:.2f}"


def fmt_ratio(baseline, ctnn):
    if baseline is None or ctnn is None:
        return "—"
    r = baseline / ctnn
    return f"{r:,.0f}×" if r >= 10 else f"{r:.2f}×"


def fmt_rate(b, peak_gflops):
    """Returns 'GFLOP/s (percent of peak)' for one benchmark. The percentage is taken against the
    peak printed above the table, so the two agree; the binary's own peak_fraction counter uses
    the best peak seen so far in the run instead."""
    if b is None or "GFLOP/s" not in b:
        return "—"
    text = f"{b['GFLOP/s']:.1f}"
    if peak_gflops:
        text += f" ({100 * b['GFLOP/s'] / peak_gflops:.1f}%)"
    elif "peak_fraction" in b:
        text += f" ({100 * b['peak_fraction']:.1f}%)"
    return text


def time_ns(b):
    """Returns one iteration's CPU time in ns."""
    return b["cpu_time"] * TO_MS.get(b.get("time_unit", "ns"), 1e-6) * 1e6


def print_memory_bounds(pass_rows, rows):
    """Prints each network's forward pass and fused step beside a pass over as many bytes as its
    parameters: read once (what a forward pass must do), and read and written once (what the update
    adds). Where the parameters outgrow L1, these passes show how close the kernels come to the cache's
    bandwidth."""
    print("\n### Passes over memory the size of the parameters: ns, and the kernels' time over them\n")
    print("| topology | bytes | read | read + write | forward: ctnn, Eigen | ctnn / read "
          "| fused step: ctnn, Eigen | ctnn / (read + read and write) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for topology, passes in pass_rows.items():
        read, update = passes.get("read"), passes.get("update")
        if not (read or update):
            continue
        read_ns = time_ns(read) if read else None
        update_ns = time_ns(update) if update else None
        cells = [topology.replace("_", " "), f"{int((read or update)['bytes']):,}", fmt_ns(read_ns), fmt_ns(update_ns)]
        for workload, bound in (("forward", read_ns),
                                ("train_step_fused", read_ns + update_ns if read_ns and update_ns else None)):
            impls = rows.get((workload, topology), {})
            ctnn_ns = ns_per_sample(impls["ctnn"]) if "ctnn" in impls else None
            eigen_ns = ns_per_sample(impls["eigen"]) if "eigen" in impls else None
            cells.append(f"{fmt_ns(ctnn_ns)}, {fmt_ns(eigen_ns)}")
            cells.append(f"{ctnn_ns / bound:.2f}×" if ctnn_ns and bound else "—")
        print("| " + " | ".join(cells) + " |")
    print("\nread: one pass summing the values in the CPU's widest vectors; read + write: one pass rewriting "
          "each value, as a descent step does. A forward pass reads every parameter once, the fused step "
          "once more and writes it once.")


# The speed issue's targets, each a ratio to a baseline in the same run: (workload, topology's
# prefix, baseline, at least). A training step is ctnn's fastest, forward + descend
# (train_step_fused), where the binary has it.
RATIO_TARGETS = [("forward", "T1_", "eigen", 1.5), ("forward", "T2_", "eigen", 1.5), ("forward", "T3_", "eigen", 1.2),
                 ("train_step_fused", "T1_", "eigen", 2.0), ("train_step_fused", "T2_", "eigen", 2.0),
                 ("train_step_fused", "T3_", "eigen", 2.0),
                 ("reference_workload", "T1_", "eigen", 2.0), ("reference_workload", "T1_", "naive", 20.0)]
BATCHED_PEAK_FRACTION = 0.5  # T3's batched inference, of the peak measured in the same run


def row_of(rows, workload, prefix):
    """Returns (topology, {implementation: benchmark}) of the first row of workload on a topology
    named with prefix, else (None, {})."""
    for (w, topology), impls in rows.items():
        if w == workload and topology.startswith(prefix):
            return topology, impls
    return None, {}


def rounded_down(value, decimals):
    """Returns value with the given decimals, rounded down: a figure short of its target never
    prints as the target (1.999 as 1.99, not 2.00). The small addend keeps 19.96, stored as
    19.9599..., at 19.96."""
    scale = 10 ** decimals
    return f"{math.floor(value * scale + 1e-9) / scale:.{decimals}f}"


def print_targets(rows, peak_gflops):
    """Prints each of the speed issue's targets with this run's figure and whether it is met. The
    ratios are medians of repetitions run in the same minutes, and still a figure within several
    percent of its target can fall either side in another run; they are printed to two decimals,
    rounded down, so that a figure just short of its target does not read as the target itself."""
    print("\n### The speed issue's targets in this run\n")
    print("| target | topology | this run | met |")
    print("| --- | --- | ---: | --- |")
    labels = dict(IMPLEMENTATIONS)
    for workload, prefix, baseline, least in RATIO_TARGETS:
        topology, impls = row_of(rows, workload, prefix)
        what = workload
        if workload == "train_step_fused" and topology is None:
            topology, impls = row_of(rows, "train_step", prefix)
            what = "train_step (backward + sgd: this binary has no fused step)"
        if topology is None:
            print(f"| {workload}: {labels[baseline]}/ctnn ≥ {least:g}× | {prefix[:-1]} | — | not measured (no such row in this run) |")
            continue
        ctnn_ns = ns_per_sample(impls["ctnn"]) if "ctnn" in impls else None
        base_ns = ns_per_sample(impls[baseline]) if baseline in impls else None
        if ctnn_ns and base_ns:
            figure = f"{rounded_down(base_ns / ctnn_ns, 2)}×"
            met = "**yes**" if base_ns / ctnn_ns >= least else "no"
        elif not base_ns:
            figure, met = "—", f"not measured (no {labels[baseline]} row in this run)"
        else:
            figure, met = "—", "not measured (no ctnn row in this run)"
        print(f"| {what}: {labels[baseline]}/ctnn ≥ {least:g}× | {topology.replace('_', ' ')} | {figure} | {met} |")
    topology, impls = row_of(rows, "batched_inference", "T3_")
    batched = impls.get("ctnn")
    target = f"batched_inference: ctnn ≥ {100 * BATCHED_PEAK_FRACTION:.0f}% of the peak"
    if batched and "GFLOP/s" in batched and peak_gflops:
        fraction = batched["GFLOP/s"] / peak_gflops
        met = "**yes**" if fraction >= BATCHED_PEAK_FRACTION else "no"
        print(f"| {target} | {topology.replace('_', ' ')} | {rounded_down(100 * fraction, 1)}% | {met} |")
    else:
        print(f"| {target} | 64-128-128-10 | — | not measured (no batched row or no peak in this run) |")
    print("\nThe compile-time target (examples grow by at most 25%) is measured apart: "
          "tools/compare_compile_times.sh.")


def main(argv):
    data = load(argv[1] if len(argv) > 1 else None)
    context = data.get("context", {})
    results = medians(data["benchmarks"])

    rows = {}  # (workload, topology) -> {implementation: benchmark}
    peak = None
    repetitions = 1
    for name, b in results.items():
        parts = name.split("/")
        if len(parts) != 3:
            continue
        workload, topology, implementation = parts
        repetitions = max(repetitions, int(b.get("repetitions", 1)))
        if workload == "peak":
            peak = b
            continue
        rows.setdefault((workload, topology), {})[implementation] = b
    # Interleaved repetitions come in random order: the tables go by workload, then topology, and
    # each row's implementations in the order of IMPLEMENTATIONS (a variant's in name order).
    rank = {key: n for n, (key, _) in enumerate(IMPLEMENTATIONS)}
    rows = {k: dict(sorted(rows[k].items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))
            for k in sorted(rows, key=lambda k: (WORKLOAD_ORDER.index(k[0]) if k[0] in WORKLOAD_ORDER
                                                 else len(WORKLOAD_ORDER), k))}

    peak_gflops = peak.get("GFLOP/s") if peak else None
    if peak_gflops is None and "fp32_peak_gflops_at_start" in context:
        peak_gflops = float(context["fp32_peak_gflops_at_start"])

    print(f"### ctnn against baselines: ns per sample, median of {repetitions} repetition(s), lower is better\n")
    facts = [f"CPU: {context.get('cpu_model', 'unknown')} ({context.get('num_cpus', '?')} cores visible)",
             f"build: {context.get('build', 'unknown')}"]
    if peak_gflops:
        label = f" ({peak.get('label')})" if peak and peak.get("label") else ""
        facts.append(f"one core's FP32 peak, measured by an FMA loop{label}: {peak_gflops:.1f} GFLOP/s "
                     "(median; the percentages below are of this figure)")
    if "fann_hidden_activation" in context:
        facts.append(f"FANN hidden activation: {context['fann_hidden_activation']}")
    for fact in facts:
        print(f"- {fact}")
    print()

    print("| workload | topology | " + " | ".join(label for _, label in IMPLEMENTATIONS) + " | "
          + " | ".join(f"{label}/ctnn" for _, label in BASELINES) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in IMPLEMENTATIONS + BASELINES) + " |")
    pass_rows = {k[1]: v for k, v in rows.items() if k[0] == "params_pass"}
    rows = {k: v for k, v in rows.items() if k[0] != "params_pass"}
    variant_rows = {k: v for k, v in rows.items() if not set(v) & {key for key, _ in IMPLEMENTATIONS}}
    rows = {k: v for k, v in rows.items() if k not in variant_rows}
    for (workload, topology), impls in rows.items():
        ns = {key: ns_per_sample(impls[key]) if key in impls else None for key, _ in IMPLEMENTATIONS}
        cells = [fmt_ns(ns[key]) for key, _ in IMPLEMENTATIONS]
        cells += [fmt_ratio(ns[key], ns["ctnn"]) for key, _ in BASELINES]
        print(f"| {workload} | {topology.replace('_', ' ')} | " + " | ".join(cells) + " |")
    print("\nreference_workload: ns per sample-epoch (10,000 samples × 50 epochs per run). "
          "A ratio above 1: ctnn is faster.\n")

    print("### GFLOP/s (percent of the measured peak)\n")
    print("| workload | topology | " + " | ".join(label for _, label in IMPLEMENTATIONS) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in IMPLEMENTATIONS) + " |")
    for (workload, topology), impls in rows.items():
        print(f"| {workload} | {topology.replace('_', ' ')} | "
              + " | ".join(fmt_rate(impls.get(key), peak_gflops) for key, _ in IMPLEMENTATIONS) + " |")

    workload_rows = {k: v for k, v in rows.items() if k[0] == "reference_workload"}
    if workload_rows:
        print("\n### The reference workload: ms per run (CPU time), final cost and accuracy\n")
        print("| implementation | ms per run | cost | accuracy |")
        print("| --- | ---: | ---: | ---: |")
        for (_, _), impls in workload_rows.items():
            for key, label in IMPLEMENTATIONS:
                b = impls.get(key)
                if b is None:
                    continue
                ms = b["cpu_time"] * TO_MS.get(b.get("time_unit", "ns"), 1e-6)
                cost = f"{b['cost']:.4f}" if "cost" in b else (f"MSE {b['mse']:.4f}" if "mse" in b else "—")
                accuracy = f"{b['accuracy']:.4f}" if "accuracy" in b else "—"
                print(f"| {label} | {ms:.1f} | {cost} | {accuracy} |")
    if pass_rows:
        print_memory_bounds(pass_rows, rows)
    if variant_rows:
        print("\n### ctnn against itself: ns per sample of each variant, and its cost over the first\n")
        print("| workload | topology | variant | ns per sample | / first |")
        print("| --- | --- | --- | ---: | ---: |")
        for (workload, topology), impls in variant_rows.items():
            first = ns_per_sample(next(iter(impls.values())))
            for variant, b in impls.items():
                ns = ns_per_sample(b)
                ratio = f"{ns / first:.2f}×" if ns and first else "—"
                print(f"| {workload} | {topology.replace('_', ' ')} | {variant} | {fmt_ns(ns)} | {ratio} |")
    print_targets(rows, peak_gflops)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
