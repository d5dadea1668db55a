// Backpropagation against central finite differences, for every activation with every loss.
#include <catch2/catch.hpp>

#include <algorithm>
#include <type_traits>
#include <cmath>

#include "ctnn/ctnn.hpp"

namespace {

// A sigmoid that is not ctnn::sigmoid, so binary_cross_entropy takes its generic
// (clamped, unfused) path; the fused path is tested with ctnn::sigmoid itself.
struct unfused_sigmoid : ctnn::sigmoid {};
// Likewise for softmax: categorical_cross_entropy's generic path, through softmax's Jacobian.
struct unfused_softmax : ctnn::softmax {};

template <class Net, class Loss>
double batch_loss(const Net& m, const std::array<typename Net::input, 3>& xs,
                  const std::array<typename Net::output, 3>& ys) {
  double sum = 0;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    typename Net::trace t{};
    const auto& a = m.forward(xs[k], t);
    sum += Loss::template value<typename Net::output_activation>(t.template layer<Net::layer_count - 1>().z, a, ys[k]);
  }
  return sum / static_cast<double>(xs.size());
}

// Smallest |z| over every layer of every sample: a finite difference that crosses a
// kink (relu at 0) measures the wrong slope, so the test checks it stays clear of them.
template <class Net>
double smallest_abs_z(const Net& m, const std::array<typename Net::input, 3>& xs) {
  double smallest = 1e300;
  for (const auto& x : xs) {
    typename Net::trace t{};
    m.forward(x, t);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((smallest = std::min<double>(smallest, std::abs(*std::min_element(
                                                  t.template layer<I>().z.begin(), t.template layer<I>().z.end(),
                                                  [](auto p, auto q) { return std::abs(p) < std::abs(q); })))),
       ...);
    }(std::make_index_sequence<Net::layer_count>{});
  }
  return smallest;
}

template <class Net>
constexpr bool has_kink = false;
template <class T, class... L>
constexpr bool has_kink<ctnn::network<T, L...>> =
    ((std::is_same_v<typename L::activation, ctnn::relu> || std::is_same_v<typename L::activation, ctnn::leaky_relu>) ||
     ...);

struct check_result {
  double worst_relative_error = 0;
  std::size_t checked = 0;
};

/** Compares backward()'s mean gradient, for every parameter, with the five-point central
    difference (L(p-2h) - 8L(p-h) + 8L(p+h) - L(p+2h)) / 12h, whose truncation error is O(h⁴).
    Returns nothing checked (checked == 0) when a difference would cross a kink of relu. */
template <class Net, class Loss>
check_result check_gradients(std::uint64_t seed, typename Net::scalar h, double floor) {
  using T = typename Net::scalar;
  Net m{ctnn::xavier{}, seed};
  ctnn::random_engine rng{seed + 100};
  // Random biases too: with zero biases a layer fed only dead relus has z exactly 0.
  ctnn::for_each_array([&](auto& values) {
    if (values.size() < 5)
      for (auto& v : values) v = static_cast<T>(rng.uniform(-0.5, 0.5));
  }, m.parameters());
  std::array<typename Net::input, 3> xs{};
  std::array<typename Net::output, 3> ys{};
  for (auto& x : xs)
    for (auto& v : x) v = static_cast<T>(rng.uniform(-2, 2));
  for (auto& y : ys)
    for (auto& v : y) v = static_cast<T>(rng.uniform(0.05, 0.95));  // soft targets reach every term of the loss
  if constexpr (std::is_same_v<Loss, ctnn::categorical_cross_entropy>) {
    for (auto& y : ys) {  // a distribution over the classes, as the fused gradient a - y assumes
      T total{};
      for (auto v : y) total += v;
      for (auto& v : y) v /= total;
    }
  }
  // A step of 2h moves any z here by about 4h at most (inputs and activations below 2, weights
  // below 1.3); across relu's kink the difference measures the wrong slope.
  if (has_kink<Net> && smallest_abs_z(m, xs) < 8 * static_cast<double>(h)) return {};

  typename Net::gradients g{};
  for (std::size_t k = 0; k < xs.size(); ++k) {
    typename Net::trace t{};
    const auto& a = m.forward(xs[k], t);
    const auto& z = t.template layer<Net::layer_count - 1>().z;
    m.backward(xs[k], t, Loss::template delta<typename Net::output_activation>(z, a, ys[k]), g);
  }
  check_result result;
  ctnn::for_each_array(
      [&](auto& values, const auto& gradient_sum) {
        for (std::size_t k = 0; k < values.size(); ++k) {
          const T saved = values[k];
          const auto loss_at = [&](int steps) {
            values[k] = saved + static_cast<T>(steps) * h;
            return batch_loss<Net, Loss>(m, xs, ys);
          };
          const double numeric = (loss_at(-2) - 8 * loss_at(-1) + 8 * loss_at(1) - loss_at(2)) / (12 * static_cast<double>(h));
          values[k] = saved;
          const double analytic = static_cast<double>(gradient_sum[k]) / xs.size();
          const double error = std::abs(numeric - analytic) / std::max({std::abs(numeric), std::abs(analytic), floor});
          result.worst_relative_error = std::max(result.worst_relative_error, error);
          ++result.checked;
        }
      },
      m.parameters(), g);
  return result;
}

