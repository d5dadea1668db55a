// ctnn/math.hpp - exp, log, log1p, tanh and sqrt that work in constant expressions.
//
// The standard library makes none of these constexpr (g++ folds some as an
// extension, clang does not). Each function here takes a portable path built
// from + - * / and std::bit_cast when evaluated at compile time, and the
// C library's function at run time. The portable path is also used at
// run time where bit-identical results across compilers matter (initialisation,
// see random.hpp): call the ctnn::math::portable:: functions for that.
#pragma once

#include <bit>
#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace ctnn::math {

namespace libm {
// The C library's functions, reached through the builtins g++ and clang both have (what <cmath>
// calls): <cmath> took about 0.09 s of quick_start's 1 s compile (its other includes compiled
// with and without it, best of 5).
inline double exp(double x) { return __builtin_exp(x); }
inline long double exp(long double x) { return __builtin_expl(x); }
inline double log(double x) { return __builtin_log(x); }
inline long double log(long double x) { return __builtin_logl(x); }
inline double log1p(double x) { return __builtin_log1p(x); }
inline long double log1p(long double x) { return __builtin_log1pl(x); }
inline float tanh(float x) { return __builtin_tanhf(x); }
inline double tanh(double x) { return __builtin_tanh(x); }
inline long double tanh(long double x) { return __builtin_tanhl(x); }
inline float sqrt(float x) { return __builtin_sqrtf(x); }
inline double sqrt(double x) { return __builtin_sqrt(x); }
inline long double sqrt(long double x) { return __builtin_sqrtl(x); }
}  // namespace libm

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
  // 2^k in two factors: 2^1024 itself is beyond double (e^709.5 = 1.36e308 has k = 1024), and
  // the last product rounds once into the subnormals, as the exact result would.
  return sum * pow2(k / 2) * pow2(k - k / 2);
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
  // A subnormal's exponent bits say nothing of its size: scale it into the normals, exactly.
  if (x < std::numeric_limits<double>::min()) return sqrt(x * 0x1p108) * 0x1p-54;
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

