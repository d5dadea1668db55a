// Optimizers: each update against hand-computed values, their defining properties
// (Nesterov's look-ahead, Adam's bias-corrected first step, weight decay on weights only),
// convergence on XOR through ctnn::train, an Adam step at compile time, and state sizes.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "ctnn/ctnn.hpp"

namespace {

// A network of three parameters, z = w0·x0 + w1·x1 + b, so every update can be checked by hand.
template <class T>
using tiny_net = ctnn::network<T, ctnn::dense<2, 1, ctnn::identity>>;
template <class T>
using tiny_params = typename tiny_net<T>::params;

template <class T>
constexpr tiny_params<T> make_tiny(double w0, double w1, double b) {
  tiny_params<T> p{};
  p.template layer<0>().weights = {static_cast<T>(w0), static_cast<T>(w1)};
  p.template layer<0>().biases = {static_cast<T>(b)};
  return p;
}

template <class Params>
constexpr auto flat(const Params& p) {
  using T = std::remove_cvref_t<decltype(p.template layer<0>().biases[0])>;
  return std::array<T, 3>{p.template layer<0>().weights[0], p.template layer<0>().weights[1], p.template layer<0>().biases[0]};
}

// The start and three gradient SUMS over a batch of 2 samples, {dw0, dw1, db}; the signs vary
// so that momentum and Adam see gradients that change direction.
constexpr double start[3] = {0.5, -0.25, 0.125};
constexpr double gradient_sums[3][3] = {{0.4, -0.2, 0.6}, {0.1, 0.3, -0.2}, {-0.5, 0.05, 0.4}};
constexpr std::size_t batch = 2;

/** Runs three steps of `o` on the tiny network from `start`; returns {w0, w1, b} after each. */
template <class T, class O>
constexpr std::array<std::array<T, 3>, 3> three_steps(const O& o) {
  auto p = make_tiny<T>(start[0], start[1], start[2]);
  typename O::template state<tiny_params<T>> s{};
  std::array<std::array<T, 3>, 3> after{};
  for (std::size_t t = 0; t < 3; ++t) {
    const auto g = make_tiny<T>(gradient_sums[t][0], gradient_sums[t][1], gradient_sums[t][2]);
    o.step(p, g, batch, s);
    after[t] = flat(p);
  }
  return after;
}

// Expected values, {w0, w1, b} after steps 1, 2, 3, printed by this Python 3 script, which uses
// the textbook forms (Polyak's v = μv - ηg, w += v; Bengio et al.'s Nesterov w += -μv_old + (1+μ)v_new;
// Kingma & Ba's Adam with pow), not the forms in optimizer.hpp:
//
//   import math
//   w0 = [0.5, -0.25, 0.125]
//   grads = [[0.4, -0.2, 0.6], [0.1, 0.3, -0.2], [-0.5, 0.05, 0.4]]  # sums over a batch of 2
//   m = 2
//   decays = lambda wd: [wd, wd, 0.0]                                 # the bias is not decayed
//   def sgd(lr, wd=0.0):
//       p = list(w0); out = []
//       for g in grads:
//           p = [pk - lr * (gk / m + lk * pk) for pk, gk, lk in zip(p, g, decays(wd))]
//           out.append(p)
//       return out
//   def momentum(lr, mu, wd=0.0):
//       p = list(w0); v = [0.0] * 3; out = []
//       for g in grads:
//           g = [gk / m + lk * pk for pk, gk, lk in zip(p, g, decays(wd))]
//           v = [mu * vk - lr * gk for vk, gk in zip(v, g)]
//           p = [pk + vk for pk, vk in zip(p, v)]
//           out.append(p)
//       return out
//   def nesterov(lr, mu, wd=0.0):
//       p = list(w0); v = [0.0] * 3; out = []
//       for g in grads:
//           g = [gk / m + lk * pk for pk, gk, lk in zip(p, g, decays(wd))]
//           v_new = [mu * vk - lr * gk for vk, gk in zip(v, g)]
//           p = [pk - mu * vo + (1 + mu) * vn for pk, vo, vn in zip(p, v, v_new)]
//           v = v_new
//           out.append(p)
//       return out
//   def adam(lr, b1=0.9, b2=0.999, eps=1e-8, wd=0.0):
//       p = list(w0); mm = [0.0] * 3; vv = [0.0] * 3; out = []
//       for t, g in enumerate(grads, 1):
//           g = [gk / m + lk * pk for pk, gk, lk in zip(p, g, decays(wd))]
//           mm = [b1 * a + (1 - b1) * gk for a, gk in zip(mm, g)]
//           vv = [b2 * a + (1 - b2) * gk * gk for a, gk in zip(vv, g)]
//           mh = [a / (1 - b1 ** t) for a in mm]
//           vh = [a / (1 - b2 ** t) for a in vv]
//           p = [pk - lr * a / (math.sqrt(b) + eps) for pk, a, b in zip(p, mh, vh)]
//           out.append(p)
//       return out
//   for r in [sgd(0.1), sgd(0.1, 0.01), momentum(0.1, 0.9), nesterov(0.1, 0.9),
//             momentum(0.1, 0.9, 0.01), adam(0.01), adam(0.01, wd=0.1)]:
//       print(r)
using table = double[3][3];
constexpr table expected_sgd = {{0.48, -0.24, 0.095}, {0.475, -0.255, 0.105}, {0.5, -0.2575, 0.085}};
constexpr table expected_sgd_decay = {{0.4795, -0.23975, 0.095},
                                      {0.4740205, -0.25451025, 0.105},
                                      {0.4985464795, -0.25675573975, 0.085}};
constexpr table expected_momentum = {{0.48, -0.24, 0.095}, {0.457, -0.246, 0.078}, {0.4613, -0.2539, 0.0427}};
constexpr table expected_nesterov = {{0.462, -0.231, 0.068}, {0.4363, -0.2514, 0.0627}, {0.46517, -0.26101, 0.01093}};
constexpr table expected_momentum_decay = {{0.4795, -0.23975, 0.095},
                                           {0.4555705, -0.24528525, 0.078},
                                           {0.4585783795, -0.25252168975, 0.0427}};
constexpr table expected_adam = {{0.4900000005, -0.2400000009999999, 0.11500000033333332},
                                 {0.481694025733156, -0.24247701896704693, 0.11099781479280808},
                                 {0.4825420700261203, -0.24525162915613252, 0.10496695015761393}};
constexpr table expected_adam_decay = {{0.49000000039999997, -0.24000000079999995, 0.11500000033333332},
                                       {0.48102956704982996, -0.2405661515571232, 0.11099781479280808},
                                       {0.47932435352858727, -0.24103776124530468, 0.10496695015761393}};

/** Checks three steps against a table. */
template <class T>
void check_steps(const std::array<std::array<T, 3>, 3>& got, const table& expected) {
  // Each value is the result of three steps of at most ~10 rounded operations on numbers of
  // order 1 (plus the rounding of the inputs and hyper-parameters to T): a few dozen
  // half-ulps, so 100 ε of T (1.2e-5 float, 2.2e-14 double), relative or absolute for values
  // near 0. Any wrong formula (a missing bias correction or batch mean, a wrong sign, decayed
  // biases) moves some value by more than 1e-4.
  const double tolerance = 100 * std::numeric_limits<T>::epsilon();
  for (std::size_t t = 0; t < 3; ++t) {
    for (std::size_t k = 0; k < 3; ++k) {
      INFO("after step " << t + 1 << ", parameter " << (k == 2 ? "b" : k == 0 ? "w0" : "w1"));
      CHECK(static_cast<double>(got[t][k]) == Approx(expected[t][k]).epsilon(tolerance).margin(tolerance));
    }
  }
}

template <class T>
constexpr T absolute(T x) {
  return x < 0 ? -x : x;
}

}  // namespace

