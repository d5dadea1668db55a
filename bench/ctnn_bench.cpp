// bench/ctnn_bench.cpp - ctnn against a hand-written Eigen network, FANN and the naive reference, in one run.
//
// Every benchmark is named workload/topology/implementation, so compare.py can put the
// implementations side by side. Registered in this order (which a run keeps unless it interleaves
// repetitions at random, as the bench workflows do: bench/README.md): the FP32 FMA peak, one pass
// over memory the size of each network's parameters (read, and read and written: what the forward
// pass and the fused step must move), then forward, train_step, train_step_fused (where this ctnn
// has network::descend), batched_inference, reference_workload and train_guard (ctnn alone), the
// implementations of one workload and topology next to each other. Before any of that, main
// measures the peak once (each benchmark's peak_fraction counter divides by the best peak measured
// so far; compare.py divides by the peak benchmark's median instead) and checks that ctnn, Eigen and
// the naive implementation compute the same outputs and the same parameter updates from the same
// weights, and stops if not.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <ctnn/ctnn.hpp>

#include "measure.hpp"
#include "topology.hpp"

#ifdef CTNN_BENCH_HAVE_EIGEN
#include "baseline_eigen.hpp"
#endif
#ifdef CTNN_BENCH_HAVE_FANN
#include "baseline_fann.hpp"
#endif
#include "baseline_naive.hpp"

namespace bench {
namespace {

/** Returns sample k of a cycle of sample_count, so that consecutive calls see different inputs. */
constexpr std::size_t cycle(std::size_t k) { return k & (sample_count - 1); }

/** Tells whether this ctnn has network::descend(), backward and an SGD step fused for a batch of one. */
template <class Net>
concept has_descend = requires(Net& n, const typename Net::input& x, const typename Net::trace& t,
                               const typename Net::output& d) { n.descend(x, t, d, typename Net::scalar{}); };

/** Tells whether this ctnn has a batched network::predict(inputs, outputs). */
template <class Net>
concept has_batched_predict = requires(const Net& n, std::span<const typename Net::input> in,
                                       std::span<typename Net::output> out) { n.predict(in, out); };

/** Everything one ctnn training step touches, kept between steps so the benchmark times the step alone. */
template <class Topology>
struct ctnn_trainer {
  using net = typename Topology::net;

  net model;
  typename net::trace trace{};
  typename net::gradients gradients{};
  ctnn::sgd sgd{.learning_rate = step_learning_rate};
  ctnn::sgd::state<typename net::params> sgd_state{};

  /** Trains on one sample: forward, the cross-entropy's delta, backward into zeroed gradients, sgd.step with m = 1. */
  void step(const typename Topology::input& x, const typename Topology::output& y) {
    gradients = {};
    const auto& a = model.forward(x, trace);
    const auto& z = trace.template layer<net::layer_count - 1>().z;
    const auto delta = ctnn::binary_cross_entropy::delta<typename net::output_activation>(z, a, y);
    model.backward(x, trace, delta, gradients);
    sgd.step(model.parameters(), gradients, 1, sgd_state);
  }

  /** Trains on one sample with network::descend: the same update without the gradient buffer. */
  void step_fused(const typename Topology::input& x, const typename Topology::output& y)
    requires has_descend<net>
  {
    const auto& a = model.forward(x, trace);
    const auto& z = trace.template layer<net::layer_count - 1>().z;
    const auto delta = ctnn::binary_cross_entropy::delta<typename net::output_activation>(z, a, y);
    model.descend(x, trace, delta, step_learning_rate);
  }
};

/** Makes the network every implementation starts from, on the heap: T3's parameters are 101 KiB. */
template <class Topology>
std::unique_ptr<typename Topology::net> initial_network() {
  return std::make_unique<typename Topology::net>(ctnn::he{}, weight_seed);
}

/** Lays each sample out as a one-column matrix, the naive implementation's input. */
template <class Sample>
std::vector<naive::matrix> naive_columns(const std::vector<Sample>& samples) {
  std::vector<naive::matrix> columns;
  for (const Sample& s : samples) columns.push_back(naive::to_columns(std::span{&s, 1}));
  return columns;
}

// ---- forward: one sample in, one output out, the input changing every call --------------------

template <class Topology>
void forward_ctnn(benchmark::State& state) {
  const auto model = initial_network<Topology>();
  const auto data = random_samples<Topology>(sample_count, 1);
  std::size_t k = 0;
  for (auto _ : state) {
    auto y = model->predict(data.inputs[cycle(k++)]);
    benchmark::DoNotOptimize(y);
  }
  report_rates(state, 1, Topology::forward_flops);
}

#ifdef CTNN_BENCH_HAVE_EIGEN
template <class Topology>
void forward_eigen(benchmark::State& state) {
  const auto model = std::make_unique<eigen_mlp<Topology>>(initial_network<Topology>()->parameters());
  const auto data = random_samples<Topology>(sample_count, 1);
  typename eigen_mlp<Topology>::trace t;
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model->forward(data.inputs[cycle(k++)], t));
    benchmark::ClobberMemory();
  }
  report_rates(state, 1, Topology::forward_flops);
}
#endif

