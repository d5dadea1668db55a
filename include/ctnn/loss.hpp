// ctnn/loss.hpp - loss functions: a per-sample value and its gradient with respect to the output layer's z.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <limits>
#include <type_traits>

#include "ctnn/activation.hpp"
#include "ctnn/math.hpp"

namespace ctnn {

/** A loss for one sample: value<OutputActivation>(z, a, y) and delta<OutputActivation>(z, a, y),
    the gradient dL/dz of the last layer's pre-activation. Taking z as well as a lets a loss
    fuse with its output activation where that is exact and stable.
    Satisfied by binary_cross_entropy, mean_squared_error. */
template <class L>
concept Loss = requires(const std::array<float, 1>& f, const std::array<double, 2>& d) {
  { L::template value<sigmoid>(f, f, f) } -> std::same_as<float>;
  { L::template delta<sigmoid>(f, f, f) } -> std::same_as<std::array<float, 1>>;
  { L::template value<identity>(d, d, d) } -> std::same_as<double>;
  { L::template delta<identity>(d, d, d) } -> std::same_as<std::array<double, 2>>;
};

/** Binary cross-entropy (log loss), averaged over the outputs; targets in [0, 1].
    After a sigmoid it is computed from the logit z: log(1 + e^z) - y·z, exact and
    finite for any z, with the fused gradient a - y. After any other activation it
    is the reference's form on a clamped to [eps, 1 - eps], so log(0) never happens. */
struct binary_cross_entropy {
  template <Activation Out, std::floating_point T, std::size_t N>
  static constexpr T value(const std::array<T, N>& z, const std::array<T, N>& a, const std::array<T, N>& y) {
    T sum{};
    for (std::size_t k = 0; k < N; ++k) {
      if constexpr (std::is_same_v<Out, sigmoid>) {
        const T abs_z = z[k] < T{0} ? -z[k] : z[k];
        const T softplus = (z[k] > T{0} ? z[k] : T{0}) + math::log1p(math::exp(-abs_z));
        sum += softplus - y[k] * z[k];
      } else {
        const T p = clamp(a[k]);
        sum -= y[k] * math::log(p) + (T{1} - y[k]) * math::log(T{1} - p);
      }
    }
    return sum / static_cast<T>(N);
  }

  template <Activation Out, std::floating_point T, std::size_t N>
  static constexpr std::array<T, N> delta(const std::array<T, N>& z, const std::array<T, N>& a,
                                          const std::array<T, N>& y) {
    std::array<T, N> dz{};
    for (std::size_t k = 0; k < N; ++k) {
      if constexpr (std::is_same_v<Out, sigmoid>) {
        dz[k] = (a[k] - y[k]) / static_cast<T>(N);
      } else {
        const T p = clamp(a[k]);
        // Where the clamp is active the loss is flat in a, so its gradient is 0.
        const T dloss_da = p == a[k] ? (p - y[k]) / (p * (T{1} - p)) : T{0};
        dz[k] = dloss_da * Out::derivative(z[k], a[k]) / static_cast<T>(N);
      }
    }
    return dz;
  }

 private:
  template <std::floating_point T>
  static constexpr T clamp(T a) {
    constexpr T eps = std::numeric_limits<T>::epsilon();
    return a < eps ? eps : (a > T{1} - eps ? T{1} - eps : a);
  }
};

/** Mean squared error over the outputs: (1/N) Σ (a - y)². */
struct mean_squared_error {
  template <Activation Out, std::floating_point T, std::size_t N>
  static constexpr T value(const std::array<T, N>&, const std::array<T, N>& a, const std::array<T, N>& y) {
    T sum{};
    for (std::size_t k = 0; k < N; ++k) sum += (a[k] - y[k]) * (a[k] - y[k]);
    return sum / static_cast<T>(N);
  }

  template <Activation Out, std::floating_point T, std::size_t N>
  static constexpr std::array<T, N> delta(const std::array<T, N>& z, const std::array<T, N>& a,
                                          const std::array<T, N>& y) {
    std::array<T, N> dz{};
    for (std::size_t k = 0; k < N; ++k)
      dz[k] = T{2} * (a[k] - y[k]) * Out::derivative(z[k], a[k]) / static_cast<T>(N);
    return dz;
  }
};

}  // namespace ctnn