TEMPLATE_TEST_CASE("sgd's updates match hand-computed values", "[optimizer]", float, double) {
  check_steps(three_steps<TestType>(ctnn::sgd{.learning_rate = 0.1}), expected_sgd);
  check_steps(three_steps<TestType>(ctnn::sgd{.learning_rate = 0.1, .weight_decay = 0.01}), expected_sgd_decay);
}

TEMPLATE_TEST_CASE("momentum's updates match hand-computed values", "[optimizer]", float, double) {
  check_steps(three_steps<TestType>(ctnn::momentum{.learning_rate = 0.1, .momentum = 0.9}), expected_momentum);
  check_steps(three_steps<TestType>(ctnn::momentum{.learning_rate = 0.1, .momentum = 0.9, .nesterov = true}),
              expected_nesterov);
  check_steps(three_steps<TestType>(ctnn::momentum{.learning_rate = 0.1, .momentum = 0.9, .weight_decay = 0.01}),
              expected_momentum_decay);
}

TEMPLATE_TEST_CASE("adam's updates match hand-computed values", "[optimizer]", float, double) {
  check_steps(three_steps<TestType>(ctnn::adam{.learning_rate = 0.01}), expected_adam);
  check_steps(three_steps<TestType>(ctnn::adam{.learning_rate = 0.01, .weight_decay = 0.1}), expected_adam_decay);
}