#ifdef CTNN_BENCH_HAVE_FANN
template <class Topology>
void forward_fann(benchmark::State& state) {
  fann_mlp<Topology> model{initial_network<Topology>()->parameters(), step_learning_rate};
  const auto data = random_samples<Topology>(sample_count, 1);
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.run(data.inputs[cycle(k++)]));
    benchmark::ClobberMemory();
  }
  report_rates(state, 1, Topology::forward_flops);
}
#endif

template <class Topology>
void forward_naive(benchmark::State& state) {
  const naive::parameters params = naive::from_ctnn(initial_network<Topology>()->parameters());
  const auto columns = naive_columns(random_samples<Topology>(sample_count, 1).inputs);
  std::size_t k = 0;
  for (auto _ : state) {
    auto result = naive::forward(params, columns[cycle(k++)]);
    benchmark::DoNotOptimize(result.al[0][0]);
  }
  report_rates(state, 1, Topology::forward_flops);
}

// ---- train_step: forward, backward and SGD update on one sample ---------------------------------

template <class Topology>
void train_step_ctnn(benchmark::State& state) {
  const auto trainer = std::make_unique<ctnn_trainer<Topology>>();
  trainer->model = *initial_network<Topology>();
  const auto data = random_samples<Topology>(sample_count, 2);
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t s = cycle(k++);
    trainer->step(data.inputs[s], data.targets[s]);
    benchmark::ClobberMemory();
  }
  report_rates(state, 1, Topology::train_flops);
}

template <class Topology>
void train_step_fused_ctnn(benchmark::State& state) {
  const auto trainer = std::make_unique<ctnn_trainer<Topology>>();
  trainer->model = *initial_network<Topology>();
  const auto data = random_samples<Topology>(sample_count, 2);
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t s = cycle(k++);
    trainer->step_fused(data.inputs[s], data.targets[s]);
    benchmark::ClobberMemory();
  }
  report_rates(state, 1, Topology::train_flops);
}

#ifdef CTNN_BENCH_HAVE_EIGEN
template <class Topology>
void train_step_eigen(benchmark::State& state) {
  const auto model = std::make_unique<eigen_mlp<Topology>>(initial_network<Topology>()->parameters());
  const auto data = random_samples<Topology>(sample_count, 2);
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t s = cycle(k++);
    model->train_step(data.inputs[s], data.targets[s], step_learning_rate);
    benchmark::ClobberMemory();
  }
  report_rates(state, 1, Topology::train_flops);
}
#endif

#ifdef CTNN_BENCH_HAVE_FANN
template <class Topology>
void train_step_fann(benchmark::State& state) {
  fann_mlp<Topology> model{initial_network<Topology>()->parameters(), step_learning_rate};
  const auto data = random_samples<Topology>(sample_count, 2);
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t s = cycle(k++);
    model.train_step(data.inputs[s], data.targets[s]);
    benchmark::ClobberMemory();
  }
  report_rates(state, 1, Topology::train_flops);
}
#endif

