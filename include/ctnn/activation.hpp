// ctnn/activation.hpp - activation policies: stateless types with constexpr value and derivative.
#pragma once

#include <concepts>

#include "ctnn/math.hpp"

namespace ctnn {

/** An element-wise activation: value(z) and derivative(z, a) where a = value(z).
    Satisfied by identity, relu, leaky_relu, sigmoid, tanh. */
template <class A>
concept Activation = requires(float zf, double zd) {
  { A::value(zf) } -> std::same_as<float>;
  { A::derivative(zf, zf) } -> std::same_as<float>;
  { A::value(zd) } -> std::same_as<double>;
  { A::derivative(zd, zd) } -> std::same_as<double>;
};

/** a = z. The output of a regression network. */
struct identity {
  template <std::floating_point T>
  static constexpr T value(T z) { return z; }
  template <std::floating_point T>
  static constexpr T derivative(T, T) { return T{1}; }
};

/** a = max(0, z); the derivative at 0 is taken as 0. */
struct relu {
  template <std::floating_point T>
  static constexpr T value(T z) { return z > T{0} ? z : T{0}; }
  template <std::floating_point T>
  static constexpr T derivative(T z, T) { return z > T{0} ? T{1} : T{0}; }
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
  static constexpr T derivative(T z, T) { return z > T{0} ? T{1} : slope<T>; }
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

}  // namespace ctnn