TEMPLATE_TEST_CASE("momentum with μ = 0 is sgd", "[optimizer]", float, double) {
  // Same operations in another order (η·(g/m) against (η/m)·g): equal up to an ulp or two, so 8 ε.
  const auto a = three_steps<TestType>(ctnn::momentum{.learning_rate = 0.1, .momentum = 0});
  const auto b = three_steps<TestType>(ctnn::sgd{.learning_rate = 0.1});
  for (std::size_t t = 0; t < 3; ++t)
    for (std::size_t k = 0; k < 3; ++k)
      CHECK(a[t][k] == Approx(b[t][k]).epsilon(8 * std::numeric_limits<TestType>::epsilon()));
}

TEMPLATE_TEST_CASE("Nesterov's look-ahead differs from plain momentum", "[optimizer]", float, double) {
  const auto plain = three_steps<TestType>(ctnn::momentum{.learning_rate = 0.1, .momentum = 0.9});
  const auto ahead = three_steps<TestType>(ctnn::momentum{.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
  // From rest, the first Nesterov step is (1 + μ) times the plain one: η·(g + μ·g) against η·g.
  // Both steps are a few roundings of order-0.1 numbers, so 100 ε of T on the ratio.
  const double tolerance = 100 * std::numeric_limits<TestType>::epsilon();
  for (std::size_t k = 0; k < 3; ++k) {
    const double plain_step = static_cast<double>(plain[0][k]) - start[k];
    const double ahead_step = static_cast<double>(ahead[0][k]) - start[k];
    CHECK(ahead_step / plain_step == Approx(1.9).epsilon(tolerance));
  }
  for (std::size_t t = 0; t < 3; ++t)
    for (std::size_t k = 0; k < 3; ++k) CHECK(plain[t][k] != ahead[t][k]);
}

TEMPLATE_TEST_CASE("adam's first step moves each parameter by η·sign(g), whatever its scale", "[optimizer]", float,
                   double) {
  // Bias correction makes m̂ = g and v̂ = g² after one step, so the step is η·g / (|g| + ε):
  // gradients over four orders of magnitude, both signs, and a zero one (which must not move).
  using net = ctnn::network<TestType, ctnn::dense<3, 2, ctnn::tanh>, ctnn::dense<2, 1, ctnn::sigmoid>>;
  net model{ctnn::xavier{}, 5};
  const net before = model;
  typename net::gradients g{};
  g.template layer<0>().weights = {0.01f, -0.02f, 0.5f, -3, 40, -100};
  g.template layer<0>().biases = {0, 7};
  g.template layer<1>().weights = {-0.04f, 2};
  g.template layer<1>().biases = {-0.3f};
  const ctnn::adam adam{.learning_rate = 0.003};
  ctnn::adam::state<typename net::params> state{};
  adam.step(model.parameters(), g, 16, state);  // the batch mean g/16 changes nothing: the step is scale-free
  CHECK(state.steps == 1);

  // |step| = η·(1 - ε/(|g|/16 + ε)): below η by at most ε/(|g|/16) = 1.6e-5 here for |g| ≥ 0.01,
  // plus a few roundings of T; 2e-5 relative covers both. Without bias correction the step would
  // be η·(1-β1)/√(1-β2) ≈ 3.2·η.
  auto check_arrays = [&](const auto& after, const auto& start_values, const auto& gradient) {
    for (std::size_t k = 0; k < after.size(); ++k) {
      const double moved = static_cast<double>(after[k]) - static_cast<double>(start_values[k]);
      const double sign = gradient[k] > 0 ? 1.0 : gradient[k] < 0 ? -1.0 : 0.0;
      INFO("gradient " << gradient[k]);
      CHECK(moved == Approx(-0.003 * sign).epsilon(2e-5).margin(1e-12));
    }
  };
  check_arrays(model.parameters().template layer<0>().weights, before.parameters().template layer<0>().weights,
               g.template layer<0>().weights);
  check_arrays(model.parameters().template layer<0>().biases, before.parameters().template layer<0>().biases,
               g.template layer<0>().biases);
  check_arrays(model.parameters().template layer<1>().weights, before.parameters().template layer<1>().weights,
               g.template layer<1>().weights);
  check_arrays(model.parameters().template layer<1>().biases, before.parameters().template layer<1>().biases,
               g.template layer<1>().biases);
}

TEMPLATE_TEST_CASE("weight decay shrinks the weights and leaves the biases' update unchanged", "[optimizer]", float,
                   double) {
  using P = tiny_params<TestType>;
  auto run = [](const auto& optimizer, const P& gradient) {
    auto p = make_tiny<TestType>(start[0], start[1], start[2]);
    typename std::remove_cvref_t<decltype(optimizer)>::template state<P> s{};
    for (int t = 0; t < 3; ++t) optimizer.step(p, gradient, batch, s);
    return flat(p);
  };
  const P zero{};
  const P gradient = make_tiny<TestType>(0.4, -0.2, 0.6);

  SECTION("sgd") {
    const ctnn::sgd plain{.learning_rate = 0.1};
    const ctnn::sgd decayed{.learning_rate = 0.1, .weight_decay = 0.5};
    // With no gradient, each step multiplies the weights by 1 - ηλ = 0.95: three steps, 0.857375.
    // A few roundings of T per step: 100 ε.
    const auto shrunk = run(decayed, zero);
    CHECK(shrunk[0] == Approx(0.5 * 0.857375).epsilon(100 * std::numeric_limits<TestType>::epsilon()));
    CHECK(shrunk[1] == Approx(-0.25 * 0.857375).epsilon(100 * std::numeric_limits<TestType>::epsilon()));
    CHECK(shrunk[2] == static_cast<TestType>(start[2]));
    // The bias follows the same arithmetic with or without decay: bit for bit.
    CHECK(run(decayed, gradient)[2] == run(plain, gradient)[2]);
  }
  SECTION("momentum") {
    const ctnn::momentum plain{.learning_rate = 0.1, .nesterov = true};
    const ctnn::momentum decayed{.learning_rate = 0.1, .nesterov = true, .weight_decay = 0.5};
    const auto shrunk = run(decayed, zero);
    CHECK(shrunk[0] > 0);
    CHECK(shrunk[0] < static_cast<TestType>(start[0]));
    CHECK(shrunk[1] < 0);
    CHECK(shrunk[1] > static_cast<TestType>(start[1]));
    CHECK(shrunk[2] == static_cast<TestType>(start[2]));
    CHECK(run(decayed, gradient)[2] == run(plain, gradient)[2]);
  }
  SECTION("adam") {
    const ctnn::adam plain{.learning_rate = 0.01};
    const ctnn::adam decayed{.learning_rate = 0.01, .weight_decay = 0.5};
    // The decay term λw is the only gradient, so each step moves a weight by about η toward 0:
    // not exactly, since λw shrinks by 2-4% a step as w moves and m̂/√v̂ then deviates from 1
    // by a few tenths of a percent (0.17% measured for w1); 1% of the three steps' 3η.
    const auto shrunk = run(decayed, zero);
    CHECK(start[0] - shrunk[0] == Approx(3 * 0.01).epsilon(0.01));
    CHECK(shrunk[1] - start[1] == Approx(3 * 0.01).epsilon(0.01));
    CHECK(shrunk[2] == static_cast<TestType>(start[2]));
    CHECK(run(decayed, gradient)[2] == run(plain, gradient)[2]);
  }
}

namespace {
template <class T>
using xor_net = ctnn::network<T, ctnn::dense<2, 4, ctnn::tanh>, ctnn::dense<4, 1, ctnn::sigmoid>>;
template <class T>
constexpr std::array<typename xor_net<T>::input, 4> xor_inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
template <class T>
constexpr std::array<typename xor_net<T>::output, 4> xor_targets{{{0}, {1}, {1}, {0}}};

template <class T, class O>
ctnn::train_report train_xor(xor_net<T>& m, const O& optimizer, std::size_t epochs, std::size_t batch_size) {
  return ctnn::train(m, xor_inputs<T>, xor_targets<T>, ctnn::binary_cross_entropy{}, optimizer,
                     {.epochs = epochs, .batch_size = batch_size});
}
}  // namespace

TEMPLATE_TEST_CASE("every optimizer trains XOR 2-4-1 through ctnn::train", "[optimizer][train]", float, double) {
  // Measured over ten Xavier seeds, 400 epochs: full batch, every optimizer here ends below a
  // cost of 0.011 on every seed; online (batch size 1), momentum at η = 0.1 and Adam at η = 0.05
  // end below 0.004 on every seed. (Not every setting does: with batch size 2 in the fixed order
  // {00, 01}, {10, 11}, seed 1 sticks at a cost of 0.347 with one sample wrong under Adam at every
  // η tried from 0.01 to 0.1, and online sgd at η = 1 sticks on half the seeds; these are XOR's
  // local minima, not update errors, which the hand-computed tests above pin down.)
  // The test takes five seeds and asks for a cost below 0.02 and every sample classified right.
  struct setting {
    const char* name;
    std::size_t batch_size;
  };
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    auto check = [&](setting s, const auto& optimizer) {
      INFO(s.name << ", seed " << seed << ", batch size " << s.batch_size);
      xor_net<TestType> m{ctnn::xavier{}, seed};
      const auto report = train_xor(m, optimizer, 400, s.batch_size);
      REQUIRE(report.status == ctnn::train_status::completed);
      CHECK(report.last.cost < 0.02);
      CHECK(ctnn::accuracy(m, std::span{xor_inputs<TestType>}, std::span{xor_targets<TestType>}) == 1.0);
    };
    check({"momentum", ctnn::full_batch}, ctnn::momentum{.learning_rate = 0.3});
    check({"nesterov", ctnn::full_batch}, ctnn::momentum{.learning_rate = 0.3, .nesterov = true});
    check({"adam", ctnn::full_batch}, ctnn::adam{.learning_rate = 0.05});
    check({"adam with weight decay", ctnn::full_batch}, ctnn::adam{.learning_rate = 0.05, .weight_decay = 1e-4});
    check({"sgd with weight decay", ctnn::full_batch}, ctnn::sgd{.learning_rate = 1.0, .weight_decay = 1e-4});
    check({"momentum with weight decay", ctnn::full_batch},
          ctnn::momentum{.learning_rate = 0.3, .weight_decay = 1e-4});
    check({"online momentum", 1}, ctnn::momentum{.learning_rate = 0.1});
    check({"online nesterov", 1}, ctnn::momentum{.learning_rate = 0.1, .nesterov = true});
    check({"online adam", 1}, ctnn::adam{.learning_rate = 0.05});
  }
}

TEST_CASE("momentum gets further than sgd at the same learning rate", "[optimizer][train]") {
  // At η = 0.3 for 150 full-batch epochs plain gradient descent is still on XOR's plateau (cost
  // 0.13 to 0.48 over seeds 1-10); momentum, an effective step of η/(1-μ) = 3, is not (0.004 to
  // 0.007). A factor of 4 asks for the direction of the effect with a wide margin.
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    INFO("seed " << seed);
    xor_net<double> by_sgd{ctnn::xavier{}, seed};
    xor_net<double> by_momentum = by_sgd;
    const auto slow = train_xor(by_sgd, ctnn::sgd{.learning_rate = 0.3}, 150, ctnn::full_batch);
    const auto fast = train_xor(by_momentum, ctnn::momentum{.learning_rate = 0.3}, 150, ctnn::full_batch);
    CHECK(fast.last.cost < slow.last.cost / 4);
  }
}

