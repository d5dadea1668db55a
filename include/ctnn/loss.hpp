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
    Satisfied by binary_cross_entropy, categorical_cross_entropy, mean_squared_error. */
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
        const T softplus = (z[k] > T{0} ? z[k] : T{0}) + math::log1p(math::exp(-math::abs(z[k])));
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
        dz[k] = (p == a[k] ? (p - y[k]) / (p * (T{1} - p)) : T{0}) / static_cast<T>(N);
      }
    }
    if constexpr (!std::is_same_v<Out, sigmoid>) detail::activation_backward<Out>(z, a, dz);
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
    for (std::size_t k = 0; k < N; ++k) dz[k] = T{2} * (a[k] - y[k]) / static_cast<T>(N);
    detail::activation_backward<Out>(z, a, dz);
    return dz;
  }
};

/** Categorical cross-entropy, -Σ y·log a, for one-hot (or probability) targets. After softmax it
    is computed from the logits as log Σ e^z - Σ y·z (with the largest z taken out: finite for
    any logits) with the fused gradient a - y (targets summing to 1). After any other activation
    it is the plain form on a clamped to [eps, 1]. */
struct categorical_cross_entropy {
  template <Activation Out, std::floating_point T, std::size_t N>
  static constexpr T value(const std::array<T, N>& z, const std::array<T, N>& a, const std::array<T, N>& y) {
    T sum{};
    if constexpr (std::is_same_v<Out, softmax>) {
      T largest = z[0];
      for (std::size_t k = 1; k < N; ++k) largest = z[k] > largest ? z[k] : largest;
      T exps{};
      for (std::size_t k = 0; k < N; ++k) exps += math::exp(z[k] - largest);
      const T log_sum = largest + math::log(exps);
      for (std::size_t k = 0; k < N; ++k) sum += y[k] * (log_sum - z[k]);
    } else {
      for (std::size_t k = 0; k < N; ++k) sum -= y[k] * math::log(clamp(a[k]));
    }
    return sum;
  }

  template <Activation Out, std::floating_point T, std::size_t N>
  static constexpr std::array<T, N> delta(const std::array<T, N>& z, const std::array<T, N>& a,
                                          const std::array<T, N>& y) {
    std::array<T, N> dz{};
    if constexpr (std::is_same_v<Out, softmax>) {
      for (std::size_t k = 0; k < N; ++k) dz[k] = a[k] - y[k];
    } else {
      for (std::size_t k = 0; k < N; ++k) dz[k] = clamp(a[k]) == a[k] ? -y[k] / a[k] : T{0};
      detail::activation_backward<Out>(z, a, dz);
    }
    return dz;
  }

 private:
  template <std::floating_point T>
  static constexpr T clamp(T a) {
    constexpr T eps = std::numeric_limits<T>::min();  // the smallest normal: log stays finite
    return a < eps ? eps : a;
  }
};

}  // namespace ctnn
