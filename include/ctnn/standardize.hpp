// ctnn/standardize.hpp - per-feature standardisation, fitted on training data, kept for inference.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <limits>
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

  /** Returns the standardizer of `inputs`' features (population statistics, accumulated in double;
      where a sum overflows double, at run time, scaled first: in a constant expression the overflow
      does not compile). For long double, features within double's range. */
  static constexpr standardizer fit(std::span<const std::array<T, N>> inputs) {
    standardizer s{};
    const double n = static_cast<double>(inputs.size());
    for (std::size_t i = 0; i < N; ++i) {
      double sum = 0;
      for (const auto& x : inputs) sum += static_cast<double>(x[i]);
      double mean = n > 0 ? sum / n : 0.0;
      if (!math::is_finite(mean)) {
        // The sum overflowed (double features near DBL_MAX): add x/n instead, kept between the
        // lowest and highest value, since their roundings can still carry it past DBL_MAX.
        mean = 0;
        double lowest = static_cast<double>(inputs[0][i]), highest = lowest;
        for (const auto& x : inputs) {
          const double v = static_cast<double>(x[i]);
          mean += v / n;
          lowest = v < lowest ? v : lowest;
          highest = v > highest ? v : highest;
        }
        mean = mean < lowest ? lowest : (mean > highest ? highest : mean);
      }
      double squares = 0;  // two passes: no cancellation for features far from 0
      for (const auto& x : inputs) squares += (static_cast<double>(x[i]) - mean) * (static_cast<double>(x[i]) - mean);
      double deviation = n > 0 ? math::sqrt(squares / n) : 0.0;
      if (!math::is_finite(squares)) {
        // Squares beyond double's range: the distances scaled by the largest first, in halves
        // (values DBL_MAX apart are 2·DBL_MAX apart).
        const auto half_distance = [&](const std::array<T, N>& x) {
          return static_cast<double>(x[i]) / 2 - mean / 2;
        };
        double largest = 0;
        for (const auto& x : inputs) {
          const double distance = math::abs(half_distance(x));
          largest = distance > largest ? distance : largest;
        }
        double scaled = 0;
        for (const auto& x : inputs) scaled += (half_distance(x) / largest) * (half_distance(x) / largest);
        deviation = 2 * (largest * math::sqrt(scaled / n));  // 2 · largest alone may overflow
      }
      s.mean[i] = static_cast<T>(mean);
      // A constant feature, or one whose spread T cannot scale to 1 (1/deviation 0, or beyond T's
      // range: converting it would be undefined), is only centred.
      const double inverse = deviation > 0 ? 1.0 / deviation : 0.0;
      s.inverse_deviation[i] =
          inverse > 0 && static_cast<long double>(inverse) <= static_cast<long double>(std::numeric_limits<T>::max())
              ? static_cast<T>(inverse)
              : T{1};
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
