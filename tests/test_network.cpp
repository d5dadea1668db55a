// Network structure: sizes, byte counts, forward and backward wiring.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

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
  // sgd keeps no state. With vector registers, a block of S samples: per lane the inputs and targets
  // (3 + 1), z and a of every layer (2 × 9), the small layers' gradient sums (42), the cost (a float)
  // and the count of correct samples (32-bit). Without them (a microcontroller) no block at all.
  constexpr std::size_t S = ctnn::detail::training_lanes<float>;
  constexpr std::size_t block_bytes = S == 1 ? 0 : S * ((3 + 1 + 2 * 9 + 42 + 1) * sizeof(float) + 4);
  STATIC_REQUIRE(workspace::block_bytes == block_bytes);
  STATIC_REQUIRE(workspace::bytes == demo_net::gradients_bytes + demo_net::trace_bytes + block_bytes);
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

TEST_CASE("descend equals backward into zeroed gradients plus one sgd step", "[network]") {
  using net = ctnn::network<double, ctnn::dense<3, 20, ctnn::relu>, ctnn::dense<20, 17, ctnn::tanh>,
                            ctnn::dense<17, 2, ctnn::sigmoid>>;
  net fused{ctnn::he{}, 3};
  net separate = fused;
  const net::input x{0.5, -1.0, 2.0};
  const net::output y{1.0, 0.0};
  net::trace t{};
  const auto& a = fused.forward(x, t);
  const auto delta = ctnn::binary_cross_entropy::delta<ctnn::sigmoid>(t.layer<2>().z, a, y);
  fused.descend(x, t, delta, 0.1);
  net::gradients g{};
  separate.backward(x, t, delta, g);
  ctnn::sgd::state<net::params> none{};
  ctnn::sgd{.learning_rate = 0.1}.step(separate.parameters(), g, 1, none);
  // The fused step computes rate·dz once per output instead of rate·(dz·x): the two orders
  // differ by an ulp or two; 1e-14 absolute is a few ulp at these magnitudes (below 4).
  ctnn::for_each_array(
      [](const auto& p, const auto& q) {
        for (std::size_t k = 0; k < p.size(); ++k) CHECK(p[k] == Approx(q[k]).margin(1e-14));
      },
      fused.parameters(), separate.parameters());
  CHECK_FALSE(fused == net{ctnn::he{}, 3});  // it did change something
}

namespace {
/** Sets each of `values` to a uniform draw from [lo, hi). */
template <class Range>
void fill_uniform(Range& values, ctnn::random_engine& rng, double lo, double hi) {
  for (auto& v : values) v = static_cast<std::remove_reference_t<decltype(v)>>(rng.uniform(lo, hi));
}

/** Draws a layer's weights and biases from [-1, 1) and its input from [-2, 2). */
template <class Params, class Input>
void draw_layer(Params& p, Input& x, ctnn::random_engine& rng) {
  fill_uniform(p.weights, rng, -1, 1);
  fill_uniform(p.biases, rng, -1, 1);
  fill_uniform(x, rng, -2, 2);
}

/** Checks dense<In, Out>::forward against W·x + b summed in long double, on random weights and
    inputs. The one-sample kernel splits the sum over inputs into chains, vector by vector, and
    adds them pairwise; any order of In float additions is within In·ε·Σ|w·x| of the exact sum
    (the usual bound is (In + 1)·ε/2·Σ|w·x|; In·ε covers it for In >= 1), and a wrong or missing
    term is far outside it. */
template <class T, std::size_t In, std::size_t Out>
void check_dense_forward(std::uint64_t seed) {
  using layer = ctnn::dense<In, Out, ctnn::identity>;
  ctnn::random_engine rng{seed};
  typename layer::template params<T> p;
  std::array<T, In> x;
  draw_layer(p, x, rng);
  typename layer::template cache<T> c;
  layer::forward(p, x, c);
  for (std::size_t o = 0; o < Out; ++o) {
    long double exact = p.biases[o];
    long double magnitude = std::abs(static_cast<long double>(p.biases[o]));
    for (std::size_t i = 0; i < In; ++i) {
      exact += static_cast<long double>(p.weight(i, o)) * x[i];
      magnitude += std::abs(static_cast<long double>(p.weight(i, o)) * x[i]);
    }
    INFO(In << "x" << Out << ", output " << o);
    CHECK(std::abs(static_cast<long double>(c.z[o]) - exact) <=
          static_cast<long double>(In) * std::numeric_limits<T>::epsilon() * magnitude);
  }
}
}  // namespace