template <class Topology>
void train_step_naive(benchmark::State& state) {
  naive::parameters params = naive::from_ctnn(initial_network<Topology>()->parameters());
  const auto data = random_samples<Topology>(sample_count, 2);
  const auto inputs = naive_columns(data.inputs);
  const auto targets = naive_columns(data.targets);
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t s = cycle(k++);
    naive::train_step(params, inputs[s], targets[s], step_learning_rate);
    benchmark::ClobberMemory();
  }
  report_rates(state, 1, Topology::train_flops);
}

// ---- batched_inference: batch_count samples per iteration ---------------------------------------

template <class Topology>
void batched_inference_ctnn(benchmark::State& state) {
  const auto model = initial_network<Topology>();
  const auto data = random_samples<Topology>(batch_count, 3);
  std::vector<typename Topology::output> outputs(batch_count);
  for (auto _ : state) {
    if constexpr (has_batched_predict<typename Topology::net>) {
      model->predict(std::span<const typename Topology::input>{data.inputs}, std::span{outputs});
    } else {
      for (std::size_t k = 0; k < batch_count; ++k) outputs[k] = model->predict(data.inputs[k]);
    }
    benchmark::ClobberMemory();
  }
  report_rates(state, batch_count, Topology::forward_flops);
}

#ifdef CTNN_BENCH_HAVE_EIGEN
template <class Topology>
void batched_inference_eigen(benchmark::State& state) {
  const auto model = std::make_unique<eigen_mlp<Topology>>(initial_network<Topology>()->parameters());
  const auto data = random_samples<Topology>(batch_count, 3);
  // Samples as columns, so each layer is one matrix product over the whole batch (Eigen's GEMM).
  typename eigen_mlp<Topology>::batch batch{data.inputs, {}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(model->forward_batch(batch).data());
    benchmark::ClobberMemory();
  }
  report_rates(state, batch_count, Topology::forward_flops);
}
#endif

#ifdef CTNN_BENCH_HAVE_FANN
template <class Topology>
void batched_inference_fann(benchmark::State& state) {
  fann_mlp<Topology> model{initial_network<Topology>()->parameters(), step_learning_rate};
  const auto data = random_samples<Topology>(batch_count, 3);
  std::vector<typename Topology::output> outputs(batch_count);
  for (auto _ : state) {
    for (std::size_t k = 0; k < batch_count; ++k)
      std::copy_n(model.run(data.inputs[k]), Topology::outputs, outputs[k].begin());
    benchmark::ClobberMemory();
  }
  report_rates(state, batch_count, Topology::forward_flops);
}
#endif

template <class Topology>
void batched_inference_naive(benchmark::State& state) {
  const naive::parameters params = naive::from_ctnn(initial_network<Topology>()->parameters());
  const auto data = random_samples<Topology>(batch_count, 3);
  const naive::matrix x = naive::to_columns(std::span<const typename Topology::input>{data.inputs});
  for (auto _ : state) {
    auto result = naive::forward(params, x);  // the reference's forward over X of batch_count columns
    benchmark::DoNotOptimize(result.al[0][0]);
  }
  report_rates(state, batch_count, Topology::forward_flops);
}

// ---- reference_workload: T1, 10,000 two-blob samples, 50 full-batch epochs, η = 0.01 -------------

/** Reports the last epoch's cost and accuracy, which every implementation should share. */
// ---- train_guard: what train's check of each step costs (train_options::check_steps) -----------

/** One epoch of train over sample_count samples with batch size 1, the step check on or off: the
    worst case for the check, one pass over the parameters per sample. */
template <class Topology, class Optimizer, bool CheckSteps>
void train_guard_ctnn(benchmark::State& state) {
  using net = typename Topology::net;
  const auto data = random_samples<Topology>(sample_count, 3);
  const auto model = initial_network<Topology>();
  const Optimizer optimizer{.learning_rate = 1e-3};
  ctnn::training_workspace<net, Optimizer> work{};
  ctnn::train_report report{};
  for (auto _ : state) {
    report = ctnn::train(*model, std::span<const typename net::input>{data.inputs},
                         std::span<const typename net::output>{data.targets}, ctnn::binary_cross_entropy{}, optimizer,
                         {.epochs = 1, .batch_size = 1, .check_steps = CheckSteps}, [](const ctnn::epoch_stats&) {},
                         work);
    benchmark::ClobberMemory();
  }
  if (!report.ok()) state.SkipWithError(ctnn::to_string(report.status));
  report_rates(state, static_cast<double>(sample_count), Topology::train_flops);
}

