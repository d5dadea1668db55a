// Network structure: sizes, byte counts, forward and backward wiring.
#include <catch2/catch.hpp>

#include <type_traits>

#include "ctnn/ctnn.hpp"

namespace {
using demo_net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::relu>,
                               ctnn::dense<3, 1, ctnn::sigmoid>>;
}

TEST_CASE("a network's sizes and memory are compile-time figures", "[network]") {
  STATIC_REQUIRE(demo_net::input_size == 3);
  STATIC_REQUIRE(demo_net::output_size == 1);
  STATIC_REQUIRE(demo_net::layer_count == 3);
  STATIC_REQUIRE(std::is_same_v<demo_net::input, std::array<float, 3>>);
  STATIC_REQUIRE(std::is_same_v<demo_net::output, std::array<float, 1>>);
  STATIC_REQUIRE(demo_net::parameter_count == (3 * 5 + 5) + (5 * 3 + 3) + (3 * 1 + 1));
  // Nothing but the scalars: no pointers, no padding, no hidden members.
  STATIC_REQUIRE(demo_net::params_bytes == demo_net::parameter_count * sizeof(float));
  STATIC_REQUIRE(demo_net::trace_bytes == 2 * (5 + 3 + 1) * sizeof(float));
  STATIC_REQUIRE(demo_net::gradients_bytes == demo_net::params_bytes);
  STATIC_REQUIRE(sizeof(demo_net) == demo_net::params_bytes);
  STATIC_REQUIRE(std::is_trivially_copyable_v<demo_net>);
  using workspace = ctnn::training_workspace<demo_net, ctnn::sgd>;
  STATIC_REQUIRE(workspace::bytes == demo_net::gradients_bytes + demo_net::trace_bytes);  // sgd keeps no state
  STATIC_REQUIRE(sizeof(workspace) == workspace::bytes);  // the figure is the real size: no padding
}

TEST_CASE("a zero network outputs its activation of zero", "[network]") {
  const demo_net zero{};
  CHECK(zero.predict({1.0f, 2.0f, 3.0f})[0] == 0.5f);
}

TEST_CASE("weight(i, o) connects input i to output o", "[network]") {
  using net = ctnn::network<double, ctnn::dense<2, 3, ctnn::identity>>;
  net m{};
  m.parameters().layer<0>().weight(1, 2) = 4.0;  // input 1 -> output 2
  m.parameters().layer<0>().biases = {0.5, 0.25, -1.0};
  const auto y = m.predict({10.0, 3.0});
  CHECK(y == net::output{0.5, 0.25, 11.0});
}

TEST_CASE("backward accumulates: two calls give twice one call", "[network]") {
  const demo_net m{ctnn::he{}, 5};
  const demo_net::input x{0.3f, -1.2f, 2.0f};
  demo_net::trace t{};
  m.forward(x, t);
  const demo_net::output delta{0.25f};
  demo_net::gradients once{}, twice{};
  m.backward(x, t, delta, once);
  m.backward(x, t, delta, twice);
  m.backward(x, t, delta, twice);
  ctnn::for_each_array(
      [](const auto& a, const auto& b) {
        for (std::size_t k = 0; k < a.size(); ++k) CHECK(b[k] == 2 * a[k]);  // exact: doubling is exact
      },
      once, twice);
}