TEST_CASE("a dense layer's forward is W·x + b, to rounding, in every shape of its kernel", "[network]") {
  check_dense_forward<float, 3, 5>(1);     // narrower than a vector
  check_dense_forward<float, 16, 32>(2);   // whole vectors, inputs in chains
  check_dense_forward<float, 33, 48>(3);   // and inputs left over after the chains
  check_dense_forward<float, 64, 128>(4);  // several vectors
  check_dense_forward<float, 128, 200>(5); // several register blocks, a ragged last one
  check_dense_forward<float, 32, 1>(6);    // one output: chains across the lanes
  check_dense_forward<float, 37, 1>(7);    // and inputs left over
  check_dense_forward<float, 64, 10>(8);
  check_dense_forward<double, 7, 33>(9);
  check_dense_forward<double, 16, 16>(10);
  check_dense_forward<double, 100, 1>(11);
  check_dense_forward<long double, 9, 4>(12);
}

namespace {
/** Checks dense<In, Out>'s backward kernels against their one-row definitions, bit for bit:
    propagate's dx[i] is row_dot(i) (which the vector kernel computes a register of rows at a
    time), and propagate_and_descend is propagate then descend (in one pass for a big layer). */
template <class T, std::size_t In, std::size_t Out>
void check_dense_backward(std::uint64_t seed) {
  using layer = ctnn::dense<In, Out, ctnn::identity>;
  ctnn::random_engine rng{seed};
  typename layer::template params<T> p;
  std::array<T, In> x;
  draw_layer(p, x, rng);
  std::array<T, Out> dz;
  fill_uniform(dz, rng, -1, 1);
  std::array<T, In> dx;
  layer::propagate(p, dz, dx);
  for (std::size_t i = 0; i < In; ++i) {
    INFO(In << "x" << Out << ", input " << i);
    const T expected = layer::row_dot(p, i, dz);
    CHECK(std::memcmp(&dx[i], &expected, sizeof(T)) == 0);
  }
  auto fused = p;
  std::array<T, In> fused_dx;
  layer::propagate_and_descend(fused, x, dz, T(0.1), fused_dx);
  layer::descend(p, x, dz, T(0.1));
  INFO(In << "x" << Out);
  CHECK(std::memcmp(fused_dx.data(), dx.data(), sizeof(dx)) == 0);
  CHECK(fused == p);
}
}  // namespace

TEST_CASE("a dense layer's backward kernels agree with their one-row definitions, bit for bit", "[network]") {
  check_dense_backward<float, 5, 3>(1);      // rows narrower than a vector
  check_dense_backward<float, 32, 32>(2);    // rows of whole vectors
  check_dense_backward<float, 40, 32>(3);    // and rows left over after the vector blocks
  check_dense_backward<float, 24, 200>(4);   // row tails after the vectors
  check_dense_backward<float, 128, 128>(5);  // a layer big enough for the one-pass kernel
  check_dense_backward<float, 70, 100>(6);   // the one-pass kernel with rows and tails left over
  check_dense_backward<double, 33, 9>(7);
  check_dense_backward<double, 20, 16>(8);
  check_dense_backward<double, 64, 40>(9);
}

namespace {
/** Checks the loops that add a product into parameters (accumulate, descend, sgd's step), which
    take whole vectors of every width the target has and then single values, against the plain
    formula value by value, bit for bit: each value is one product and one sum, rounded the same
    way in any order of the values. Some values are zeros of either sign, so that a result's sign
    of zero is checked too. */
template <class T, std::size_t In, std::size_t Out>
void check_parameter_updates(std::uint64_t seed) {
  using net = ctnn::network<T, ctnn::dense<In, Out, ctnn::identity>>;
  using layer = typename net::template layer_type<0>;
  ctnn::random_engine rng{seed};
  typename layer::template params<T> p, g;
  std::array<T, In> x;
  draw_layer(p, x, rng);
  fill_uniform(g.weights, rng, -1, 1);
  fill_uniform(g.biases, rng, -1, 1);
  std::array<T, Out> dz;
  fill_uniform(dz, rng, -1, 1);
  p.weights[0] = T(-0.0);
  x[0] = T(0);
  g.weights[1] = T(-0.0);
  dz[1] = T(-0.0);
  const T rate = T(0.1);
  const auto same = [](T a, T b) { return std::memcmp(&a, &b, sizeof(T)) == 0; };
  INFO(In << "x" << Out);

  auto summed = g;
  layer::accumulate(x, dz, summed);
  auto descended = p;
  layer::descend(descended, x, dz, rate);
  std::array<T, Out> step;
  for (std::size_t o = 0; o < Out; ++o) step[o] = rate * dz[o];
  for (std::size_t i = 0; i < In; ++i) {
    for (std::size_t o = 0; o < Out; ++o) {
      INFO("weight " << i << ", " << o);
      CHECK(same(summed.weight(i, o), g.weight(i, o) + dz[o] * x[i]));
      CHECK(same(descended.weight(i, o), p.weight(i, o) - step[o] * x[i]));
    }
  }
  for (std::size_t o = 0; o < Out; ++o) {
    CHECK(same(summed.biases[o], g.biases[o] + dz[o]));
    CHECK(same(descended.biases[o], p.biases[o] - step[o]));
  }

  typename net::params params, gradients;
  params.template layer<0>() = p;
  gradients.template layer<0>() = g;
  typename ctnn::sgd::state<typename net::params> none{};
  ctnn::sgd{.learning_rate = 0.3}.step(params, gradients, 3, none);
  const T batch_rate = T(0.3) / T(3);
  for (std::size_t k = 0; k < p.weights.size(); ++k) {
    INFO("sgd, weight " << k);
    CHECK(same(params.template layer<0>().weights[k], p.weights[k] - batch_rate * g.weights[k]));
  }
  for (std::size_t o = 0; o < Out; ++o)
    CHECK(same(params.template layer<0>().biases[o], p.biases[o] - batch_rate * g.biases[o]));
}
}  // namespace

