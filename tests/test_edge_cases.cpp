// Numerical edge cases (issue 6): non-finite data, huge inputs, saturated logits, a diverging
// learning rate. Each is a property that would let a device compute garbage silently if broken.
// tests/test_train.cpp has the first cases of bad data and divergence; these extend them to both
// scalar types, every position of a bad value, and an exact check of the parameters left behind.
#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctnn/ctnn.hpp"
#include "param_compare.hpp"

namespace {

using ctnn_test::bit_identical;
using ctnn_test::finite_everywhere;

template <class T>
using blobs_net = ctnn::network<T, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::relu>,
                                ctnn::dense<3, 1, ctnn::sigmoid>>;
template <class T>
using classifier_net = ctnn::network<T, ctnn::dense<3, 6, ctnn::tanh>, ctnn::dense<6, 3, ctnn::softmax>>;

template <class Net>
struct blobs_data {
  std::vector<typename Net::input> inputs;
  std::vector<typename Net::output> targets;

  explicit blobs_data(std::size_t n, std::uint64_t seed = 1) : inputs(n), targets(n) {
    ctnn::make_two_blobs<typename Net::scalar, Net::input_size>(inputs, targets, 2.0, seed);
  }
  std::span<const typename Net::input> x() const { return inputs; }
  std::span<const typename Net::output> y() const { return targets; }
};

template <class T>
constexpr std::array<T, 5> non_finite_values{std::numeric_limits<T>::quiet_NaN(), -std::numeric_limits<T>::quiet_NaN(),
                                             std::numeric_limits<T>::signaling_NaN(),
                                             std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity()};

}  // namespace

// ---------------------------------------------------------------------------------------------
// NaN or infinity in the data

TEMPLATE_TEST_CASE("edge: NaN or infinity anywhere in an input or target is non_finite_data, nothing trained",
                   "[edge][train]", float, double) {
  using net = blobs_net<TestType>;
  const blobs_data<net> clean(12);
  for (const TestType bad : non_finite_values<TestType>) {
    for (std::size_t sample : {std::size_t{0}, std::size_t{5}, std::size_t{11}}) {
      // every feature of the input, then the target
      for (std::size_t field = 0; field <= net::input_size; ++field) {
        auto data = clean;
        if (field < net::input_size) {
          data.inputs[sample][field] = bad;
        } else {
          data.targets[sample][0] = bad;
        }
        net m{ctnn::he{}, 7};
        const net before = m;
        int callbacks = 0;
        // Mini-batches of 2 and several epochs: a bad sample in the last batch must be found before
        // the first batch is trained, not when its turn comes.
        const auto report = ctnn::train(m, data.x(), data.y(), ctnn::binary_cross_entropy{},
                                        ctnn::sgd{.learning_rate = 0.1}, {.epochs = 3, .batch_size = 2},
                                        [&](const ctnn::epoch_stats&) { ++callbacks; });
        INFO("value " << bad << ", sample " << sample << ", field " << field);
        CHECK(report.status == ctnn::train_status::non_finite_data);
        CHECK(report.bad_sample == sample);
        CHECK(report.bad_sample_set == ctnn::data_set::training);
        CHECK(report.epochs_completed == 0);
        CHECK_FALSE(report.ok());
        CHECK(callbacks == 0);
        CHECK(bit_identical(m.parameters(), before.parameters()));
      }
    }
  }
}

TEMPLATE_TEST_CASE("edge: with several bad samples, the first is reported", "[edge][train]", float, double) {
  using net = blobs_net<TestType>;
  blobs_data<net> data(10);
  data.targets[8][0] = std::numeric_limits<TestType>::infinity();
  data.inputs[3][2] = std::numeric_limits<TestType>::quiet_NaN();
  data.inputs[6][0] = -std::numeric_limits<TestType>::infinity();
  net m{ctnn::he{}, 1};
  const auto report = ctnn::train(m, data.x(), data.y(), ctnn::binary_cross_entropy{}, ctnn::sgd{}, {.epochs = 1});
  CHECK(report.status == ctnn::train_status::non_finite_data);
  CHECK(report.bad_sample == 3);
}