void report_result(benchmark::State& state, double cost, double accuracy) {
  state.counters["cost"] = cost;
  state.counters["accuracy"] = accuracy;
  report_rates(state, static_cast<double>(reference_workload::samples * reference_workload::epochs),
               t1::train_flops);
}

void reference_workload_ctnn(benchmark::State& state) {
  const auto data = reference_samples();
  const auto initial = initial_network<t1>();
  ctnn::train_report report{};
  for (auto _ : state) {
    t1::net model = *initial;
    report = ctnn::train(model, std::span<const t1::input>{data.inputs}, std::span<const t1::output>{data.targets},
                         ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = reference_workload::learning_rate},
                         {.epochs = reference_workload::epochs, .batch_size = ctnn::full_batch});
    benchmark::DoNotOptimize(model);
  }
  if (!report.ok()) state.SkipWithError(ctnn::to_string(report.status));
  report_result(state, report.last.cost, report.last.accuracy);
}

#ifdef CTNN_BENCH_HAVE_EIGEN
void reference_workload_eigen(benchmark::State& state) {
  const auto data = reference_samples();
  const eigen_mlp<t1> initial{initial_network<t1>()->parameters()};
  eigen_mlp<t1>::batch batch{data.inputs, data.targets};  // the data as columns, and every layer's matrices
  eigen_mlp<t1>::epoch_result last{};
  for (auto _ : state) {
    eigen_mlp<t1> model = initial;
    for (std::size_t epoch = 0; epoch < reference_workload::epochs; ++epoch)
      last = model.train_epoch(batch, reference_workload::learning_rate);
    benchmark::DoNotOptimize(model);
  }
  report_result(state, last.cost, last.accuracy);
}
#endif

#ifdef CTNN_BENCH_HAVE_FANN
void reference_workload_fann(benchmark::State& state) {
  const auto data = reference_samples();
  const fann_data_set fann_data{std::span<const t1::input>{data.inputs}, std::span<const t1::output>{data.targets}};
  const auto initial = initial_network<t1>();
  float mse = 0;
  for (auto _ : state) {
    fann_mlp<t1> model{initial->parameters(), reference_workload::learning_rate};  // about 1 µs of the run
    for (std::size_t epoch = 0; epoch < reference_workload::epochs; ++epoch)
      mse = model.train_epoch_batch(fann_data.get());
  }
  state.counters["mse"] = mse;  // FANN reports mean squared error, not cross-entropy
  report_rates(state, static_cast<double>(reference_workload::samples * reference_workload::epochs), t1::train_flops);
}
#endif

void reference_workload_naive(benchmark::State& state) {
  const auto data = reference_samples();
  const naive::matrix x = naive::to_columns(std::span<const t1::input>{data.inputs});
  const naive::matrix y = naive::to_columns(std::span<const t1::output>{data.targets});
  const naive::parameters initial = naive::from_ctnn(initial_network<t1>()->parameters());
  naive::epoch_result last{};
  for (auto _ : state) {
    naive::parameters params = initial;
    for (std::size_t epoch = 0; epoch < reference_workload::epochs; ++epoch)
      last = naive::train_epoch(params, x, y, reference_workload::learning_rate);
    benchmark::DoNotOptimize(params);
  }
  report_result(state, last.cost, last.accuracy);
}

// ---- peak: one core's FP32 FMA throughput -------------------------------------------------------

void peak_fp32_fma(benchmark::State& state) {
  const fma_kernel kernel = widest_fma_kernel();
  if (kernel.run == nullptr) {
    state.SkipWithError("this CPU has no FMA");
    return;
  }
  constexpr std::int64_t rounds = 1 << 14;
  const double start = thread_cpu_seconds();
  for (auto _ : state) benchmark::DoNotOptimize(kernel.run(rounds));
  const double flops = static_cast<double>(state.iterations() * rounds) * kernel.flops_per_round;
  record_peak(flops / (thread_cpu_seconds() - start));
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsRate);
  state.SetLabel(kernel.name);
}

