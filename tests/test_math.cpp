// The portable (compile-time) math against the platform's libm.
#include <catch2/catch.hpp>

#include <cmath>
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
}

TEST_CASE("the compile-time and run-time paths agree", "[math]") {
  constexpr float e1 = ctnn::math::exp(1.0f);
  constexpr double l2 = ctnn::math::log(2.0);
  CHECK(e1 == Approx(std::exp(1.0f)).epsilon(1e-7));
  CHECK(l2 == Approx(std::log(2.0)).epsilon(1e-15));
}