TEST_CASE("a shared workspace carries the optimizer's state from one train call to the next", "[optimizer][train]") {
  // Adam's moments and step count live in the workspace. Full batch, in order: each epoch is the
  // same steps whichever call runs it, so 4 + 6 epochs through one workspace are 10 epochs, bit
  // for bit. A fresh workspace for the last 6 restarts the moments and the bias correction (a
  // first step of η·sign(g) again), and the weights end elsewhere.
  const auto none = [](const ctnn::epoch_stats&) {};
  const auto train_on = [&](xor_net<double>& m, std::size_t epochs, auto& work) {
    return ctnn::train(m, xor_inputs<double>, xor_targets<double>, ctnn::binary_cross_entropy{},
                       ctnn::adam{.learning_rate = 0.05}, {.epochs = epochs}, none, work);
  };
  using workspace = ctnn::training_workspace<xor_net<double>, ctnn::adam>;
  const xor_net<double> start{ctnn::xavier{}, 2};

  xor_net<double> at_once = start;
  workspace work{};
  REQUIRE(train_on(at_once, 10, work).ok());

  xor_net<double> continued = start;
  work = {};
  REQUIRE(train_on(continued, 4, work).ok());
  REQUIRE(train_on(continued, 6, work).ok());
  CHECK(continued == at_once);

  xor_net<double> restarted = start;
  work = {};
  REQUIRE(train_on(restarted, 4, work).ok());
  work = {};
  REQUIRE(train_on(restarted, 6, work).ok());
  CHECK_FALSE(restarted == at_once);
}

