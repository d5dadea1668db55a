// Activation values, derivatives against finite differences, and the Activation concept.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "ctnn/activation.hpp"
#include "ctnn/metrics.hpp"

static_assert(ctnn::Activation<ctnn::identity>);
static_assert(ctnn::Activation<ctnn::relu>);
static_assert(ctnn::Activation<ctnn::leaky_relu>);
static_assert(ctnn::Activation<ctnn::sigmoid>);
static_assert(ctnn::Activation<ctnn::tanh>);
static_assert(ctnn::Activation<ctnn::softmax>);
static_assert(ctnn::VectorActivation<ctnn::softmax>);
static_assert(!ctnn::ElementwiseActivation<ctnn::softmax>);
static_assert(!ctnn::Activation<int>);
static_assert(!ctnn::Activation<struct not_an_activation>);

TEST_CASE("activation values", "[activation]") {
  STATIC_REQUIRE(ctnn::relu::value(-2.0) == 0.0);
  STATIC_REQUIRE(ctnn::relu::value(3.0f) == 3.0f);
  STATIC_REQUIRE(ctnn::leaky_relu::value(-2.0) == -0.02);
  STATIC_REQUIRE(ctnn::identity::value(-1.5) == -1.5);
  STATIC_REQUIRE(ctnn::sigmoid::value(0.0) == 0.5);
  CHECK(ctnn::tanh::value(0.5) == Approx(std::tanh(0.5)).epsilon(1e-15));
  CHECK(ctnn::sigmoid::value(2.0) == Approx(1.0 / (1.0 + std::exp(-2.0))).epsilon(1e-15));
}

TEST_CASE("sigmoid saturates to exactly 0 and 1, without NaN", "[activation]") {
  for (const float z : {-1000.0f, -100.0f, 100.0f, 1000.0f}) {
    const float a = ctnn::sigmoid::value(z);
    CHECK((a == 0.0f || a == 1.0f));
    CHECK(ctnn::sigmoid::derivative(z, a) == 0.0f);
  }
  STATIC_REQUIRE(ctnn::sigmoid::value(-1000.0f) == 0.0f);
  STATIC_REQUIRE(ctnn::sigmoid::value(1000.0) == 1.0);
}

TEMPLATE_TEST_CASE("activation derivatives match central differences", "[activation]", ctnn::identity, ctnn::relu,
                   ctnn::leaky_relu, ctnn::sigmoid, ctnn::tanh) {
  // Central difference with h = 1e-6 in double: truncation h²·f'''/6 < 1e-12, rounding
  // eps·|f|/h < 1e-9 for |f| < 5, so 1e-8 is a safe bound that a wrong formula exceeds.
  constexpr double h = 1e-6;
  for (double z = -4.05; z < 4; z += 0.1) {  // the grid steps around the kink at 0
    const double a = TestType::value(z);
    const double numeric = (TestType::value(z + h) - TestType::value(z - h)) / (2 * h);
    CHECK(TestType::derivative(z, a) == Approx(numeric).margin(1e-8));
  }
}

TEMPLATE_TEST_CASE("relu's and leaky relu's derivatives, at the kink too, in every scalar type", "[activation]", float,
                   double, long double) {
  // Computed with masks in float and double, with ?: in long double (math::detail::select).
  using T = TestType;
  STATIC_REQUIRE(ctnn::relu::derivative(T(-1), T(0)) == T(0));
  STATIC_REQUIRE(ctnn::relu::derivative(T(0), T(0)) == T(0));
  STATIC_REQUIRE(ctnn::relu::derivative(T(2), T(2)) == T(1));
  STATIC_REQUIRE(ctnn::leaky_relu::derivative(T(-1), T(0)) == ctnn::leaky_relu::slope<T>);
  STATIC_REQUIRE(ctnn::leaky_relu::derivative(T(0), T(0)) == ctnn::leaky_relu::slope<T>);
  STATIC_REQUIRE(ctnn::leaky_relu::derivative(T(2), T(2)) == T(1));
  for (const T z : {T(-1e30), T(-1), T(-0.0), T(0), T(1e-30), T(3), T(1e30)}) {
    CHECK(ctnn::relu::derivative(z, ctnn::relu::value(z)) == (z > 0 ? T(1) : T(0)));
    CHECK(ctnn::leaky_relu::derivative(z, ctnn::leaky_relu::value(z)) ==
          (z > 0 ? T(1) : ctnn::leaky_relu::slope<T>));
  }
  const T nan = std::numeric_limits<T>::quiet_NaN();
  CHECK(ctnn::relu::derivative(nan, nan) == T(0));  // NaN > 0 is false
}

TEST_CASE("softmax is a distribution, also for extreme logits", "[activation]") {
  for (const double scale : {1.0, 100.0, 1000.0}) {
    const std::array<double, 4> z{scale, -scale, 0.5 * scale, 0};
    std::array<double, 4> a{};
    ctnn::softmax::apply(z, a);
    double sum = 0;
    for (double v : a) {
      CHECK(std::isfinite(v));
      CHECK(v >= 0);
      sum += v;
    }
    CHECK(sum == Approx(1.0).epsilon(1e-15));
    CHECK(ctnn::classify(a) == 0);
  }
  constexpr auto uniform = [] {
    std::array<float, 4> a{};
    ctnn::softmax::apply(std::array<float, 4>{2, 2, 2, 2}, a);
    return a;
  }();
  STATIC_REQUIRE(uniform[3] == 0.25f);
}
