// bench/topology.hpp - the benchmarked network shapes, their FLOP counts, and the data fed to them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <ctnn/ctnn.hpp>

namespace bench {

/** Describes a network of two relu hidden layers and a sigmoid output, the shape
    every implementation in this binary builds, so each baseline reads its sizes here. */
template <std::size_t In, std::size_t Hidden1, std::size_t Hidden2, std::size_t Out>
struct topology {
  static constexpr std::size_t inputs = In;
  static constexpr std::size_t hidden1 = Hidden1;
  static constexpr std::size_t hidden2 = Hidden2;
  static constexpr std::size_t outputs = Out;

  using net = ctnn::network<float,
                            ctnn::dense<In, Hidden1, ctnn::relu>,
                            ctnn::dense<Hidden1, Hidden2, ctnn::relu>,
                            ctnn::dense<Hidden2, Out, ctnn::sigmoid>>;
  using input = typename net::input;
  using output = typename net::output;

  /** Multiply-adds of one forward pass; a multiply-add counts as 2 FLOP. Biases and
      activations are left out: they are O(neurons), not O(weights). */
  static constexpr std::size_t multiply_adds = In * Hidden1 + Hidden1 * Hidden2 + Hidden2 * Out;
  static constexpr double forward_flops = 2.0 * static_cast<double>(multiply_adds);
  /** One training step counted as 3 forward passes: the forward pass, dW = dz·xᵀ and
      dx = Wᵀ·dz for every layer. The first layer's dx (never computed), the SGD update
      (2 FLOP a parameter) and the activations' derivatives are not counted. */
  static constexpr double train_flops = 3.0 * forward_flops;
};

/** The reference's network. */
struct t1 : topology<3, 5, 3, 1> {
  static constexpr const char* name = "T1_3-5-3-1";
};
/** A small network whose layers fill a few SIMD registers. */
struct t2 : topology<16, 32, 32, 1> {
  static constexpr const char* name = "T2_16-32-32-1";
};
/** A network whose weights (101 KiB) outgrow L1 and are streamed from L2 on every pass. */
struct t3 : topology<64, 128, 128, 10> {
  static constexpr const char* name = "T3_64-128-128-10";
};

/** The seed every implementation's weights come from (drawn by ctnn, copied into the baselines). */
inline constexpr std::uint64_t weight_seed = 42;
/** Inputs cycled through by the per-sample benchmarks: a power of two, so the index is a mask. */
inline constexpr std::size_t sample_count = 256;
/** Samples per call in the batched-inference benchmark. */
inline constexpr std::size_t batch_count = 1024;

/** The reference workload: 10,000 samples of two blobs, 50 full-batch epochs, η = 0.01. */
struct reference_workload {
  static constexpr std::size_t samples = 10'000;
  static constexpr std::size_t epochs = 50;
  static constexpr double centre = 2.0;
  static constexpr std::uint64_t data_seed = 7;
  static constexpr float learning_rate = 0.01f;
};
/** The per-sample training step's learning rate: small, so that millions of steps on random targets stay finite. */
inline constexpr float step_learning_rate = 0.01f;

/** Holds inputs and 0/1 targets for one topology, in ctnn's value types (the baselines read the same arrays). */
template <class Topology>
struct data_set {
  std::vector<typename Topology::input> inputs;
  std::vector<typename Topology::output> targets;

  std::size_t size() const { return inputs.size(); }
};

/** Draws `count` standard-normal inputs and random 0/1 targets, the same for every implementation. */
template <class Topology>
data_set<Topology> random_samples(std::size_t count, std::uint64_t seed) {
  ctnn::random_engine rng{seed};
  data_set<Topology> data{std::vector<typename Topology::input>(count), std::vector<typename Topology::output>(count)};
  for (std::size_t k = 0; k < count; ++k) {
    for (float& x : data.inputs[k]) x = static_cast<float>(rng.normal());
    for (float& y : data.targets[k]) y = static_cast<float>(rng.below(2));
  }
  return data;
}

/** Makes the reference workload's data: two blobs around ±(2, 2, 2), as in examples/blobs. */
inline data_set<t1> reference_samples() {
  data_set<t1> data{std::vector<t1::input>(reference_workload::samples),
                    std::vector<t1::output>(reference_workload::samples)};
  ctnn::make_two_blobs<float, 3>(std::span{data.inputs}, std::span{data.targets}, reference_workload::centre,
                                 reference_workload::data_seed);
  return data;
}

}  // namespace bench