// ---- params_pass: one pass over memory the size of a network's parameters ---------------------
// A forward pass reads every parameter once; the fused training step reads them once more and
// writes them once. Where they outgrow L1 (T3's 104 KB), passes over as many bytes show how close
// those figures come to the cache's bandwidth: compare.py prints them side by side.

/** sizeof(Topology's params) bytes on a cache line's boundary, every value 1. */
template <class Topology>
struct params_sized_buffer {
  static constexpr std::size_t bytes = sizeof(typename Topology::net::params);
  static constexpr std::size_t floats = bytes / sizeof(float);
  std::unique_ptr<float, decltype(&std::free)> values{
      static_cast<float*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64)), &std::free};

  params_sized_buffer() { std::fill_n(values.get(), floats, 1.0f); }
};

/** Reports the bytes one iteration passes over and the vectors it used. */
void report_pass(benchmark::State& state, std::size_t bytes, const char* vectors) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["bytes"] = static_cast<double>(bytes);
  state.SetLabel(vectors);
}

template <class Topology>
void params_read(benchmark::State& state) {
  params_sized_buffer<Topology> buffer;
  const memory_passes passes = widest_memory_passes();
  for (auto _ : state) passes.read(buffer.values.get(), buffer.floats);
  report_pass(state, buffer.bytes, passes.name);
}

template <class Topology>
void params_update(benchmark::State& state) {
  params_sized_buffer<Topology> buffer;
  const memory_passes passes = widest_memory_passes();
  for (auto _ : state) {
    passes.update(buffer.values.get(), buffer.floats);
    benchmark::ClobberMemory();
  }
  report_pass(state, buffer.bytes, passes.name);
}

// ---- the equivalence check ----------------------------------------------------------------------

/** Returns every parameter of a ctnn network in its own order: per layer, weights[i * Out + o], then biases. */
template <class Params>
std::vector<float> flatten(const Params& p) {
  std::vector<float> flat;
  ctnn::for_each_array([&flat](const auto& values) { flat.insert(flat.end(), values.begin(), values.end()); }, p);
  return flat;
}

std::vector<float> flatten(const naive::parameters& params) {
  std::vector<float> flat;
  for (const auto& l : params) {
    for (std::size_t i = 0; i < l.w[0].size(); ++i)
      for (std::size_t o = 0; o < l.w.size(); ++o) flat.push_back(l.w[o][i]);
    for (const auto& b : l.b) flat.push_back(b[0]);
  }
  return flat;
}

#ifdef CTNN_BENCH_HAVE_EIGEN
template <class Topology>
std::vector<float> flatten(const eigen_mlp<Topology>& model) {
  constexpr std::size_t sizes[] = {Topology::inputs, Topology::hidden1, Topology::hidden2, Topology::outputs};
  std::vector<float> flat;
  for (std::size_t l = 0; l < 3; ++l) {
    for (std::size_t i = 0; i < sizes[l]; ++i)
      for (std::size_t o = 0; o < sizes[l + 1]; ++o) flat.push_back(model.weight(l, i, o));
    for (std::size_t o = 0; o < sizes[l + 1]; ++o) flat.push_back(model.bias(l, o));
  }
  return flat;
}
#endif

/** Returns after - before, element-wise: what a training step changed. */
std::vector<float> change(const std::vector<float>& before, const std::vector<float>& after) {
  std::vector<float> d(after.size());
  for (std::size_t k = 0; k < d.size(); ++k) d[k] = after[k] - before[k];
  return d;
}

/** Stops the program unless `actual` matches `expected` to `tolerance` relative to expected's
    largest magnitude: the implementations sum in different orders, so bits may differ. */
void expect_close(const char* what, const char* topology, const char* implementation,
                  const std::vector<float>& expected, const std::vector<float>& actual, float tolerance) {
  float scale = 0, worst = 0;
  for (float e : expected) scale = std::max(scale, std::abs(e));
  bool ok = expected.size() == actual.size();
  for (std::size_t k = 0; ok && k < expected.size(); ++k) {
    worst = std::max(worst, std::abs(expected[k] - actual[k]));
    ok = std::isfinite(actual[k]) && std::abs(expected[k] - actual[k]) <= tolerance * scale;
  }
  if (!ok) {
    std::fprintf(stderr,
                 "ctnn_bench: %s on %s: %s differs from ctnn (largest difference %g, scale %g); "
                 "the implementations do not compute the same thing, so their timings cannot be compared\n",
                 what, topology, implementation, static_cast<double>(worst), static_cast<double>(scale));
    std::exit(EXIT_FAILURE);
  }
}

