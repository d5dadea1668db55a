// Forward passes and training steps evaluated by the compiler: if constexpr breaks, this file
// does not compile. Each is also compared with the same computation at run time.
#include <catch2/catch.hpp>

#include "ctnn/ctnn.hpp"

namespace {
using net = ctnn::network<float, ctnn::dense<2, 3, ctnn::relu>, ctnn::dense<3, 2, ctnn::tanh>,
                          ctnn::dense<2, 1, ctnn::sigmoid>>;
constexpr std::array<net::input, 4> xs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
constexpr std::array<net::output, 4> ys{{{0}, {1}, {1}, {0}}};

constexpr net::output forward_at(std::uint64_t seed, net::input x) {
  const net m{ctnn::he{}, seed};
  return m.predict(x);
}

constexpr net one_training_step() {
  net m{ctnn::he{}, 11};
  // The report is ten_epochs' to check; the test checks what this step did to the parameters.
  static_cast<void>(ctnn::train(m, xs, ys, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.5}, {.epochs = 1}));
  return m;
}

constexpr ctnn::train_report ten_epochs() {
  net m{ctnn::he{}, 11};
  return ctnn::train(m, xs, ys, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.5}, {.epochs = 10});
}
}  // namespace

TEST_CASE("a forward pass at compile time", "[constexpr]") {
  constexpr auto y = forward_at(11, {0.5f, -1.0f});
  STATIC_REQUIRE(y[0] > 0.0f);
  STATIC_REQUIRE(y[0] < 1.0f);
  STATIC_REQUIRE(net{}.predict({1.0f, 2.0f})[0] == 0.5f);
  // Same weights (the initialiser is portable), so only exp and tanh may differ: the
  // compile-time path computes them in double, libm in float; 1e-6 covers a few ulp.
  CHECK(y[0] == Approx(forward_at(11, {0.5f, -1.0f})[0]).epsilon(1e-6));
}

TEST_CASE("a training step at compile time", "[constexpr]") {
  constexpr net trained = one_training_step();
  STATIC_REQUIRE(!(trained == net{ctnn::he{}, 11}));  // the step changed the parameters
  constexpr auto report = ten_epochs();
  STATIC_REQUIRE(report.status == ctnn::train_status::completed);
  STATIC_REQUIRE(report.epochs_completed == 10);
  const net at_run_time = one_training_step();
  const auto& a = trained.parameters().layer<2>().weights;
  const auto& b = at_run_time.parameters().layer<2>().weights;
  for (std::size_t k = 0; k < a.size(); ++k) CHECK(a[k] == Approx(b[k]).epsilon(1e-5));
}

namespace {
using xor_net = ctnn::network<double, ctnn::dense<2, 4, ctnn::tanh>, ctnn::dense<4, 1, ctnn::sigmoid>>;
constexpr std::array<xor_net::input, 4> xor_inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
constexpr std::array<xor_net::output, 4> xor_targets{{{0}, {1}, {1}, {0}}};

constexpr xor_net xor_trained_while_compiling() {
  xor_net m{ctnn::xavier{}, 3};
  // The test checks the trained network's four answers, which a failed run would not give.
  static_cast<void>(ctnn::train(m, xor_inputs, xor_targets, ctnn::binary_cross_entropy{},
                                ctnn::sgd{.learning_rate = 2.0}, {.epochs = 300}));
  return m;
}
}  // namespace

TEST_CASE("XOR trained entirely at compile time", "[constexpr]") {
  // Needs more constant-evaluation steps than clang's default (see tests/CMakeLists.txt).
  constexpr xor_net trained = xor_trained_while_compiling();
  STATIC_REQUIRE(ctnn::classify(trained.predict(xor_inputs[0])) == 0);
  STATIC_REQUIRE(ctnn::classify(trained.predict(xor_inputs[1])) == 1);
  STATIC_REQUIRE(ctnn::classify(trained.predict(xor_inputs[2])) == 1);
  STATIC_REQUIRE(ctnn::classify(trained.predict(xor_inputs[3])) == 0);
  // The same training at run time classifies the same way; the outputs differ in the last
  // digits only because tanh and exp take the portable path in the compiler.
  const xor_net at_run_time = xor_trained_while_compiling();
  for (const auto& x : xor_inputs) CHECK(trained.predict(x)[0] == Approx(at_run_time.predict(x)[0]).epsilon(1e-9));
}
