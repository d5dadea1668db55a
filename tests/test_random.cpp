// The generator and the initialisers: same numbers everywhere, right statistics.
#include <catch2/catch.hpp>

#include <cmath>

#include "ctnn/network.hpp"
#include "ctnn/random.hpp"

TEST_CASE("random_engine is SplitMix64", "[random]") {
  // Published test values of SplitMix64 for seed 1234567 (Vigna's splitmix64.c),
  // also reproduced by a Python transcription.
  ctnn::random_engine rng{1234567};
  CHECK(rng.next() == 6457827717110365317ULL);
  CHECK(rng.next() == 3203168211198807973ULL);
  CHECK(rng.next() == 9817491932198370423ULL);
  constexpr auto first = [] {
    ctnn::random_engine r{1234567};
    return r.next();
  }();
  STATIC_REQUIRE(first == 6457827717110365317ULL);
}

TEST_CASE("uniform and normal have the right moments", "[random]") {
  ctnn::random_engine rng{42};
  constexpr int n = 200000;
  double sum = 0, sum2 = 0, usum = 0;
  for (int k = 0; k < n; ++k) {
    const double x = rng.normal();
    sum += x;
    sum2 += x * x;
    const double u = rng.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    usum += u;
  }
  // Standard errors at n = 2e5: mean 0.0022, variance 0.0032, uniform mean 0.00065; 5 sigma bounds.
  CHECK(std::abs(sum / n) < 0.012);
  CHECK(std::abs(sum2 / n - 1.0) < 0.016);
  CHECK(std::abs(usum / n - 0.5) < 0.0033);
}

TEST_CASE("normal() is the same at compile time and at run time", "[random]") {
  constexpr double at_compile_time = [] {
    ctnn::random_engine r{7};
    r.normal();
    return r.normal() + r.normal();
  }();
  ctnn::random_engine r{7};
  r.normal();
  const double at_run_time = r.normal() + r.normal();
  CHECK(at_compile_time == at_run_time);  // bit-identical: both take the portable path
}

TEST_CASE("he and xavier draw weights with the intended spread and zero biases", "[random]") {
  using net = ctnn::network<double, ctnn::dense<200, 300, ctnn::relu>, ctnn::dense<300, 1, ctnn::sigmoid>>;
  const net he{ctnn::he{}, 1};
  const net xavier{ctnn::xavier{}, 1};
  const auto variance = [](const auto& weights) {
    double s = 0, s2 = 0;
    for (double w : weights) {
      s += w;
      s2 += w * w;
    }
    const double n = static_cast<double>(weights.size());
    return s2 / n - (s / n) * (s / n);
  };
  // 60,000 draws: the variance's relative standard error is sqrt(2/60000) = 0.6% (normal)
  // and below that for the uniform; 3% is 5 standard errors.
  CHECK(variance(he.parameters().layer<0>().weights) == Approx(2.0 / 200).epsilon(0.03));
  CHECK(variance(xavier.parameters().layer<0>().weights) == Approx(2.0 / (200 + 300)).epsilon(0.03));
  for (double b : he.parameters().layer<0>().biases) CHECK(b == 0.0);
  const net he_again{ctnn::he{}, 1};
  const net he_other{ctnn::he{}, 2};
  CHECK(he == he_again);
  CHECK_FALSE(he == he_other);
}
