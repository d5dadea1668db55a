// The portable (compile-time) math against the platform's libm.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>

#include "ctnn/math.hpp"

namespace pm = ctnn::math::portable;

namespace {
// Relative error, with an absolute floor near zero where relative error is meaningless.
double rel_err(double got, double want) { return std::abs(got - want) / std::max(std::abs(want), 1e-300); }
}  // namespace

// The portable functions are series evaluated in double; a handful of roundings
// accumulate, so 1e-14 (about 45 ulp) bounds them with room, while a wrong
// coefficient or range reduction shows as 1e-3 or worse.
constexpr double portable_tolerance = 1e-14;

TEST_CASE("portable exp, log, log1p, tanh, sqrt match libm", "[math]") {
  for (double x = -700; x <= 700; x += 0.37) {
    CHECK(rel_err(pm::exp(x), std::exp(x)) < portable_tolerance);
    CHECK(rel_err(pm::tanh(x / 50), std::tanh(x / 50)) < portable_tolerance);
  }
  for (double x = 1e-300; x < 1e300; x *= 7.3) {
    CHECK(std::abs(pm::log(x) - std::log(x)) < portable_tolerance * std::max(1.0, std::abs(std::log(x))));
    CHECK(rel_err(pm::sqrt(x), std::sqrt(x)) < 1e-15);
  }
  for (double x = -0.9; x < 10; x += 0.013) CHECK(rel_err(pm::log1p(x), std::log1p(x)) < portable_tolerance);
  CHECK(rel_err(pm::log1p(1e-12), std::log1p(1e-12)) < portable_tolerance);
}

TEST_CASE("float log1p (from logf) is within 3 ulp of the exact value", "[math]") {
  // Against double log1p rounded to float: every 97th float bit pattern in (-1, FLT_MAX] and its
  // negative. 3 ulp is Goldberg's bound for log(u)·x/(u - 1) with a logf within 1 ulp (measured
  // worst: 2.72 ulp at 0.0156 over every 7th pattern); dropping the correction x/(u - 1) shows as
  // millions of ulp near 0.
  double worst = 0;
  float worst_x = 0;
  for (std::uint32_t bits = 0; bits < 0x7f800000u; bits += 97) {
    const float magnitude = std::bit_cast<float>(bits);
    for (const float x : {magnitude, -magnitude}) {
      if (x <= -1.0f) continue;
      const double exact = std::log1p(static_cast<double>(x));
      const float rounded = static_cast<float>(exact);
      const double ulp = static_cast<double>(std::nextafter(std::abs(rounded), std::numeric_limits<float>::infinity()) -
                                             std::abs(rounded));
      const double error = std::abs(static_cast<double>(ctnn::math::log1p(x)) - exact) / ulp;
      if (error > worst) {
        worst = error;
        worst_x = x;
      }
    }
  }
  INFO("worst " << worst << " ulp at x = " << worst_x);
  CHECK(worst < 3.0);
  CHECK(ctnn::math::log1p(std::numeric_limits<float>::infinity()) == std::numeric_limits<float>::infinity());
  CHECK(ctnn::math::log1p(-1.0f) == -std::numeric_limits<float>::infinity());
  CHECK(std::isnan(ctnn::math::log1p(std::numeric_limits<float>::quiet_NaN())));
  CHECK(ctnn::math::log1p(1e-30f) == 1e-30f);
}

namespace {
/** The error of `got` in units of the last place of the float nearest `exact` (subnormal ulp below 2^-126). */
double float_ulp_error(float got, double exact) {
  const float rounded = static_cast<float>(exact);
  const double ulp = std::abs(rounded) < 0x1p-126f
                         ? 0x1p-149
                         : static_cast<double>(std::nextafter(std::abs(rounded), std::numeric_limits<float>::infinity()) -
                                               std::abs(rounded));
  return std::abs(static_cast<double>(got) - exact) / ulp;
}
}  // namespace

TEST_CASE("float exp and log (branch-free, in float arithmetic) are within 1.5 ulp", "[math]") {
  // Against double exp and log: every 97th float bit pattern and its negative, wherever the result is
  // finite and not zero. Measured over every float (set the step to 1):
  // exp 1.07 ulp, log 0.92 ulp without FMA; 1.5 leaves room for a compiler that contracts into FMAs. A
  // wrong coefficient or reduction shows as thousands of ulp; log's plain form (2 atanh(s) summed
  // directly) measured 2.8 ulp here, and exp's polynomial with its float-rounded linear term 1.9.
  double worst_exp = 0, worst_log = 0;
  float worst_exp_x = 0, worst_log_x = 0;
  for (std::uint32_t bits = 0; bits < 0x7f800000u; bits += 97) {
    const float magnitude = std::bit_cast<float>(bits);
    for (const float x : {magnitude, -magnitude}) {
      if (x > -103.0f && x < 88.7f) {
        const double error = float_ulp_error(ctnn::math::exp(x), std::exp(static_cast<double>(x)));
        if (error > worst_exp) {
          worst_exp = error;
          worst_exp_x = x;
        }
      }
      if (x > 0) {
        const double error = float_ulp_error(ctnn::math::log(x), std::log(static_cast<double>(x)));
        if (error > worst_log) {
          worst_log = error;
          worst_log_x = x;
        }
      }
    }
  }
  INFO("exp: worst " << worst_exp << " ulp at x = " << worst_exp_x);
  CHECK(worst_exp < 1.5);
  INFO("log: worst " << worst_log << " ulp at x = " << worst_log_x);
  CHECK(worst_log < 1.5);
}