/** Checks, from the same weights, that Eigen and the naive implementation give ctnn's forward
    outputs, the same change of every parameter in one training step, and the same two full-batch
    epochs. FANN is left out: its hidden activation differs (see baseline_fann.hpp). */
template <class Topology>
void check_equivalence() {
  using net = typename Topology::net;
  const auto initial = initial_network<Topology>();
  const auto data = random_samples<Topology>(64, 4);
  const std::vector<float> before = flatten(initial->parameters());
  constexpr float tolerance = 1e-4f;

  // forward
  std::vector<float> out_ctnn, out_naive;
  const naive::parameters naive_initial = naive::from_ctnn(initial->parameters());
  for (const auto& x : data.inputs) {
    const auto y = initial->predict(x);
    out_ctnn.insert(out_ctnn.end(), y.begin(), y.end());
    const auto al = naive::forward(naive_initial, naive::to_columns(std::span{&x, 1})).al;
    for (const auto& row : al) out_naive.push_back(row[0]);
  }
  expect_close("forward", Topology::name, "naive", out_ctnn, out_naive, tolerance);

  // one training step
  const auto trainer = std::make_unique<ctnn_trainer<Topology>>();
  trainer->model = *initial;
  trainer->step(data.inputs[0], data.targets[0]);
  const std::vector<float> step_ctnn = change(before, flatten(trainer->model.parameters()));
  if constexpr (has_descend<net>) {
    const auto fused = std::make_unique<ctnn_trainer<Topology>>();
    fused->model = *initial;
    fused->step_fused(data.inputs[0], data.targets[0]);
    expect_close("train_step_fused", Topology::name, "ctnn's descend()", step_ctnn,
                 change(before, flatten(fused->model.parameters())), tolerance);
  }
  naive::parameters naive_params = naive_initial;
  naive::train_step(naive_params, naive::to_columns(std::span{&data.inputs[0], 1}),
                    naive::to_columns(std::span{&data.targets[0], 1}), step_learning_rate);
  expect_close("train_step", Topology::name, "naive", step_ctnn, change(before, flatten(naive_params)), tolerance);

  // two full-batch epochs over 64 samples
  const auto model = std::make_unique<net>(*initial);
  const auto report = ctnn::train(*model, std::span<const typename net::input>{data.inputs},
                                  std::span<const typename net::output>{data.targets}, ctnn::binary_cross_entropy{},
                                  ctnn::sgd{.learning_rate = 0.5}, {.epochs = 2, .batch_size = ctnn::full_batch});
  const std::vector<float> epochs_ctnn = change(before, flatten(model->parameters()));
  naive_params = naive_initial;
  const naive::matrix x_columns = naive::to_columns(std::span<const typename net::input>{data.inputs});
  const naive::matrix y_columns = naive::to_columns(std::span<const typename net::output>{data.targets});
  naive::epoch_result naive_last{};
  for (int epoch = 0; epoch < 2; ++epoch) naive_last = naive::train_epoch(naive_params, x_columns, y_columns, 0.5f);
  expect_close("full-batch epochs", Topology::name, "naive", epochs_ctnn, change(before, flatten(naive_params)),
               tolerance);
  expect_close("full-batch cost", Topology::name, "naive", {static_cast<float>(report.last.cost)},
               {naive_last.cost}, tolerance);

#ifdef CTNN_BENCH_HAVE_EIGEN
  auto eigen = std::make_unique<eigen_mlp<Topology>>(initial->parameters());
  std::vector<float> out_eigen;
  typename eigen_mlp<Topology>::trace t;
  for (const auto& x : data.inputs) {
    const auto& y = eigen->forward(x, t);
    out_eigen.insert(out_eigen.end(), y.data(), y.data() + y.size());
  }
  expect_close("forward", Topology::name, "Eigen", out_ctnn, out_eigen, tolerance);
  typename eigen_mlp<Topology>::batch batch{data.inputs, data.targets};
  const auto& batch_out = eigen->forward_batch(batch);  // column-major: sample k's outputs are contiguous
  expect_close("batched forward", Topology::name, "Eigen", out_ctnn,
               std::vector<float>(batch_out.data(), batch_out.data() + batch_out.size()), tolerance);

  eigen->train_step(data.inputs[0], data.targets[0], step_learning_rate);
  expect_close("train_step", Topology::name, "Eigen", step_ctnn, change(before, flatten(*eigen)), tolerance);

  eigen = std::make_unique<eigen_mlp<Topology>>(initial->parameters());
  typename eigen_mlp<Topology>::epoch_result eigen_last{};
  for (int epoch = 0; epoch < 2; ++epoch) eigen_last = eigen->train_epoch(batch, 0.5f);
  expect_close("full-batch epochs", Topology::name, "Eigen", epochs_ctnn, change(before, flatten(*eigen)), tolerance);
  expect_close("full-batch cost", Topology::name, "Eigen", {static_cast<float>(report.last.cost)},
               {static_cast<float>(eigen_last.cost)}, tolerance);
#endif
}

