// ctnn/activation.hpp - activation policies: stateless types with constexpr value and derivative.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>

#include "ctnn/math.hpp"
#include "ctnn/target.hpp"

namespace ctnn {

/** An element-wise activation: value(z) and derivative(z, a) where a = value(z).
    Satisfied by identity, relu, leaky_relu, sigmoid, tanh. */
template <class A>
concept ElementwiseActivation = requires(float zf, double zd) {
  { A::value(zf) } -> std::same_as<float>;
  { A::derivative(zf, zf) } -> std::same_as<float>;
  { A::value(zd) } -> std::same_as<double>;
  { A::derivative(zd, zd) } -> std::same_as<double>;
};

/** An activation of the whole vector: apply(z, a) computes a from z, and backward(z, a, d)
    turns d = dL/da into dL/dz in place (the Jacobian-vector product). Satisfied by softmax. */
template <class A>
concept VectorActivation = requires(const std::array<float, 3>& zf, std::array<float, 3>& af,
                                    const std::array<double, 2>& zd, std::array<double, 2>& ad) {
  A::apply(zf, af);
  A::backward(zf, zf, af);
  A::apply(zd, ad);
  A::backward(zd, zd, ad);
};

/** What a dense layer accepts as its activation. */
template <class A>
concept Activation = ElementwiseActivation<A> || VectorActivation<A>;

/** a = z. The output of a regression network. */
struct identity {
  template <std::floating_point T>
  static constexpr T value(T z) { return z; }
  template <std::floating_point T>
  static constexpr T derivative(T, T) { return T{1}; }
};

/** a = max(0, z); the derivative at 0 is taken as 0. The derivatives are masks, not ?:: from
    z > 0 ? 1 : 0, g++ made d·derivative a branch on the sign of z (d *= 0 where z <= 0), which
    data of either sign mispredicts (3-5-3-1 training step: 54.5 -> 48.9 ns; docs/speed.md). */
struct relu {
  template <std::floating_point T>
  static constexpr T value(T z) { return z > T{0} ? z : T{0}; }
  template <std::floating_point T>
  static constexpr T derivative(T z, T) { return math::detail::select(z > T{0}, T{1}, T{0}); }
};

/** a = z for z > 0, else (Numerator / Denominator) * z. The slope is a ratio
    because clang 14 has no floating-point template parameters. */
template <int Numerator, int Denominator>
struct basic_leaky_relu {
  static_assert(Denominator > 0, "ctnn::basic_leaky_relu: the slope's denominator must be positive");
  template <std::floating_point T>
  static constexpr T slope = static_cast<T>(Numerator) / static_cast<T>(Denominator);
  template <std::floating_point T>
  static constexpr T value(T z) { return z > T{0} ? z : slope<T> * z; }
  template <std::floating_point T>
  static constexpr T derivative(T z, T) { return math::detail::select(z > T{0}, T{1}, slope<T>); }
};

/** Leaky ReLU with slope 0.01 below zero. */
using leaky_relu = basic_leaky_relu<1, 100>;

/** a = 1 / (1 + e^-z). Saturates to exactly 0 or 1 without NaN: e^-z may overflow to +inf, and 1/inf is 0. */
struct sigmoid {
  template <std::floating_point T>
  static constexpr T value(T z) { return T{1} / (T{1} + math::exp(-z)); }
  template <std::floating_point T>
  static constexpr T derivative(T, T a) { return a * (T{1} - a); }
};

/** a = tanh(z). */
struct tanh {
  template <std::floating_point T>
  static constexpr T value(T z) { return math::tanh(z); }
  template <std::floating_point T>
  static constexpr T derivative(T, T a) { return T{1} - a * a; }
};

/** a = e^z / Σ e^z, the output of a multi-class classifier (pair it with
    categorical_cross_entropy, whose gradient through softmax is fused and exact). Computed
    as e^(z - max z): no overflow for any logits. */
struct softmax {
  template <std::floating_point T, std::size_t N>
  static constexpr void apply(const std::array<T, N>& z, std::array<T, N>& a) {
    T largest = z[0];
    for (std::size_t k = 1; k < N; ++k) largest = z[k] > largest ? z[k] : largest;
    T sum{};
    for (std::size_t k = 0; k < N; ++k) sum += (a[k] = math::exp(z[k] - largest));
    for (std::size_t k = 0; k < N; ++k) a[k] /= sum;
  }
  /** dL/dz = a ⊙ (dL/da - (dL/da · a)). */
  template <std::floating_point T, std::size_t N>
  static constexpr void backward(const std::array<T, N>&, const std::array<T, N>& a, std::array<T, N>& d) {
    T dot{};
    for (std::size_t k = 0; k < N; ++k) dot += d[k] * a[k];
    for (std::size_t k = 0; k < N; ++k) d[k] = a[k] * (d[k] - dot);
  }
};

namespace detail {

/** Computes a = Act(z) for either kind of activation. */
template <Activation Act, std::floating_point T, std::size_t N>
constexpr void activate(const std::array<T, N>& z, std::array<T, N>& a) {
  if constexpr (VectorActivation<Act>) {
    Act::apply(z, a);
  } else if constexpr (sample_block > 1) {
    short_loop<N>([&](std::size_t k) { a[k] = Act::value(z[k]); });
  } else {  // a microcontroller: the plain loop (see short_loop)
    for (std::size_t k = 0; k < N; ++k) a[k] = Act::value(z[k]);
  }
}

/** Turns d = dL/da into dL/dz in place, for either kind of activation. */
template <Activation Act, std::floating_point T, std::size_t N>
constexpr void activation_backward(const std::array<T, N>& z, const std::array<T, N>& a, std::array<T, N>& d) {
  if constexpr (VectorActivation<Act>) {
    Act::backward(z, a, d);
  } else if constexpr (sample_block > 1) {
    short_loop<N>([&](std::size_t k) { d[k] *= Act::derivative(z[k], a[k]); });
  } else {  // a microcontroller: the plain loop (see short_loop)
    for (std::size_t k = 0; k < N; ++k) d[k] *= Act::derivative(z[k], a[k]);
  }
}

}  // namespace detail

}  // namespace ctnn