TEST_CASE("accumulate, descend and sgd's step add their products as the plain formula does, bit for bit", "[network]") {
  check_parameter_updates<float, 3, 61>(1);  // whole vectors of each width (16 + 8 + 4 floats), then a single value
  check_parameter_updates<float, 4, 3>(2);   // narrower than any vector
  check_parameter_updates<float, 2, 64>(3);  // whole vectors only
  check_parameter_updates<double, 3, 15>(4);
  check_parameter_updates<long double, 2, 5>(5);  // no vector types
}

TEST_CASE("predict over a span equals predict per sample", "[network]") {
  const demo_net m{ctnn::he{}, 8};
  std::array<demo_net::input, 5> xs{};
  for (std::size_t k = 0; k < xs.size(); ++k) xs[k] = {float(k), -0.5f * float(k), 1.0f};
  std::array<demo_net::output, 5> ys{};
  m.predict(xs, ys);
  for (std::size_t k = 0; k < xs.size(); ++k) CHECK(ys[k] == m.predict(xs[k]));
}

namespace {
/** Checks predict over spans of 0 to 29 samples against predict per sample, bit for bit: the
    batched kernels (several samples at once, detail::sample_block) must sum every output in the
    order of the one-sample kernel, whatever the layer's width. */
template <class Net>
void check_batched_predict(std::uint64_t seed) {
  Net m{ctnn::he{}, seed};
  ctnn::random_engine rng{seed};
  for (auto& b : m.parameters().template layer<0>().biases) b = static_cast<typename Net::scalar>(rng.uniform(-1, 1));
  for (auto& b : m.parameters().template layer<Net::layer_count - 1>().biases)
    b = static_cast<typename Net::scalar>(rng.uniform(-1, 1));
  std::vector<typename Net::input> xs(29);
  for (auto& x : xs)
    for (auto& v : x) v = static_cast<typename Net::scalar>(rng.uniform(-2, 2));
  for (std::size_t n = 0; n <= xs.size(); ++n) {
    std::vector<typename Net::output> ys(n);
    m.predict(std::span<const typename Net::input>{xs.data(), n}, std::span<typename Net::output>{ys});
    for (std::size_t k = 0; k < n; ++k) {
      INFO("span of " << n << ", sample " << k);
      CHECK(std::memcmp(ys[k].data(), m.predict(xs[k]).data(), sizeof(ys[k])) == 0);
    }
  }
}
}  // namespace

TEST_CASE("predict over a span equals predict per sample, bit for bit, for every kind of layer", "[network]") {
  // wide layers (several register blocks), a narrow output (vectorised across samples)
  check_batched_predict<ctnn::network<float, ctnn::dense<64, 128, ctnn::relu>, ctnn::dense<128, 200, ctnn::relu>,
                                      ctnn::dense<200, 10, ctnn::sigmoid>>>(1);
  // layers whose one-sample kernel splits the inputs into chains (not batched: must still agree)
  check_batched_predict<ctnn::network<float, ctnn::dense<16, 32, ctnn::relu>, ctnn::dense<32, 32, ctnn::tanh>,
                                      ctnn::dense<32, 1, ctnn::sigmoid>>>(2);
  // softmax output, odd sizes, double
  check_batched_predict<ctnn::network<double, ctnn::dense<7, 33, ctnn::leaky_relu>, ctnn::dense<33, 5, ctnn::softmax>>>(3);
  check_batched_predict<demo_net>(4);
}