// ---- registration -------------------------------------------------------------------------------

/** Registers one benchmark as workload/topology/implementation. */
benchmark::internal::Benchmark* add(const char* workload, const char* topology, const char* implementation,
                                    void (*function)(benchmark::State&)) {
  const std::string name = std::string{workload} + "/" + topology + "/" + implementation;
  return benchmark::RegisterBenchmark(name.c_str(), function);
}

template <class Topology>
void add_forward() {
  add("forward", Topology::name, "ctnn", forward_ctnn<Topology>);
#ifdef CTNN_BENCH_HAVE_EIGEN
  add("forward", Topology::name, "eigen", forward_eigen<Topology>);
#endif
#ifdef CTNN_BENCH_HAVE_FANN
  add("forward", Topology::name, "fann", forward_fann<Topology>);
#endif
  add("forward", Topology::name, "naive", forward_naive<Topology>);
}

template <class Topology>
void add_params_pass() {
  add("params_pass", Topology::name, "read", params_read<Topology>);
  add("params_pass", Topology::name, "update", params_update<Topology>);
}

template <class Topology>
void add_train_step() {
  add("train_step", Topology::name, "ctnn", train_step_ctnn<Topology>);
#ifdef CTNN_BENCH_HAVE_EIGEN
  add("train_step", Topology::name, "eigen", train_step_eigen<Topology>);
#endif
#ifdef CTNN_BENCH_HAVE_FANN
  add("train_step", Topology::name, "fann", train_step_fann<Topology>);
#endif
  add("train_step", Topology::name, "naive", train_step_naive<Topology>);
}

/** Registers ctnn's fused per-sample step next to Eigen's, which is fused too (FANN and the naive
    code have no such variant; their train_step figures stand). */
template <class Topology>
void add_train_step_fused() {
  if constexpr (has_descend<typename Topology::net>) {
    add("train_step_fused", Topology::name, "ctnn", train_step_fused_ctnn<Topology>);
#ifdef CTNN_BENCH_HAVE_EIGEN
    add("train_step_fused", Topology::name, "eigen", train_step_eigen<Topology>);
#endif
  }
}

template <class Topology>
void add_batched_inference() {
  add("batched_inference", Topology::name, "ctnn", batched_inference_ctnn<Topology>)->Unit(benchmark::kMicrosecond);
#ifdef CTNN_BENCH_HAVE_EIGEN
  add("batched_inference", Topology::name, "eigen", batched_inference_eigen<Topology>)->Unit(benchmark::kMicrosecond);
#endif
#ifdef CTNN_BENCH_HAVE_FANN
  add("batched_inference", Topology::name, "fann", batched_inference_fann<Topology>)->Unit(benchmark::kMicrosecond);
#endif
  add("batched_inference", Topology::name, "naive", batched_inference_naive<Topology>)->Unit(benchmark::kMicrosecond);
}