TEMPLATE_TEST_CASE("edge: the extreme finite values are data, not errors", "[edge][train]", float, double) {
  // Subnormals, the largest finite value and -0 are finite: train must accept them (whatever it then
  // makes of them, it must say so with a status, and never leave NaN behind).
  using net = blobs_net<TestType>;
  using limits = std::numeric_limits<TestType>;
  blobs_data<net> data(8);
  data.inputs[1] = {limits::denorm_min(), -limits::denorm_min(), TestType(-0.0)};
  data.inputs[2] = {limits::min(), TestType(0), TestType(1)};
  net m{ctnn::he{}, 3};
  const auto report =
      ctnn::train(m, data.x(), data.y(), ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.1}, {.epochs = 5});
  CHECK(report.status == ctnn::train_status::completed);
  CHECK(finite_everywhere(m.parameters()));

  data.inputs[3] = {limits::max(), limits::lowest(), limits::max()};  // overflows in the first layer's sums
  net big{ctnn::he{}, 3};
  const auto big_report =
      ctnn::train(big, data.x(), data.y(), ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.1}, {.epochs = 5});
  INFO(ctnn::to_string(big_report.status));
  CHECK((big_report.status == ctnn::train_status::completed || big_report.status == ctnn::train_status::diverged));
  CHECK(finite_everywhere(big.parameters()));
}

// ---------------------------------------------------------------------------------------------
// Inputs of magnitude 1e30

TEMPLATE_TEST_CASE("edge: inputs of magnitude 1e30 give finite outputs in [0, 1] through sigmoid and softmax",
                   "[edge][network]", float, double) {
  // Each first-layer sum is about 1e30 (far below float's 3.4e38), relu passes it on, and the
  // sigmoid saturates to exactly 0 or 1; softmax subtracts the largest logit first.
  // Documented limit: at 1e38 a float sum can overflow to +inf and -inf in one layer, and
  // inf - inf is NaN (2 outputs in 4,000 for this network); standardise such data first.
  ctnn::random_engine rng{2024};
  int saturated = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    const blobs_net<TestType> binary{ctnn::he{}, seed};
    const classifier_net<TestType> multi{ctnn::he{}, seed};
    for (int k = 0; k < 20; ++k) {
      std::array<TestType, 3> x{};
      for (auto& v : x) v = static_cast<TestType>((rng.uniform() < 0.5 ? -1e30 : 1e30) * rng.uniform(0.5, 1.0));
      if (k == 0) x = {TestType(1e30), TestType(1e30), TestType(1e30)};
      if (k == 1) x = {TestType(-1e30), TestType(-1e30), TestType(-1e30)};
      INFO("seed " << seed << ", x " << x[0] << " " << x[1] << " " << x[2]);
      const TestType a = binary.predict(x)[0];
      CHECK(std::isfinite(a));
      CHECK(a >= 0);
      CHECK(a <= 1);
      saturated += (a == 0 || a == 1) ? 1 : 0;
      const auto p = multi.predict(x);
      TestType sum = 0;
      for (const TestType v : p) {
        CHECK(std::isfinite(v));
        CHECK(v >= 0);
        CHECK(v <= 1);
        sum += v;
      }
      CHECK(sum == Approx(1).epsilon(1e-6));
    }
  }
  CHECK(saturated > 0);  // the test reaches the saturated regime, not just moderate logits
}

TEMPLATE_TEST_CASE("edge: training on inputs of magnitude 1e30 never leaves NaN weights", "[edge][train]", float,
                   double) {
  // The gradients are of the order of the inputs, so a step is huge: training may diverge, and
  // must then say so and keep finite parameters.
  using net = blobs_net<TestType>;
  blobs_data<net> data(16);
  for (auto& x : data.inputs)
    for (auto& v : x) v *= TestType(1e30);
  int diverged = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    net m{ctnn::he{}, seed};
    const auto report =
        ctnn::train(m, data.x(), data.y(), ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.5}, {.epochs = 20});
    INFO("seed " << seed << ": " << ctnn::to_string(report.status));
    CHECK((report.status == ctnn::train_status::completed || report.status == ctnn::train_status::diverged));
    CHECK(finite_everywhere(m.parameters()));
    diverged += report.status == ctnn::train_status::diverged ? 1 : 0;
  }
  SUCCEED("diverged for " << diverged << " of 10 seeds");
}

