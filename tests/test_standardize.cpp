// Standardisation: statistics from the data given, applied unchanged afterwards.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "ctnn/standardize.hpp"

TEST_CASE("standardizer fits mean and deviation per feature", "[standardize]") {
  // Feature 0: 1, 2, 3, 4 (mean 2.5, population deviation sqrt(1.25)); feature 1 constant.
  constexpr std::array<std::array<double, 2>, 4> xs{{{1, 7}, {2, 7}, {3, 7}, {4, 7}}};
  constexpr auto s = ctnn::standardizer<double, 2>::fit(xs);
  STATIC_REQUIRE(s.mean[0] == 2.5);
  STATIC_REQUIRE(s.mean[1] == 7.0);
  STATIC_REQUIRE(s.inverse_deviation[1] == 1.0);  // a constant feature is only centred
  CHECK(s.inverse_deviation[0] == Approx(1 / std::sqrt(1.25)).epsilon(1e-15));
  const auto y = s({4, 7});
  CHECK(y[0] == Approx(1.5 / std::sqrt(1.25)).epsilon(1e-15));
  CHECK(y[1] == 0.0);
}

TEST_CASE("standardized training data has mean 0 and deviation 1; other data keeps the fit", "[standardize]") {
  std::array<std::array<float, 1>, 5> train{{{10}, {20}, {30}, {40}, {50}}};
  std::array<std::array<float, 1>, 1> other{{{30}}};
  const auto s = ctnn::standardizer<float, 1>::fit(train);
  s.apply(train);
  s.apply(other);
  double sum = 0, squares = 0;
  for (const auto& x : train) {
    sum += x[0];
    squares += x[0] * x[0];
  }
  CHECK(sum / 5 == Approx(0.0).margin(1e-6));     // float rounding of values of order 1
  CHECK(squares / 5 == Approx(1.0).epsilon(1e-6));
  CHECK(other[0][0] == 0.0f);  // 30 is the training mean: the held-out value uses the training fit
}

TEST_CASE("features at the ends of the range fit finite statistics", "[standardize]") {
  // float: a spread of 7e-46, whose inverse is beyond FLT_MAX (converting it was undefined, then
  // inf and NaN outputs): the feature is only centred. Constant evaluation: UB would not compile.
  constexpr std::array<std::array<float, 1>, 2> tiny{{{0.0f}, {1e-45f}}};
  constexpr auto t = ctnn::standardizer<float, 1>::fit(tiny);
  STATIC_REQUIRE(t.inverse_deviation[0] == 1.0f);
  // double: squares beyond DBL_MAX (the feature was erased: inverse 0), and a sum beyond it (NaN).
  // At run time: an overflow, even one fit then avoids, is not a constant expression.
  // Tolerances: each figure is a few roundings of values of order 1 (1e-15, about 5 ulp), or goes
  // through a subnormal inverse with about 50 significant bits (1e-12).
  const std::array<std::array<double, 1>, 2> wide{{{-1e200}, {1e200}}};
  const auto w = ctnn::standardizer<double, 1>::fit(wide);
  CHECK(w.mean[0] == 0.0);
  CHECK(w({1e200})[0] == Approx(1.0).epsilon(1e-15));
  const std::array<std::array<double, 1>, 2> huge{{{1e308}, {1.5e308}}};
  const auto h = ctnn::standardizer<double, 1>::fit(huge);
  CHECK(h.mean[0] == Approx(1.25e308).epsilon(1e-15));
  CHECK(h({1.5e308})[0] == Approx(1.0).epsilon(1e-15));
  CHECK(h({1e308})[0] == Approx(-1.0).epsilon(1e-15));
  // The roundings of x/n can carry the mean past DBL_MAX: it stays within the values.
  constexpr double max = std::numeric_limits<double>::max();
  const std::array<std::array<double, 1>, 3> top{{{max}, {max}, {max}}};
  const auto m = ctnn::standardizer<double, 1>::fit(top);
  CHECK(m.mean[0] == max);
  CHECK(m({max})[0] == 0.0);
  // Values 2·DBL_MAX apart: the distances are taken in halves. Mean max/3, deviation (4/3)·max·sqrt(1/2).
  const std::array<std::array<double, 1>, 3> apart{{{-max}, {max}, {max}}};
  const auto a = ctnn::standardizer<double, 1>::fit(apart);
  CHECK(a({max})[0] == Approx(std::sqrt(0.5)).epsilon(1e-12));
}

TEST_CASE("an empty fit is the identity", "[standardize]") {
  const auto s = ctnn::standardizer<float, 2>::fit(std::span<const std::array<float, 2>>{});
  CHECK(s({3.0f, -1.0f}) == std::array<float, 2>{3.0f, -1.0f});
}