/** Registers train with and without its step check, for sgd and adam: the implementations are
    named checked and unchecked, which compare.py prints in a table of their own. */
template <class Topology>
void add_train_guard() {
  const std::string sgd_name = std::string{Topology::name} + "_sgd";
  const std::string adam_name = std::string{Topology::name} + "_adam";
  add("train_guard", sgd_name.c_str(), "checked", train_guard_ctnn<Topology, ctnn::sgd, true>);
  add("train_guard", sgd_name.c_str(), "unchecked", train_guard_ctnn<Topology, ctnn::sgd, false>);
  add("train_guard", adam_name.c_str(), "checked", train_guard_ctnn<Topology, ctnn::adam, true>);
  add("train_guard", adam_name.c_str(), "unchecked", train_guard_ctnn<Topology, ctnn::adam, false>);
}

void add_reference_workload() {
  add("reference_workload", t1::name, "ctnn", reference_workload_ctnn)->Unit(benchmark::kMillisecond);
#ifdef CTNN_BENCH_HAVE_EIGEN
  add("reference_workload", t1::name, "eigen", reference_workload_eigen)->Unit(benchmark::kMillisecond);
#endif
#ifdef CTNN_BENCH_HAVE_FANN
  add("reference_workload", t1::name, "fann", reference_workload_fann)->Unit(benchmark::kMillisecond);
#endif
  add("reference_workload", t1::name, "naive", reference_workload_naive)->Unit(benchmark::kMillisecond);
}

/** Returns the CPU's model name, family and model from /proc/cpuinfo (a virtual machine's name
    alone, e.g. "AMD EPYC", does not tell the generation), or "unknown". */
std::string cpu_model() {
  std::ifstream cpuinfo{"/proc/cpuinfo"};
  std::string name, family, model;
  for (std::string line; std::getline(cpuinfo, line) && line != "";) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const auto first = line.find_first_not_of(" \t", colon + 1);
    const std::string value = first == std::string::npos ? "" : line.substr(first);
    if (line.rfind("model name", 0) == 0) name = value;
    else if (line.rfind("cpu family", 0) == 0) family = value;
    else if (line.rfind("model\t", 0) == 0 || line.rfind("model ", 0) == 0) model = value;
  }
  if (name.empty()) return "unknown";
  return family.empty() ? name : name + " (family " + family + ", model " + model + ")";
}

}  // namespace
}  // namespace bench

#ifndef CTNN_BENCH_BUILD
#define CTNN_BENCH_BUILD "unknown"
#endif

int main(int argc, char** argv) {
  bench::check_equivalence<bench::t1>();
  bench::check_equivalence<bench::t2>();
  bench::check_equivalence<bench::t3>();

  bench::record_peak(bench::time_fma_peak(0.3));
  benchmark::AddCustomContext("cpu_model", bench::cpu_model());
  benchmark::AddCustomContext("build", CTNN_BENCH_BUILD);
  benchmark::AddCustomContext("fp32_peak_gflops_at_start", std::to_string(bench::peak_flops() * 1e-9));
  benchmark::AddCustomContext("equivalence_check", "ctnn = Eigen = naive on forward, train_step, full-batch epochs");
#ifdef CTNN_BENCH_HAVE_FANN
  benchmark::AddCustomContext("fann_hidden_activation", bench::fann_hidden_activation_name);
#endif

  benchmark::RegisterBenchmark("peak/fp32_fma/cpu", bench::peak_fp32_fma);
  bench::add_params_pass<bench::t1>();
  bench::add_params_pass<bench::t2>();
  bench::add_params_pass<bench::t3>();
  bench::add_forward<bench::t1>();
  bench::add_forward<bench::t2>();
  bench::add_forward<bench::t3>();
  bench::add_train_step<bench::t1>();
  bench::add_train_step<bench::t2>();
  bench::add_train_step<bench::t3>();
  bench::add_train_step_fused<bench::t1>();
  bench::add_train_step_fused<bench::t2>();
  bench::add_train_step_fused<bench::t3>();
  bench::add_batched_inference<bench::t3>();
  bench::add_reference_workload();
  bench::add_train_guard<bench::t1>();
  bench::add_train_guard<bench::t2>();

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