// ---------------------------------------------------------------------------------------------
// Logits of ±1000 into sigmoid, softmax and the cross-entropies

namespace {
// Not ctnn::sigmoid / ctnn::softmax: the losses' generic (clamped) paths, as in test_gradient.cpp.
struct unfused_sigmoid : ctnn::sigmoid {};
struct unfused_softmax : ctnn::softmax {};
}  // namespace

TEMPLATE_TEST_CASE("edge: sigmoid, tanh and binary cross-entropy at logits of ±1000 are finite and right",
                   "[edge][loss]", float, double) {
  using T = TestType;
  for (const T z : {T(-1000), T(1000)}) {  // saturated in float and in double
    const T a = ctnn::sigmoid::value(z);
    CHECK(a == (z > 0 ? T(1) : T(0)));
    CHECK(ctnn::sigmoid::derivative(z, a) == 0);
    const T t = ctnn::tanh::value(z);
    CHECK(t == (z > 0 ? T(1) : T(-1)));
    CHECK(ctnn::tanh::derivative(z, t) == 0);
    const std::array<T, 1> zs{z}, as{a};
    for (const T y : {T(0), T(0.5), T(1)}) {
      const std::array<T, 1> ys{y};
      INFO("z " << z << ", y " << y);
      const T fused = ctnn::binary_cross_entropy::value<ctnn::sigmoid>(zs, as, ys);
      const T fused_dz = ctnn::binary_cross_entropy::delta<ctnn::sigmoid>(zs, as, ys)[0];
      CHECK(std::isfinite(fused));
      CHECK(fused == Approx((z > 0 ? T(1) - y : y) * std::abs(z)).epsilon(1e-6).margin(1e-6));  // softplus(z) - y·z
      CHECK(fused_dz == Approx(a - y));
      const T generic = ctnn::binary_cross_entropy::value<unfused_sigmoid>(zs, as, ys);
      const T generic_dz = ctnn::binary_cross_entropy::delta<unfused_sigmoid>(zs, as, ys)[0];
      CHECK(std::isfinite(generic));  // clamped: about -log(eps) for a confident wrong answer
      CHECK(generic <= -std::log(std::numeric_limits<T>::epsilon()) + 1);
      CHECK(std::isfinite(generic_dz));
      const T mse_dz = ctnn::mean_squared_error::delta<ctnn::sigmoid>(zs, as, ys)[0];
      CHECK(mse_dz == 0);  // a saturated sigmoid passes no gradient to MSE: finite, if unhelpful
    }
  }
}