namespace {
// Three Adam steps, all evaluated by the compiler.
constexpr auto adam_at_compile_time = three_steps<double>(ctnn::adam{.learning_rate = 0.01});

constexpr ctnn::train_report adam_xor_while_compiling() {
  xor_net<double> m{ctnn::xavier{}, 3};
  return ctnn::train(m, xor_inputs<double>, xor_targets<double>, ctnn::binary_cross_entropy{},
                     ctnn::adam{.learning_rate = 0.05}, {.epochs = 60});
}
}  // namespace

TEST_CASE("an adam step at compile time", "[optimizer][constexpr]") {
  // The compile-time sqrt is ctnn::math::portable::sqrt (Newton in double), within an ulp or two
  // of std::sqrt; 1e-13 absolute is ~500 ulp of values of order 0.5 and a thousand times smaller
  // than the effect of any formula error.
  STATIC_REQUIRE(absolute(adam_at_compile_time[0][0] - expected_adam[0][0]) < 1e-13);
  STATIC_REQUIRE(absolute(adam_at_compile_time[1][1] - expected_adam[1][1]) < 1e-13);
  STATIC_REQUIRE(absolute(adam_at_compile_time[2][2] - expected_adam[2][2]) < 1e-13);
  const auto at_run_time = three_steps<double>(ctnn::adam{.learning_rate = 0.01});
  for (std::size_t t = 0; t < 3; ++t)
    for (std::size_t k = 0; k < 3; ++k) CHECK(adam_at_compile_time[t][k] == Approx(at_run_time[t][k]).epsilon(1e-13));

  constexpr auto report = adam_xor_while_compiling();
  STATIC_REQUIRE(report.status == ctnn::train_status::completed);
  STATIC_REQUIRE(report.last.cost < 0.3);  // from about 0.7 (log 2) at the start; see the run-time figure
  CHECK(report.last.cost == Approx(adam_xor_while_compiling().last.cost).epsilon(1e-9));
}