template <class T, class Hidden, class Output>
using bce_net = ctnn::network<T, ctnn::dense<3, 4, Hidden>, ctnn::dense<4, 3, Hidden>, ctnn::dense<3, 1, Output>>;
template <class T, class Hidden>
using mse_net = ctnn::network<T, ctnn::dense<3, 4, Hidden>, ctnn::dense<4, 3, Hidden>, ctnn::dense<3, 2, Hidden>>;

// double: with h = 1e-3 the five-point difference has truncation h⁴·L⁽⁵⁾/30 ≈ 1e-13 and
// rounding about 2e-16·L/h ≈ 1e-13, so its absolute error is near 1e-13. Relative error is
// taken against max(|numeric|, |analytic|, 1e-6): 1e-6 relative then holds with room to
// spare, while a wrong term in backprop gives errors of order 1.
constexpr double double_h = 1e-3, double_tolerance = 1e-6, double_floor = 1e-6;
// float: the loss itself carries rounding of about 6e-8·L, so with h = 1e-2 the difference
// is off by about 6e-8/1e-2 ≈ 1e-5 (truncation 1e-8 is negligible). Against gradients
// floored at 1e-2 that is 1e-3 relative; 5e-3 bounds it with margin, and a wrong term
// still shows as 1e-1 or worse.
constexpr float float_h = 1e-2f;
constexpr double float_tolerance = 5e-3, float_floor = 1e-2;

/** Runs a check on the first three seeds whose test points keep clear of relu's kinks. */
template <class Run>
void for_seeds(Run run, double tolerance) {
  int checked_seeds = 0;
  for (std::uint64_t seed = 1; seed <= 100 && checked_seeds < 3; ++seed) {
    const check_result r = run(seed);
    if (r.checked == 0) continue;  // a kink too near: not a point where the derivative exists
    ++checked_seeds;
    INFO("seed " << seed << ": worst relative error " << r.worst_relative_error << " over " << r.checked
                 << " parameters");
    CHECK(r.worst_relative_error <= tolerance);
  }
  REQUIRE(checked_seeds == 3);
}

}  // namespace

TEMPLATE_TEST_CASE("binary cross-entropy after sigmoid: backprop matches finite differences", "[gradient]",
                   ctnn::identity, ctnn::relu, ctnn::leaky_relu, ctnn::sigmoid, ctnn::tanh) {
  for_seeds([](auto s) { return check_gradients<bce_net<double, TestType, ctnn::sigmoid>, ctnn::binary_cross_entropy>(s, double_h, double_floor); },
            double_tolerance);
  for_seeds([](auto s) { return check_gradients<bce_net<float, TestType, ctnn::sigmoid>, ctnn::binary_cross_entropy>(s, float_h, float_floor); },
            float_tolerance);
}

TEMPLATE_TEST_CASE("binary cross-entropy, generic path: backprop matches finite differences", "[gradient]",
                   ctnn::identity, ctnn::relu, ctnn::leaky_relu, ctnn::sigmoid, ctnn::tanh) {
  for_seeds([](auto s) { return check_gradients<bce_net<double, TestType, unfused_sigmoid>, ctnn::binary_cross_entropy>(s, double_h, double_floor); },
            double_tolerance);
  for_seeds([](auto s) { return check_gradients<bce_net<float, TestType, unfused_sigmoid>, ctnn::binary_cross_entropy>(s, float_h, float_floor); },
            float_tolerance);
}