namespace detail {

/** c ? a : b, computed with masks. Written with ?:, g++ may split the code that follows into two
    paths (threading a later test of the same value, or keeping a division that may trap inside
    one of them), and a loop over samples then does not vectorise; or branch on c where c is
    data. In masks for types of 4 and 8 bytes; ?: for others (x86's long double, whose 80-bit
    format is padded to 16 bytes). */
template <std::floating_point T>
constexpr T select(bool c, T a, T b) {
  if constexpr (sizeof(T) == sizeof(std::uint32_t) || sizeof(T) == sizeof(std::uint64_t)) {
    using bits = std::conditional_t<sizeof(T) == sizeof(std::uint32_t), std::uint32_t, std::uint64_t>;
    const bits mask = bits{0} - static_cast<bits>(c);
    return std::bit_cast<T>((mask & std::bit_cast<bits>(a)) | (~mask & std::bit_cast<bits>(b)));
  } else {
    return c ? a : b;
  }
}

/** 2^k as a float for k in [-126, 127]. */
constexpr float pow2f(std::uint32_t biased_exponent) { return std::bit_cast<float>(biased_exponent << 23); }

/** e^x in float arithmetic without a branch or a call, so that a loop over samples vectorises
    (libm's expf is a call, which keeps every such loop scalar) and a microcontroller needs no
    double. Within 1.07 ulp of the exact value over every float (tests/test_math.cpp); 0 below
    -104, +inf above ln(FLT_MAX), NaN for NaN. */
constexpr float exp_float(float x) {
  // Outside [-104, 89] the result is 0 or +inf, chosen at the end, off the critical path (clamping
  // x first made one sample's exp 1.5x as slow); in between, k stays in [-150, 128].
  // k = round(x / ln2): adding 1.5·2^23 leaves the rounded integer in the low mantissa bits.
  constexpr float shifter = 0x1.8p23f;
  const float shifted = x * 1.44269504088896341f + shifter;
  const auto k = static_cast<std::int32_t>(std::bit_cast<std::uint32_t>(shifted) - std::bit_cast<std::uint32_t>(shifter));
  const float kf = shifted - shifter;
  // r = x - k·ln2, with ln2 split so that k·ln2_hi is exact (ln2_hi has 16 significant bits).
  constexpr float ln2_hi = 0.693145751953125f;
  constexpr float ln2_lo = 1.42860682030941723212e-6f;
  const float r = (x - kf * ln2_hi) - kf * ln2_lo;
  // e^r = 1 + r + r²·q(r), q of degree 4 fitted to (e^r - 1 - r)/r² (Chebyshev, mpmath.chebyfit;
  // error 7.8e-9 in e^r), evaluated in Estrin's form: three dependent steps for q where Horner
  // needs five, for one sample's latency. 1 (below, h) is added last, so that one rounding falls on it.
  const float r2 = r * r;
  const float q = (0.5f + 0.16666577025597988f * r) + r2 * (0.041666554662050534f + 0.0083631730745137109f * r) +
                  (r2 * r2) * 0.0013926176119935579f;
  const float t = r + r2 * q;  // e^r - 1
  // 2^k in two factors, each a normal float: the last product rounds once into the subnormals
  // or overflows to +inf, as the exact result would. The first, h, is taken as h·t + h: the same
  // float as (1 + t)·h, since h·(1 + t) is a normal float and scaling by a power of two commutes
  // with rounding (every float checked, docs/speed.md); where there is FMA, one multiply-add
  // instead of an add and a multiply in a row.
  const std::int32_t k_half = k / 2;
  const float h = pow2f(static_cast<std::uint32_t>(k_half + 127));
  const float scaled = (h * t + h) * pow2f(static_cast<std::uint32_t>(k - k_half + 127));
  // A NaN fails both tests and stays NaN.
  return select(x > 89.0f, std::numeric_limits<float>::infinity(), select(x < -104.0f, 0.0f, scaled));
}

/** The natural logarithm in float arithmetic without a branch or a call (see exp_float).
    Within 0.92 ulp of the exact value over every float; -inf at ±0, NaN below 0 and for NaN, +inf at +inf. */
constexpr float log_float(float x) {
  // Every case is decided on the bits, as masks: with comparisons of x, g++ threads the special
  // cases into separate paths, and a loop over samples no longer vectorises.
  const auto x_bits = std::bit_cast<std::uint32_t>(x);
  // Subnormals (and zero) are scaled by 2^23 into the normal range first, exactly.
  const auto subnormal = static_cast<std::uint32_t>(x_bits < 0x00800000u);
  const auto bits = std::bit_cast<std::uint32_t>(x * std::bit_cast<float>(0x3f800000u + subnormal * (23u << 23)));
  // x = 2^e · m with m in [sqrt(1/2), sqrt(2)): the series below converges fastest there.
  const std::uint32_t mantissa = bits & 0x7fffffu;
  const auto halve = static_cast<std::uint32_t>(mantissa > 0x3504f3u);  // 1.mantissa above sqrt(2): m/2, e+1
  const float m = std::bit_cast<float>(mantissa | ((127u - halve) << 23));
  const auto e = static_cast<std::int32_t>(((bits >> 23) & 0xffu) + halve) - 127 - 23 * static_cast<std::int32_t>(subnormal);
  // log m = log(1 + f) = 2 atanh(s) with s = f/(2 + f), |s| <= 0.1716 (terms to s^9 leave 2.2e-9
  // relative), rearranged as f - (f²/2 - s·(f²/2 + R)) so that the exact f carries the result and
  // the roundings fall on the small correction (fdlibm's form): within 1 ulp instead of 3.
  const float f = m - 1.0f;  // exact
  const float s = f / (2.0f + f);
  const float s2 = s * s;
  const float r = s2 * (2.0f / 3 + s2 * (2.0f / 5 + s2 * (2.0f / 7 + s2 * (2.0f / 9))));
  const float half_f2 = 0.5f * f * f;
  const float log_m = f - (half_f2 - s * (half_f2 + r));
  constexpr float ln2_hi = 0.693145751953125f;
  constexpr float ln2_lo = 1.42860682030941723212e-6f;
  const auto ef = static_cast<float>(e);
  const auto result = std::bit_cast<std::uint32_t>(ef * ln2_hi + (log_m + ef * ln2_lo));
  // Positive, finite and not zero: the result; ±0: -inf; below 0 (and -NaN): NaN; +inf and NaN: x.
  const std::uint32_t regular = 0u - static_cast<std::uint32_t>(x_bits - 1u < 0x7f7fffffu);
  const std::uint32_t zero = 0u - static_cast<std::uint32_t>((x_bits << 1) == 0u);
  const std::uint32_t negative = 0u - (x_bits >> 31);
  const std::uint32_t special = (zero & 0xff800000u) | (~zero & ((negative & 0x7fc00000u) | (~negative & x_bits)));
  return std::bit_cast<float>((regular & result) | (~regular & special));
}

}  // namespace detail