TEMPLATE_TEST_CASE("edge: softmax and categorical cross-entropy at logits of ±1000 are finite and right",
                   "[edge][loss]", float, double) {
  using T = TestType;
  const std::array<std::array<T, 3>, 4> logits{{{T(1000), T(-1000), T(0)},
                                                 {T(-1000), T(-1000), T(-1000)},
                                                 {T(1000), T(1000), T(-1000)},
                                                 {T(-1000), T(1000), T(999)}}};
  const std::array<std::array<T, 3>, 3> targets{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  for (const auto& z : logits) {
    std::array<T, 3> a{};
    ctnn::softmax::apply(z, a);
    T sum = 0;
    for (const T v : a) {
      CHECK(std::isfinite(v));
      sum += v;
    }
    CHECK(sum == Approx(1));
    T largest = z[0];
    for (const T v : z) largest = std::max(largest, v);
    for (const auto& y : targets) {
      INFO("z " << z[0] << " " << z[1] << " " << z[2] << ", y " << y[0] << y[1] << y[2]);
      const T loss = ctnn::categorical_cross_entropy::value<ctnn::softmax>(z, a, y);
      CHECK(std::isfinite(loss));
      // -log softmax(z)_true = log Σ e^z - z_true, within log 3 of max z - z_true
      T z_true = 0;
      for (std::size_t k = 0; k < 3; ++k) z_true += y[k] * z[k];
      CHECK(loss >= largest - z_true - T(1e-3));
      CHECK(loss <= largest - z_true + std::log(T(3)) + T(1e-3));
      const auto dz = ctnn::categorical_cross_entropy::delta<ctnn::softmax>(z, a, y);
      for (std::size_t k = 0; k < 3; ++k) {
        CHECK(std::isfinite(dz[k]));
        CHECK(dz[k] == Approx(a[k] - y[k]));
      }
      // the generic path: clamped against log(0), gradient through softmax's Jacobian
      const T generic = ctnn::categorical_cross_entropy::value<unfused_softmax>(z, a, y);
      CHECK(std::isfinite(generic));
      for (const T d : ctnn::categorical_cross_entropy::delta<unfused_softmax>(z, a, y)) CHECK(std::isfinite(d));
      for (const T d : ctnn::mean_squared_error::delta<ctnn::softmax>(z, a, y)) CHECK(std::isfinite(d));
    }
  }
}

TEMPLATE_TEST_CASE("edge: a network whose output logits are ±1000 trains with finite gradients and parameters",
                   "[edge][train]", float, double) {
  using T = TestType;
  using binary = blobs_net<T>;
  using multi = classifier_net<T>;
  const blobs_data<binary> data(8);
  std::vector<typename multi::output> one_hot(8);
  for (std::size_t k = 0; k < 8; ++k) one_hot[k] = {T(k % 3 == 0), T(k % 3 == 1), T(k % 3 == 2)};

  for (const T bias : {T(-1000), T(1000)}) {
    INFO("output bias " << bias);
    binary b{ctnn::he{}, 1};
    b.parameters().template layer<2>().biases = {bias};
    multi c{ctnn::he{}, 1};
    c.parameters().template layer<1>().biases = {bias, -bias, T(0)};

    // one backward pass: every gradient finite
    typename binary::trace bt{};
    typename binary::gradients bg{};
    for (std::size_t k = 0; k < 8; ++k) {
      const auto& a = b.forward(data.inputs[k], bt);
      const auto& z = bt.template layer<2>().z;
      CHECK(std::abs(z[0]) > 900);
      b.backward(data.inputs[k], bt,
                 ctnn::binary_cross_entropy::delta<ctnn::sigmoid>(z, a, data.targets[k]), bg);
    }
    CHECK(finite_everywhere(bg));
    typename multi::trace mt{};
    typename multi::gradients mg{};
    for (std::size_t k = 0; k < 8; ++k) {
      const auto& a = c.forward(data.inputs[k], mt);
      const auto& z = mt.template layer<1>().z;
      c.backward(data.inputs[k], mt, ctnn::categorical_cross_entropy::delta<ctnn::softmax>(z, a, one_hot[k]), mg);
    }
    CHECK(finite_everywhere(mg));

    // and train: completed, finite, and the cost is the huge but finite one of confident answers
    std::vector<ctnn::epoch_stats> seen;
    const auto rb = ctnn::train(b, data.x(), data.y(), ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.1},
                                {.epochs = 3}, [&](const ctnn::epoch_stats& s) { seen.push_back(s); });
    CHECK(rb.status == ctnn::train_status::completed);
    CHECK(finite_everywhere(b.parameters()));
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].cost > 400);  // half the samples are confidently wrong by about 1000
    CHECK(std::isfinite(seen[0].cost));
    const auto rc = ctnn::train(c, data.x(), std::span<const typename multi::output>{one_hot},
                                ctnn::categorical_cross_entropy{}, ctnn::sgd{.learning_rate = 0.1}, {.epochs = 3});
    CHECK(rc.status == ctnn::train_status::completed);
    CHECK(std::isfinite(rc.last.cost));
    CHECK(rc.last.cost > 600);
    CHECK(finite_everywhere(c.parameters()));
  }
}

// ---------------------------------------------------------------------------------------------
// A learning rate so high that training diverges

