// ctnn/math.hpp - exp, log, log1p, tanh and sqrt that work in constant expressions.
//
// The standard library makes none of these constexpr (g++ folds some as an
// extension, clang does not). Each function here takes a portable path built
// from + - * / and std::bit_cast when evaluated at compile time, and the
// library's fast std:: function at run time. The portable path is also used at
// run time where bit-identical results across compilers matter (initialisation,
// see random.hpp): call the ctnn::math::portable:: functions for that.
#pragma once

#include <bit>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace ctnn::math {

namespace portable {

inline constexpr double ln2 = 0.693147180559945309417232121458176568;

/** Returns 2^k for any k, exactly where the result is representable. */
constexpr double pow2(int k) {
  if (k > 1023) return pow2(1023) * pow2(k - 1023);
  if (k < -1022) return pow2(-1022) * pow2(k + 1022);
  return std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
}

/** Returns e^x to about 1 ulp; 0 and +inf beyond the double range. */
constexpr double exp(double x) {
  if (x != x) return x;
  if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  // x = k*ln2 + r with |r| <= ln2/2; ln2 split in two so k*ln2_hi is exact.
  constexpr double ln2_hi = 6.93147180369123816490e-01;
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  const double kd = x / ln2 + (x < 0 ? -0.5 : 0.5);
  const int k = static_cast<int>(kd);
  const double r = (x - k * ln2_hi) - k * ln2_lo;
  // Taylor series of e^r: the 14th term is below 2^-56 for |r| <= 0.35.
  double term = 1.0, sum = 1.0;
  for (int n = 1; n < 15; ++n) {
    term *= r / n;
    sum += term;
  }
  return sum * pow2(k);
}

/** Returns the natural logarithm of x; -inf at 0, NaN below 0. */
constexpr double log(double x) {
  if (x != x) return x;
  if (x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (x == std::numeric_limits<double>::infinity()) return x;
  int e = 0;
  if (x < 0x1p-1022) {  // subnormal: scale into the normal range first
    x *= 0x1p54;
    e = -54;
  }
  const auto bits = std::bit_cast<std::uint64_t>(x);
  e += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  if (m > 1.4142135623730951) {  // keep m in [sqrt(2)/2, sqrt(2)] so s is small
    m *= 0.5;
    ++e;
  }
  // log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716: 11 odd terms reach 2^-56.
  const double s = (m - 1) / (m + 1);
  const double s2 = s * s;
  double power = s, sum = 0.0;
  for (int n = 1; n < 24; n += 2) {
    sum += power / n;
    power *= s2;
  }
  return e * ln2 + 2 * sum;
}

/** Returns log(1 + x), accurate for small x. */
constexpr double log1p(double x) {
  const double u = 1.0 + x;
  if (u == 1.0) return x;
  if (u == std::numeric_limits<double>::infinity()) return u;
  return log(u) * (x / (u - 1.0));  // corrects the rounding of 1 + x (Goldberg)
}

/** Returns e^x - 1, accurate for small x. */
constexpr double expm1(double x) {
  if (x > -0.5 && x < 0.5) {
    double term = x, sum = x;
    for (int n = 2; n < 20; ++n) {
      term *= x / n;
      sum += term;
    }
    return sum;
  }
  return exp(x) - 1.0;
}

/** Returns the hyperbolic tangent of x. */
constexpr double tanh(double x) {
  if (x != x) return x;
  const double ax = x < 0 ? -x : x;
  if (ax > 22.0) return x < 0 ? -1.0 : 1.0;  // tanh(22) rounds to 1 in double
  const double em = expm1(-2 * ax);           // tanh|x| = -expm1(-2|x|) / (2 + expm1(-2|x|))
  const double t = -em / (2.0 + em);
  return x < 0 ? -t : t;
}

/** Returns the square root of x (NaN below 0). */
constexpr double sqrt(double x) {
  if (x != x || x == std::numeric_limits<double>::infinity() || x == 0) return x;
  if (x < 0) return std::numeric_limits<double>::quiet_NaN();
  // Halve the exponent for a first guess within a factor 2, then Newton.
  const auto bits = std::bit_cast<std::uint64_t>(x);
  double y = std::bit_cast<double>((bits >> 1) + (std::uint64_t{1023} << 51));
  for (int i = 0; i < 8; ++i) y = 0.5 * (y + x / y);
  return y;
}

/** Converts to T, saturating to +-inf where a double exceeds T's range (a plain conversion would be UB). */
template <std::floating_point T>
constexpr T narrow(double x) {
  if (x > static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::infinity();
  if (x < -static_cast<double>(std::numeric_limits<T>::max())) return -std::numeric_limits<T>::infinity();
  return static_cast<T>(x);
}

}  // namespace portable

/** Returns e^x. */
template <std::floating_point T>
constexpr T exp(T x) {
  if (std::is_constant_evaluated()) return portable::narrow<T>(portable::exp(static_cast<double>(x)));
  return std::exp(x);
}

/** Returns the natural logarithm of x. */
template <std::floating_point T>
constexpr T log(T x) {
  if (std::is_constant_evaluated()) return portable::narrow<T>(portable::log(static_cast<double>(x)));
  return std::log(x);
}

/** Returns log(1 + x). In float, from logf: glibc's and newlib's log1pf take several times as
    long as their logf, and this was a third of the reference workload's time (binary cross-
    entropy's softplus). log(u)·x/(u - 1) with u = 1 + x corrects the rounding of 1 + x
    (Goldberg); within 3 ulp of the exact value (tests/test_math.cpp). */
template <std::floating_point T>
constexpr T log1p(T x) {
  if (std::is_constant_evaluated()) return portable::narrow<T>(portable::log1p(static_cast<double>(x)));
  if constexpr (std::is_same_v<T, float>) {
    const float u = 1.0f + x;
    if (u == 1.0f) return x;  // x below half an ulp of 1: log1p(x) = x to float precision
    if (u == std::numeric_limits<float>::infinity()) return u;
    return std::log(u) * (x / (u - 1.0f));
  } else {
    return std::log1p(x);
  }
}

/** Returns the hyperbolic tangent of x. */
template <std::floating_point T>
constexpr T tanh(T x) {
  if (std::is_constant_evaluated()) return static_cast<T>(portable::tanh(static_cast<double>(x)));
  return std::tanh(x);
}

/** Returns the square root of x. */
template <std::floating_point T>
constexpr T sqrt(T x) {
  if (std::is_constant_evaluated()) return static_cast<T>(portable::sqrt(static_cast<double>(x)));
  return std::sqrt(x);
}

/** Tells whether x is NaN or infinite from its exponent bits: branch-free, so loops over it
    vectorise, and unaffected by -ffast-math (which folds x != x to false). */
template <std::floating_point T>
  requires(sizeof(T) == 4 || sizeof(T) == 8)
constexpr bool is_non_finite_bits(T x) {
  if constexpr (sizeof(T) == 4) {
    return (std::bit_cast<std::uint32_t>(x) & 0x7f800000u) == 0x7f800000u;
  } else {
    return (std::bit_cast<std::uint64_t>(x) & 0x7ff0000000000000ull) == 0x7ff0000000000000ull;
  }
}

/** Tells whether x is neither NaN nor infinite, also in constant expressions. */
template <std::floating_point T>
constexpr bool is_finite(T x) {
  return x == x && x != std::numeric_limits<T>::infinity() && x != -std::numeric_limits<T>::infinity();
}

}  // namespace ctnn::math