TEMPLATE_TEST_CASE("mean squared error: backprop matches finite differences", "[gradient]", ctnn::identity,
                   ctnn::relu, ctnn::leaky_relu, ctnn::sigmoid, ctnn::tanh) {
  for_seeds([](auto s) { return check_gradients<mse_net<double, TestType>, ctnn::mean_squared_error>(s, double_h, double_floor); },
            double_tolerance);
  for_seeds([](auto s) { return check_gradients<mse_net<float, TestType>, ctnn::mean_squared_error>(s, float_h, float_floor); },
            float_tolerance);
}

TEST_CASE("binary cross-entropy stays finite for saturated logits", "[loss]") {
  using T = float;
  for (const T z : {-100.0f, 100.0f, -1000.0f, 1000.0f}) {
    const std::array<T, 1> zs{z}, as{ctnn::sigmoid::value(z)};
    for (const T y : {0.0f, 1.0f}) {
      const std::array<T, 1> ys{y};
      const T loss = ctnn::binary_cross_entropy::value<ctnn::sigmoid>(zs, as, ys);
      const T dz = ctnn::binary_cross_entropy::delta<ctnn::sigmoid>(zs, as, ys)[0];
      INFO("z " << z << ", y " << y);
      CHECK(std::isfinite(loss));
      CHECK(std::isfinite(dz));
      // Right answer, not just a finite one: a confident wrong answer costs |z|, a right one 0.
      const bool wrong = (z > 0) != (y > 0.5f);
      CHECK(loss == Approx(wrong ? std::abs(z) : 0.0f).margin(1e-6));
      const T generic = ctnn::binary_cross_entropy::value<unfused_sigmoid>(zs, as, ys);
      CHECK(std::isfinite(generic));  // clamped against log(0)
      CHECK(std::isfinite(ctnn::binary_cross_entropy::delta<unfused_sigmoid>(zs, as, ys)[0]));
    }
  }
}

template <class T, class Hidden, class Output>
using classifier_net = ctnn::network<T, ctnn::dense<3, 4, Hidden>, ctnn::dense<4, 3, Hidden>, ctnn::dense<3, 3, Output>>;

TEMPLATE_TEST_CASE("softmax outputs: backprop matches finite differences",
                   "[gradient]", ctnn::identity, ctnn::relu, ctnn::leaky_relu, ctnn::sigmoid, ctnn::tanh) {
  // categorical cross-entropy fused with softmax, its generic path, and MSE through softmax's Jacobian
  for_seeds([](auto s) { return check_gradients<classifier_net<double, TestType, ctnn::softmax>, ctnn::categorical_cross_entropy>(s, double_h, double_floor); },
            double_tolerance);
  for_seeds([](auto s) { return check_gradients<classifier_net<double, TestType, unfused_softmax>, ctnn::categorical_cross_entropy>(s, double_h, double_floor); },
            double_tolerance);
  for_seeds([](auto s) { return check_gradients<classifier_net<double, TestType, ctnn::softmax>, ctnn::mean_squared_error>(s, double_h, double_floor); },
            double_tolerance);
  for_seeds([](auto s) { return check_gradients<classifier_net<float, TestType, ctnn::softmax>, ctnn::categorical_cross_entropy>(s, float_h, float_floor); },
            float_tolerance);
}

TEST_CASE("categorical cross-entropy stays finite and right for extreme logits", "[loss]") {
  const std::array<double, 3> y{0, 1, 0};
  for (const double scale : {100.0, 1000.0}) {
    const std::array<double, 3> z{scale, -scale, 0};  // confidently wrong
    std::array<double, 3> a{};
    ctnn::softmax::apply(z, a);
    const double loss = ctnn::categorical_cross_entropy::value<ctnn::softmax>(z, a, y);
    CHECK(std::isfinite(loss));
    CHECK(loss == Approx(2 * scale).epsilon(1e-12));  // log Σ e^z - z_true = scale - (-scale)
    const auto dz = ctnn::categorical_cross_entropy::delta<ctnn::softmax>(z, a, y);
    CHECK(dz[0] == Approx(1.0));
    CHECK(dz[1] == Approx(-1.0));
  }
}
