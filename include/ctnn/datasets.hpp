// ctnn/datasets.hpp - synthetic data sets, generated without heap, also at compile time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "ctnn/random.hpp"

namespace ctnn {

/** Fills `inputs` and `targets` with two Gaussian blobs of standard deviation 1: class 0
    centred at (-centre, ..., -centre), class 1 at (+centre, ..., +centre), alternating, so
    any prefix is balanced. Same numbers for the same seed on every platform (see random.hpp).
    Pitfall: each centre lies centre·sqrt(N) standard deviations from the plane halfway between
    them, and samples past that plane make perfect accuracy impossible: at centre 2, N = 3
    (3.5 deviations) about 2.7 in 10,000 samples lie past it; at centre 4 (6.9) about 1 in 5·10^11. */
template <class T, std::size_t N>
constexpr void make_two_blobs(std::span<std::array<T, N>> inputs, std::span<std::array<T, 1>> targets, double centre,
                              std::uint64_t seed) {
  random_engine rng{seed};
  const std::size_t n = inputs.size() < targets.size() ? inputs.size() : targets.size();
  for (std::size_t k = 0; k < n; ++k) {
    const bool positive = k % 2 == 1;
    for (auto& feature : inputs[k]) feature = static_cast<T>((positive ? centre : -centre) + rng.normal());
    targets[k] = {positive ? T{1} : T{0}};
  }
}

}  // namespace ctnn