namespace {
template <class T>
using linear_net = ctnn::network<T, ctnn::dense<2, 4, ctnn::identity>, ctnn::dense<4, 1, ctnn::identity>>;
constexpr std::array<std::array<double, 2>, 4> xor_x{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
constexpr std::array<std::array<double, 1>, 4> xor_y{{{0}, {1}, {1}, {0}}};

template <class Net>
struct xor_data {
  std::array<typename Net::input, 4> inputs{};
  std::array<typename Net::output, 4> targets{};
  xor_data() {
    for (std::size_t k = 0; k < 4; ++k) {
      inputs[k] = {static_cast<typename Net::scalar>(xor_x[k][0]), static_cast<typename Net::scalar>(xor_x[k][1])};
      targets[k] = {static_cast<typename Net::scalar>(xor_y[k][0])};
    }
  }
  std::span<const typename Net::input> x() const { return inputs; }
  std::span<const typename Net::output> y() const { return targets; }
};
}  // namespace

TEMPLATE_TEST_CASE("edge: a diverging learning rate stops with exactly the parameters before the failing step",
                   "[edge][train]", float, double) {
  // Full batch: one step per epoch, so the callback sees the parameters after every step. The
  // report must be diverged, the callback must have run once per completed epoch, and the model
  // must hold, bit for bit, the parameters the callback saw last (those before the failing step).
  using net = linear_net<TestType>;
  const xor_data<net> data;
  for (const double rate : {1e3, 1e6}) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      INFO("learning rate " << rate << ", seed " << seed);
      net m{ctnn::xavier{}, seed};
      const net initial = m;
      std::vector<typename net::params> after_step{};
      std::vector<ctnn::epoch_stats> stats{};
      const ctnn::sgd sgd{.learning_rate = rate};
      const auto report = ctnn::train(m, data.x(), data.y(), ctnn::mean_squared_error{}, sgd, {.epochs = 10000},
                                      [&](const ctnn::epoch_stats& s) {
                                        after_step.push_back(m.parameters());
                                        stats.push_back(s);
                                      });
      REQUIRE(report.status == ctnn::train_status::diverged);
      CHECK_FALSE(report.ok());
      CHECK(report.epochs_completed == after_step.size());
      CHECK(report.epochs_completed < 10000);
      CHECK(finite_everywhere(m.parameters()));
      const auto& last_good = after_step.empty() ? initial.parameters() : after_step.back();
      CHECK(bit_identical(m.parameters(), last_good));
      if (!stats.empty()) {
        CHECK(report.last.epoch == stats.back().epoch);
        CHECK(std::bit_cast<std::uint64_t>(report.last.cost) == std::bit_cast<std::uint64_t>(stats.back().cost));
      }

      // The failing step is the next one: from these parameters, one more epoch diverges at once and
      // changes nothing; and the previous parameters step to exactly these (the run is reproducible).
      net again = m;
      const auto next = ctnn::train(again, data.x(), data.y(), ctnn::mean_squared_error{}, sgd, {.epochs = 1});
      CHECK(next.status == ctnn::train_status::diverged);
      CHECK(next.epochs_completed == 0);
      CHECK(bit_identical(again.parameters(), m.parameters()));
      if (!after_step.empty()) {
        net previous{after_step.size() >= 2 ? after_step[after_step.size() - 2] : initial.parameters()};
        const auto one = ctnn::train(previous, data.x(), data.y(), ctnn::mean_squared_error{}, sgd, {.epochs = 1});
        CHECK(one.status == ctnn::train_status::completed);
        CHECK(bit_identical(previous.parameters(), m.parameters()));
      }
    }
  }
}

TEMPLATE_TEST_CASE("edge: divergence with mini-batches and with momentum also keeps finite parameters",
                   "[edge][train]", float, double) {
  using net = linear_net<TestType>;
  const xor_data<net> data;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    INFO("seed " << seed);
    net m{ctnn::xavier{}, seed};
    auto report = ctnn::train(m, data.x(), data.y(), ctnn::mean_squared_error{}, ctnn::sgd{.learning_rate = 1e4},
                              {.epochs = 10000, .batch_size = 1});
    CHECK(report.status == ctnn::train_status::diverged);
    CHECK(finite_everywhere(m.parameters()));

    net n{ctnn::xavier{}, seed};
    report = ctnn::train(n, data.x(), data.y(), ctnn::mean_squared_error{},
                         ctnn::momentum{.learning_rate = 100, .momentum = 0.9}, {.epochs = 10000, .batch_size = 2});
    CHECK(report.status == ctnn::train_status::diverged);
    CHECK(finite_everywhere(n.parameters()));
  }
}