/** n rounded up to a multiple of Alignment: a type's size, padded at its end. */
template <std::size_t Alignment>
constexpr std::size_t padded_to(std::size_t n) {
  return (n + Alignment - 1) / Alignment * Alignment;
}

TEST_CASE("optimizer state is a value whose size is a compile-time figure", "[optimizer]") {
  using net = xor_net<float>;
  using dnet = xor_net<double>;
  STATIC_REQUIRE(ctnn::Optimizer<ctnn::sgd, net::params>);
  STATIC_REQUIRE(ctnn::Optimizer<ctnn::momentum, net::params>);
  STATIC_REQUIRE(ctnn::Optimizer<ctnn::adam, dnet::params>);

  STATIC_REQUIRE(ctnn::optimizer_state_bytes<net, ctnn::sgd> == 0);
  STATIC_REQUIRE(ctnn::optimizer_state_bytes<net, ctnn::momentum> == net::params_bytes);  // the velocity
  // m and v, then β1^t and β2^t in T and a step counter as wide as T; padded only at the end, where
  // the parameters' rows are aligned (the 2-4 layer's rows: 16 bytes of float, 32 of double, on any
  // host with vector registers; on a microcontroller no padding at all).
  STATIC_REQUIRE(ctnn::optimizer_state_bytes<net, ctnn::adam> ==
                 padded_to<alignof(net::params)>(2 * net::params_bytes + 3 * sizeof(float)));
  STATIC_REQUIRE(ctnn::optimizer_state_bytes<dnet, ctnn::adam> ==
                 padded_to<alignof(dnet::params)>(2 * dnet::params_bytes + 3 * sizeof(double)));

  // training_workspace counts the same figures in its real size: gradients, optimizer state, trace,
  // block of samples, and the padding at the end only.
  using momentum_work = ctnn::training_workspace<net, ctnn::momentum>;
  using adam_work = ctnn::training_workspace<dnet, ctnn::adam>;
  STATIC_REQUIRE(momentum_work::bytes ==
                 padded_to<alignof(net::params)>(net::gradients_bytes + ctnn::optimizer_state_bytes<net, ctnn::momentum> +
                                                 net::trace_bytes + momentum_work::block_bytes));
  STATIC_REQUIRE(adam_work::bytes ==
                 padded_to<alignof(dnet::params)>(dnet::gradients_bytes + ctnn::optimizer_state_bytes<dnet, ctnn::adam> +
                                                  dnet::trace_bytes + adam_work::block_bytes));
  STATIC_REQUIRE(sizeof(momentum_work) == momentum_work::bytes);
  STATIC_REQUIRE(sizeof(adam_work) == adam_work::bytes);
  STATIC_REQUIRE(sizeof(ctnn::training_workspace<net, ctnn::adam>) ==
                 ctnn::training_workspace<net, ctnn::adam>::bytes);
}

