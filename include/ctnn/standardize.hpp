// ctnn/standardize.hpp - per-feature standardisation, fitted on training data, kept for inference.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <span>

#include "ctnn/math.hpp"

namespace ctnn {

/** Shifts and scales each of N features to mean 0 and standard deviation 1 with statistics
    fitted once, on the training split only, and then applied unchanged to every input the
    model sees (held-out data, inference on the device). A plain value: store it with the model.
    Pitfall: fitting on all data leaks the held-out split into training. */
template <std::floating_point T, std::size_t N>
struct standardizer {
  std::array<T, N> mean{};
  std::array<T, N> inverse_deviation{};  // 1 / standard deviation; 1 for a constant feature

  /** Returns the standardizer of `inputs`' features (population statistics, accumulated in double). */
  static constexpr standardizer fit(std::span<const std::array<T, N>> inputs) {
    standardizer s{};
    const double n = static_cast<double>(inputs.size());
    for (std::size_t i = 0; i < N; ++i) {
      double sum = 0;
      for (const auto& x : inputs) sum += static_cast<double>(x[i]);
      const double mean = n > 0 ? sum / n : 0.0;
      double squares = 0;  // two passes: no cancellation for features far from 0
      for (const auto& x : inputs) squares += (static_cast<double>(x[i]) - mean) * (static_cast<double>(x[i]) - mean);
      const double deviation = n > 0 ? math::sqrt(squares / n) : 0.0;
      s.mean[i] = static_cast<T>(mean);
      s.inverse_deviation[i] = deviation > 0 ? static_cast<T>(1.0 / deviation) : T{1};  // a constant feature becomes 0
    }
    return s;
  }

  /** Returns x standardised. */
  constexpr std::array<T, N> operator()(const std::array<T, N>& x) const {
    std::array<T, N> y{};
    for (std::size_t i = 0; i < N; ++i) y[i] = (x[i] - mean[i]) * inverse_deviation[i];
    return y;
  }

  /** Standardises every input in place. */
  constexpr void apply(std::span<std::array<T, N>> inputs) const {
    for (auto& x : inputs) x = (*this)(x);
  }
};

}  // namespace ctnn