TEST_CASE("float exp and log give IEEE results at their edges", "[math]") {
  constexpr float inf = std::numeric_limits<float>::infinity();
  const auto exp = [](float x) { return ctnn::math::exp(x); };  // the run-time path, not the constexpr one
  const auto log = [](float x) { return ctnn::math::log(x); };
  CHECK(exp(0.0f) == 1.0f);
  CHECK(float_ulp_error(exp(88.72f), std::exp(static_cast<double>(88.72f))) < 1.5);  // near FLT_MAX
  CHECK(exp(88.73f) == inf);  // e^88.73 is above FLT_MAX
  CHECK(exp(inf) == inf);
  CHECK(exp(-inf) == 0.0f);
  CHECK(exp(-103.9f) == 0x1p-149f);  // rounds to the smallest subnormal
  CHECK(exp(-104.5f) == 0.0f);
  CHECK(float_ulp_error(exp(-95.0f), std::exp(-95.0)) < 1.5);  // a subnormal result, rounded once
  CHECK(std::isnan(exp(std::numeric_limits<float>::quiet_NaN())));
  CHECK(log(1.0f) == 0.0f);
  CHECK(log(0.0f) == -inf);
  CHECK(log(-0.0f) == -inf);
  CHECK(log(inf) == inf);
  CHECK(std::isnan(log(-1.0f)));
  CHECK(std::isnan(log(-inf)));
  CHECK(std::isnan(log(std::numeric_limits<float>::quiet_NaN())));
  CHECK(float_ulp_error(log(0x1p-149f), std::log(0x1p-149)) < 1.5);  // subnormal input
  CHECK(float_ulp_error(log(0x1.8p-140f), std::log(0x1.8p-140)) < 1.5);
}

TEST_CASE("portable math handles the edges without UB", "[math]") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  STATIC_REQUIRE(pm::exp(1000.0) == inf);
  STATIC_REQUIRE(pm::exp(-1000.0) == 0.0);
  STATIC_REQUIRE(pm::log(0.0) == -inf);
  STATIC_REQUIRE(pm::tanh(30.0) == 1.0);
  STATIC_REQUIRE(pm::tanh(-30.0) == -1.0);
  STATIC_REQUIRE(ctnn::math::exp(100.0f) == std::numeric_limits<float>::infinity());  // saturates, no UB
  STATIC_REQUIRE(!ctnn::math::is_finite(ctnn::math::exp(100.0f)));
  CHECK(std::isnan(pm::log(-1.0)));
  CHECK(std::isnan(pm::sqrt(-1.0)));
  CHECK(rel_err(pm::log(4.9e-324), std::log(4.9e-324)) < portable_tolerance);  // subnormal
  // e^709.5 = 1.36e308 is a double (its 2^k, 2^1024, is not); sqrt of subnormals.
  CHECK(rel_err(pm::exp(709.5), std::exp(709.5)) < portable_tolerance);
  CHECK(rel_err(pm::exp(709.78), std::exp(709.78)) < portable_tolerance);
  CHECK(rel_err(pm::sqrt(4.9e-324), std::sqrt(4.9e-324)) < portable_tolerance);
  CHECK(rel_err(pm::sqrt(1e-310), std::sqrt(1e-310)) < portable_tolerance);
}

TEST_CASE("the compile-time and run-time paths agree", "[math]") {
  constexpr float e1 = ctnn::math::exp(1.0f);
  constexpr double l2 = ctnn::math::log(2.0);
  CHECK(e1 == Approx(std::exp(1.0f)).epsilon(1e-7));
  CHECK(l2 == Approx(std::log(2.0)).epsilon(1e-15));
}

TEMPLATE_TEST_CASE("abs and is_non_finite_bits for every floating-point type", "[math]", float, double, long double) {
  // float and double work on the bits; long double (padded to 16 bytes on x86) by comparison.
  using T = TestType;
  using limits = std::numeric_limits<T>;
  for (const T x : {T{0}, -T{0}, T{1}, -T{2.5}, limits::max(), limits::lowest(), limits::denorm_min(), -limits::min()}) {
    INFO("x = " << static_cast<double>(x));
    CHECK(ctnn::math::abs(x) == (x < 0 ? -x : x));
    CHECK_FALSE(std::signbit(ctnn::math::abs(x)));
    CHECK_FALSE(ctnn::math::is_non_finite_bits(x));
  }
  CHECK(ctnn::math::abs(-limits::infinity()) == limits::infinity());
  for (const T x : {limits::infinity(), -limits::infinity(), limits::quiet_NaN(), -limits::quiet_NaN()})
    CHECK(ctnn::math::is_non_finite_bits(x));
  STATIC_REQUIRE(ctnn::math::abs(T{-3}) == T{3});
  STATIC_REQUIRE(ctnn::math::is_non_finite_bits(limits::infinity()));
  STATIC_REQUIRE_FALSE(ctnn::math::is_non_finite_bits(limits::max()));
}