TEST_CASE("optimizer defaults and designated initializers", "[optimizer]") {
  STATIC_REQUIRE(ctnn::sgd{.learning_rate = 0.5}.learning_rate == 0.5);
  STATIC_REQUIRE(ctnn::sgd{.learning_rate = 0.5f}.weight_decay == 0);  // a float rate still initialises
  constexpr ctnn::momentum m{};
  STATIC_REQUIRE(m.learning_rate == 0.01);
  STATIC_REQUIRE(m.momentum == 0.9);
  STATIC_REQUIRE(!m.nesterov);
  STATIC_REQUIRE(m.weight_decay == 0);
  constexpr ctnn::adam a{};
  STATIC_REQUIRE(a.learning_rate == 0.001);
  STATIC_REQUIRE(a.beta1 == 0.9);
  STATIC_REQUIRE(a.beta2 == 0.999);
  STATIC_REQUIRE(a.epsilon == 1e-8);
  STATIC_REQUIRE(a.weight_decay == 0);
  constexpr ctnn::adam::state<tiny_params<float>> s{};  // a fresh state: t = 0, β^0 = 1
  STATIC_REQUIRE(s.steps == 0);
  STATIC_REQUIRE(s.beta1_power == 1.0f);
  STATIC_REQUIRE(s.beta2_power == 1.0f);
}