/** Returns e^x (in float: detail::exp_float, within 1.1 ulp). */
template <std::floating_point T>
constexpr T exp(T x) {
  if (std::is_constant_evaluated()) return portable::narrow<T>(portable::exp(static_cast<double>(x)));
  if constexpr (std::is_same_v<T, float>) {
    return detail::exp_float(x);
  } else {
    return libm::exp(x);
  }
}

/** Returns the natural logarithm of x (in float: detail::log_float, within 1 ulp). */
template <std::floating_point T>
constexpr T log(T x) {
  if (std::is_constant_evaluated()) return portable::narrow<T>(portable::log(static_cast<double>(x)));
  if constexpr (std::is_same_v<T, float>) {
    return detail::log_float(x);
  } else {
    return libm::log(x);
  }
}

/** Returns log(1 + x). In float, from log (detail::log_float): glibc's and newlib's log1pf take
    several times as long as their logf, and this was a third of the reference workload's time
    (binary cross-entropy's softplus). log(u)·x/(u - 1) with u = 1 + x corrects the rounding of
    1 + x (Goldberg); within 3 ulp of the exact value (tests/test_math.cpp). */
template <std::floating_point T>
constexpr T log1p(T x) {
  if (std::is_constant_evaluated()) return portable::narrow<T>(portable::log1p(static_cast<double>(x)));
  if constexpr (std::is_same_v<T, float>) {
    const float u = 1.0f + x;
    const float d = u - 1.0f;
    const bool tiny = d == 0.0f;  // x below half an ulp of 1 (or 0): log1p(x) = x to float precision
    const float corrected = detail::log_float(u) * (x / detail::select(tiny, 1.0f, d));  // no division by 0
    return detail::select(tiny | (x == std::numeric_limits<float>::infinity()), x, corrected);
  } else {
    return libm::log1p(x);
  }
}

/** Returns the hyperbolic tangent of x. */
template <std::floating_point T>
constexpr T tanh(T x) {
  if (std::is_constant_evaluated()) return static_cast<T>(portable::tanh(static_cast<double>(x)));
  return libm::tanh(x);
}

/** Returns the square root of x. */
template <std::floating_point T>
constexpr T sqrt(T x) {
  if (std::is_constant_evaluated()) return static_cast<T>(portable::sqrt(static_cast<double>(x)));
  return libm::sqrt(x);
}

/** Returns |x| by clearing the sign bit: no comparison, so g++ cannot thread it with a nearby
    test of the same x into two paths (which stops a loop over samples vectorising). Types of
    other sizes (x86's long double, padded to 16 bytes) by comparison. */
template <std::floating_point T>
constexpr T abs(T x) {
  if constexpr (sizeof(T) == 4) {
    return std::bit_cast<T>(std::bit_cast<std::uint32_t>(x) & 0x7fffffffu);
  } else if constexpr (sizeof(T) == 8) {
    return std::bit_cast<T>(std::bit_cast<std::uint64_t>(x) & 0x7fffffffffffffffull);
  } else {
    return x < T{0} ? -x : x + T{0};  // + 0: -0 becomes +0
  }
}

/** Tells whether x is NaN or infinite from its exponent bits: branch-free, so loops over it
    vectorise, and unaffected by -ffast-math (which folds x != x to false). Types of other sizes
    (x86's long double) by comparison. */
template <std::floating_point T>
constexpr bool is_non_finite_bits(T x) {
  if constexpr (sizeof(T) == 4) {
    return (std::bit_cast<std::uint32_t>(x) & 0x7f800000u) == 0x7f800000u;
  } else if constexpr (sizeof(T) == 8) {
    return (std::bit_cast<std::uint64_t>(x) & 0x7ff0000000000000ull) == 0x7ff0000000000000ull;
  } else {
    return x != x || x == std::numeric_limits<T>::infinity() || x == -std::numeric_limits<T>::infinity();
  }
}

/** Tells whether x is neither NaN nor infinite, also in constant expressions. */
template <std::floating_point T>
constexpr bool is_finite(T x) {
  return x == x && x != std::numeric_limits<T>::infinity() && x != -std::numeric_limits<T>::infinity();
}

}  // namespace ctnn::math
