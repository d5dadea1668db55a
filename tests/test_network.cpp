// Network structure: sizes, byte counts, forward and backward wiring.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <tuple>
#include <type_traits>
#include <vector>

#include "ctnn/ctnn.hpp"

#include "param_compare.hpp"

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
  STATIC_REQUIRE(sizeof(workspace) == workspace::bytes);  // the figure is the real size
}

TEST_CASE("CTNN_PLAIN_KERNELS takes a microcontroller's plain loops on any target", "[network]") {
  // tests/CMakeLists.txt defines it for the build without exceptions (ctnn_tests_firmware_flags)
  // and for no other: there it must be defined, elsewhere not. On x86-64, where there are vector
  // registers, the plain build then has no block of samples and no vector kernels, the others have
  // them; and no plain build has AVX2 code at run time. (Elsewhere there are no vector kernels to
  // take away: only the first two checks bite.)
#if defined(CTNN_PLAIN_KERNELS)
  constexpr bool plain = true;
#else
  constexpr bool plain = false;
#endif
#if defined(__cpp_exceptions)
  constexpr bool exceptions = true;
#else
  constexpr bool exceptions = false;
#endif
#if defined(CTNN_AVX2_AT_RUN_TIME)
  constexpr bool avx2_at_run_time = true;
#else
  constexpr bool avx2_at_run_time = false;
#endif
  STATIC_REQUIRE(plain == !exceptions);
  STATIC_REQUIRE(!(plain && avx2_at_run_time));
#if defined(__x86_64__)
  using workspace = ctnn::training_workspace<demo_net, ctnn::sgd>;
  STATIC_REQUIRE((ctnn::detail::sample_block == 1) == plain);
  STATIC_REQUIRE(ctnn::detail::has_simd<float> == !plain);
  STATIC_REQUIRE((ctnn::detail::elementwise_lanes<float> == 1) == plain);
  STATIC_REQUIRE((workspace::block_bytes == 0) == plain);
#endif
}

TEST_CASE("rows of whole vectors start on the largest boundary up to a cache line that divides them, and nothing else is padded", "[network]") {
  // 32 floats a row: 128 bytes, whole cache lines; 8 floats, 32 bytes; 4 floats, 16; 5 floats and
  // 3 doubles: no whole vector.
  constexpr bool simd = ctnn::detail::has_simd<float>;
  using wide = ctnn::dense<16, 32, ctnn::relu>::params<float>;
  using narrow = ctnn::dense<3, 5, ctnn::relu>::params<float>;
  constexpr std::size_t wide_alignment = simd ? 64 : alignof(float);
  STATIC_REQUIRE(alignof(wide) == wide_alignment);
  STATIC_REQUIRE(sizeof(wide) == (16 * 32 + 32) * sizeof(float));  // 128-byte pieces: no padding either way
  STATIC_REQUIRE(alignof(ctnn::dense<3, 8, ctnn::relu>::params<float>) == (simd ? 32 : alignof(float)));
  STATIC_REQUIRE(alignof(ctnn::dense<3, 4, ctnn::relu>::params<float>) == (simd ? 16 : alignof(float)));
  STATIC_REQUIRE(alignof(ctnn::dense<3, 3, ctnn::relu>::params<double>) == alignof(double));
  STATIC_REQUIRE(alignof(narrow) == alignof(float));
  STATIC_REQUIRE(sizeof(narrow) == (3 * 5 + 5) * sizeof(float));
  using net = ctnn::network<float, ctnn::dense<16, 32, ctnn::relu>, ctnn::dense<32, 1, ctnn::sigmoid>>;
  const auto model = std::make_unique<net>(ctnn::he{}, 1);  // aligned new: C++17's operator new(size, align)
  const auto address = reinterpret_cast<std::uintptr_t>(model->parameters().template layer<0>().weights.data());
  CHECK(address % wide_alignment == 0);
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
constexpr void fill_uniform(Range& values, ctnn::random_engine& rng, double lo, double hi) {
  for (auto& v : values) v = static_cast<std::remove_reference_t<decltype(v)>>(rng.uniform(lo, hi));
}

/** Draws a layer's weights and biases from [-1, 1) and its input from [-2, 2). */
template <class Params, class Input>
constexpr void draw_layer(Params& p, Input& x, ctnn::random_engine& rng) {
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
  check_dense_forward<float, 3, 5>(1);     // a 16-byte vector and a value left over
  check_dense_forward<float, 8, 3>(13);    // narrower than any vector
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
/** dense<In, Out> (identity)'s z, from drawn weights, biases and input. Evaluated by the
    compiler, the kernel is its plain loops over chains of inputs (no vector types). */
template <class T, std::size_t In, std::size_t Out>
constexpr std::array<T, Out> drawn_affine() {
  using layer = ctnn::dense<In, Out, ctnn::identity>;
  typename layer::template params<T> p{};
  std::array<T, In> x{};
  ctnn::random_engine rng{In * 1000 + Out};
  draw_layer(p, x, rng);
  typename layer::template cache<T> c{};
  layer::forward(p, x, c);
  return c.z;
}

/** Checks that dense<In, Out>::forward at run time (in vector types where the target has them)
    gives the z the compiler's evaluation of its plain loops gives, bit for bit. */
template <class T, std::size_t In, std::size_t Out>
void check_vector_sums_are_the_loops() {
  constexpr std::array<T, Out> loops = drawn_affine<T, In, Out>();
  const std::array<T, Out> vectors = drawn_affine<T, In, Out>();
  INFO(In << "x" << Out);
  CHECK(std::memcmp(loops.data(), vectors.data(), sizeof loops) == 0);
}
}  // namespace

// Exactly: the same products added in the same order round alike (without FMA contraction, which
// this build does not do and the x86-64-v3/v4 kernel builds turn off), while sums of random values
// of full mantissas added in another order differ in the last bits.
TEST_CASE("a dense layer's vector kernels add each output's terms in the order of its plain loops", "[network]") {
  check_vector_sums_are_the_loops<float, 128, 10>();   // a ragged block (8 + 2, 4 + 4 + 2) in chains of inputs
  check_vector_sums_are_the_loops<float, 12, 35>();    // vectors and values left over (two chains with AVX-512)
  check_vector_sums_are_the_loops<float, 16, 32>();    // whole vectors in chains
  check_vector_sums_are_the_loops<float, 128, 128>();  // wide blocks, one chain
  check_vector_sums_are_the_loops<float, 37, 1>();     // one output: chains across the lanes, inputs left over
  check_vector_sums_are_the_loops<float, 3, 5>();      // a 16-byte vector and a value, one chain (3 inputs)
  check_vector_sums_are_the_loops<float, 8, 3>();      // narrower than any vector: the loops themselves
  check_vector_sums_are_the_loops<double, 40, 5>();
  check_vector_sums_are_the_loops<double, 33, 96>();
}

namespace {
/** Checks dense<In, Out>'s backward kernels against their one-row definitions, bit for bit:
    propagate's dx[i] is row_dot(i) (which the vector kernels compute a register of rows, or for
    short rows 8 rows, at a time), and propagate_and_descend is propagate then descend (in one pass
    for a big layer). */
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
    CHECK(ctnn_test::same_bits(dx[i], expected));
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
  check_dense_backward<float, 20, 10>(10);  // rows too short for vectors, in groups of 8 and 4 left over
  check_dense_backward<double, 17, 5>(11);
  check_dense_backward<float, 37, 1>(12);  // one output: each row's sum is one product
  check_dense_backward<float, 2050, 2>(13);  // the one-pass kernel's rows too short for vectors, one at a time
  check_dense_backward<float, 16, 8>(14);    // rows of 8 outputs: with AVX, one vector a row, transposed
  check_dense_backward<float, 27, 15>(15);   // and of 15, the first 8 and last 8 overlapping, 3 rows left over
}

namespace {
/** Checks the loops that add a product into parameters (accumulate, descend, sgd's step), which
    take whole vectors of every width the target has and then single values, against the plain
    formula value by value, bit for bit: each value is one product and one sum, rounded the same
    way in any order of the values. Some values are zeros of either sign, so that a result's sign
    of zero is checked too. (In a build for x86-64 without AVX, sgd's step runs AVX-512 or AVX2
    code where the core has it: the AVX2 copy compiled with FMA failed 139 of these checks.) */
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
  if constexpr (Out > 1) dz[1] = T(-0.0);
  const T rate = T(0.1);
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
      CHECK(ctnn_test::same_bits(summed.weight(i, o), g.weight(i, o) + dz[o] * x[i]));
      CHECK(ctnn_test::same_bits(descended.weight(i, o), p.weight(i, o) - step[o] * x[i]));
    }
  }
  for (std::size_t o = 0; o < Out; ++o) {
    CHECK(ctnn_test::same_bits(summed.biases[o], g.biases[o] + dz[o]));
    CHECK(ctnn_test::same_bits(descended.biases[o], p.biases[o] - step[o]));
  }

  typename net::params params, gradients;
  params.template layer<0>() = p;
  gradients.template layer<0>() = g;
  const auto check_sgd = [&](const char* code, auto take_step) {
    INFO(code);
    auto stepped = params;
    take_step(stepped);
    const T batch_rate = T(0.3) / T(3);
    for (std::size_t k = 0; k < p.weights.size(); ++k) {
      INFO("sgd, weight " << k);
      CHECK(ctnn_test::same_bits(stepped.template layer<0>().weights[k], p.weights[k] - batch_rate * g.weights[k]));
    }
    for (std::size_t o = 0; o < Out; ++o)
      CHECK(ctnn_test::same_bits(stepped.template layer<0>().biases[o], p.biases[o] - batch_rate * g.biases[o]));
  };
  const ctnn::sgd rule{.learning_rate = 0.3};
  check_sgd("step", [&](auto& stepped) {
    typename ctnn::sgd::state<typename net::params> none{};
    rule.step(stepped, gradients, 3, none);
  });
#ifdef CTNN_AVX2_AT_RUN_TIME
  // step runs the widest copy this core has; then each copy this core runs, called directly
  if (ctnn::detail::runs_avx2()) check_sgd("AVX2 code", [&](auto& stepped) { rule.step_avx2(stepped, gradients, 3); });
  if (ctnn::detail::runs_avx512())
    check_sgd("AVX-512 code", [&](auto& stepped) { rule.step_avx512(stepped, gradients, 3); });
#endif
}
}  // namespace

namespace {
/** Runs dense<In, Out>::descend on drawn values and tells whether every parameter is the
    formula's, w - (rate·dz[o])·x[i] and b - rate·dz[o]: at compile time, where descend's step
    vector is left unset until each value is assigned (reading one unset would not compile). */
template <std::size_t In, std::size_t Out>
constexpr bool descend_is_the_formula() {
  using layer = ctnn::dense<In, Out, ctnn::identity>;
  typename layer::template params<float> p{};
  std::array<float, In> x{};
  ctnn::random_engine rng{In * 1000 + Out};
  draw_layer(p, x, rng);
  std::array<float, Out> dz{};
  fill_uniform(dz, rng, -1, 1);
  auto q = p;
  layer::descend(q, x, dz, 0.1f);
  for (std::size_t i = 0; i < In; ++i)
    for (std::size_t o = 0; o < Out; ++o)
      if (q.weights[i * Out + o] != p.weights[i * Out + o] - (0.1f * dz[o]) * x[i]) return false;
  for (std::size_t o = 0; o < Out; ++o)
    if (q.biases[o] != p.biases[o] - 0.1f * dz[o]) return false;
  return true;
}
}  // namespace

TEST_CASE("descend at compile time is the formula (one output and several)", "[network][constexpr]") {
  STATIC_REQUIRE(descend_is_the_formula<7, 1>());
  STATIC_REQUIRE(descend_is_the_formula<3, 5>());
}

TEST_CASE("accumulate, descend and sgd's step add their products as the plain formula does, bit for bit", "[network]") {
  check_parameter_updates<float, 3, 61>(1);  // whole vectors of each width (16 + 8 + 4 floats), then a single value
  check_parameter_updates<float, 4, 3>(2);   // narrower than any vector
  check_parameter_updates<float, 2, 64>(3);  // whole vectors only
  check_parameter_updates<float, 2, 200>(6);  // descend's blocks of 8 registers of outputs, on every width
  check_parameter_updates<float, 61, 1>(8);   // one output: descend goes over the inputs in vectors
  check_parameter_updates<double, 37, 1>(9);
  check_parameter_updates<double, 3, 130>(7);
  check_parameter_updates<double, 3, 15>(4);
  check_parameter_updates<long double, 2, 5>(5);  // no vector types
}

namespace {
/** Checks an optimizer's step, which runs in vector types (optimizer.hpp's elementwise), the values
    after the last whole vector padded into one, bit for bit against a network of one weight and
    one bias given each value and its state (all padding). `members` returns a tuple of the state's
    parameter-shaped members, `copy_scalars` copies its other fields; after each step `also` gets
    the values before and after. Then the dry run: a gradient of +inf at a whole vector's position,
    then at the last value's, makes step_stays_finite false. */
template <class T, std::size_t In, std::size_t Out, class O, class Members, class CopyScalars, class Also>
void check_elementwise_steps(const O& optimizer, std::uint64_t seed, Members members, CopyScalars copy_scalars,
                             Also also) {
  using net = ctnn::network<T, ctnn::dense<In, Out, ctnn::identity>>;
  using one_net = ctnn::network<T, ctnn::dense<1, 1, ctnn::identity>>;  // shorter than any vector
  typename net::params params, gradients;
  typename O::template state<typename net::params> state{};
  ctnn::random_engine rng{seed};
  const auto draw = [&](auto& p, T low, T high) {
    fill_uniform(p.template layer<0>().weights, rng, low, high);
    fill_uniform(p.template layer<0>().biases, rng, low, high);
  };
  draw(params, -1, 1);
  std::apply([&](auto&... member) { (draw(member, 0, 1), ...); }, members(state));  // adam's v must not be negative
  const std::size_t batch = 3;
  INFO(In << "x" << Out);
  for (int step = 0; step < 3; ++step) {
    draw(gradients, -2, 2);
    const auto before = params;
    const auto state_before = state;
    REQUIRE(optimizer.step_stays_finite(params, gradients, batch, state));
    optimizer.step(params, gradients, batch, state);
    for (std::size_t k = 0; k < In * Out; ++k) {
      // Weight k as the weight, and bias k (bias 0 past the last) as the bias, of a one-weight network.
      const std::size_t bias = k < Out ? k : 0;
      const auto set = [&](auto& one, const auto& big) {
        one.template layer<0>().weights = {big.template layer<0>().weights[k]};
        one.template layer<0>().biases = {big.template layer<0>().biases[bias]};
      };
      const auto same_value = [&](const auto& one, const auto& big) {
        return ctnn_test::same_bits(big.template layer<0>().weights[k], one.template layer<0>().weights[0]) &&
               (k >= Out || ctnn_test::same_bits(big.template layer<0>().biases[k], one.template layer<0>().biases[0]));
      };
      typename one_net::params p1, g1;
      typename O::template state<typename one_net::params> s1{};
      set(p1, before);
      set(g1, gradients);
      copy_scalars(s1, state_before);
      std::apply([&](auto&... one) { std::apply([&](const auto&... big) { (set(one, big), ...); }, members(state_before)); },
                 members(s1));
      optimizer.step(p1, g1, batch, s1);
      INFO("step " << step << ", weight " << k << " and bias " << bias);
      CHECK_FALSE(ctnn_test::same_bits(p1.template layer<0>().weights[0], before.template layer<0>().weights[k]));  // it moved
      CHECK(same_value(p1, params));
      const auto check_member = [&](const auto& one, const auto& big) { CHECK(same_value(one, big)); };
      std::apply([&](const auto&... one) { std::apply([&](const auto&... big) { (check_member(one, big), ...); }, members(state)); },
                 members(s1));
    }
    also(before, gradients, state_before, params, state);
  }
  for (const std::size_t k : {std::size_t{0}, In * Out - 1}) {
    auto bad = gradients;
    bad.template layer<0>().weights[k] = std::numeric_limits<T>::infinity();
    INFO("+inf at weight " << k);
    CHECK_FALSE(optimizer.step_stays_finite(params, bad, batch, state));
  }
  auto bad = gradients;
  bad.template layer<0>().biases[Out - 1] = std::numeric_limits<T>::infinity();
  INFO("+inf at the last bias");
  CHECK_FALSE(optimizer.step_stays_finite(params, bad, batch, state));
}

/** check_elementwise_steps for adam and, where the target has no FMA, its formula written as a
    plain loop, bit for bit (g++ in GNU mode fuses a·b + c·d into an FMA where it can, and may fuse
    this file's formula differently from optimizer.hpp's). sqrt is correctly rounded in every form. */
template <class T, std::size_t In, std::size_t Out>
void check_adam_updates(std::uint64_t seed, double weight_decay) {
  const ctnn::adam adam{.learning_rate = 0.01, .weight_decay = weight_decay};
  INFO("adam, weight decay " << weight_decay);
  const auto moments = [](auto& s) { return std::tie(s.m, s.v); };
  const auto powers = [](auto& one, const auto& big) {
    one.beta1_power = big.beta1_power;
    one.beta2_power = big.beta2_power;
  };
#if defined(__FMA__)
  const auto formula = [](const auto&...) {};
#else
  const auto formula = [&](const auto& before, const auto& gradients, const auto& state_before, const auto& params,
                           const auto& state) {
    const T b1 = T(0.9), b2 = T(0.999), eps = T(1e-8);
    const T step_size = T(0.01) / (T{1} - state_before.beta1_power * b1);
    const T inverse_root_correction = T{1} / std::sqrt(T{1} - state_before.beta2_power * b2);
    const auto expect = [&](const auto& w, const auto& g, const auto& m, const auto& v, T decay, const auto& w_after,
                            const auto& m_after, const auto& v_after) {
      for (std::size_t k = 0; k < w.size(); ++k) {
        const T gk = g[k] * (T{1} / T(3)) + decay * w[k];
        const T m_new = b1 * m[k] + (T{1} - b1) * gk;
        const T v_new = b2 * v[k] + (T{1} - b2) * gk * gk;
        const T updated = w[k] - step_size * m_new / (std::sqrt(v_new) * inverse_root_correction + eps);
        INFO("value " << k << " of " << w.size() << " against the formula");
        CHECK(ctnn_test::same_bits(w_after[k], updated));
        CHECK(ctnn_test::same_bits(m_after[k], m_new));
        CHECK(ctnn_test::same_bits(v_after[k], v_new));
      }
    };
    const auto layer = [](const auto& p) -> const auto& { return p.template layer<0>(); };
    expect(layer(before).weights, layer(gradients).weights, layer(state_before.m).weights,
           layer(state_before.v).weights, static_cast<T>(weight_decay), layer(params).weights,
           layer(state.m).weights, layer(state.v).weights);
    expect(layer(before).biases, layer(gradients).biases, layer(state_before.m).biases, layer(state_before.v).biases,
           T{0}, layer(params).biases, layer(state.m).biases, layer(state.v).biases);
  };
#endif
  check_elementwise_steps<T, In, Out>(adam, seed, moments, powers, formula);
}
}  // namespace

namespace {
/** Checks the vector sqrt that adam's step uses against std::sqrt, lane by lane, bit for bit. */
template <class T>
void check_vector_sqrt() {
  constexpr std::size_t lanes = ctnn::detail::elementwise_lanes<T>;
  if constexpr (lanes > 1) {
    using vec = ctnn::detail::simd<T, lanes>;
    const std::array<T, 12> values{T(0), T(-0.0), T(1), T(2), T(0.999), T(1e-30), std::numeric_limits<T>::denorm_min(),
                                   std::numeric_limits<T>::max(), std::numeric_limits<T>::infinity(), T(3e7), T(0.5),
                                   T(123.456)};
    for (std::size_t first = 0; first < values.size(); ++first) {
      vec x;
      for (std::size_t j = 0; j < lanes; ++j) x[j] = values[(first + j) % values.size()];
      const vec root = ctnn::detail::elements_sqrt(x);
      for (std::size_t j = 0; j < lanes; ++j) {
        const T expected = std::sqrt(x[j]);
        const T got = root[j];
        INFO(sizeof(T) << "-byte values, lane " << j << " of " << lanes << ": sqrt(" << x[j] << ")");
        CHECK(ctnn_test::same_bits(got, expected));
      }
    }
  }
}
}  // namespace

TEST_CASE("adam's vector sqrt gives std::sqrt's values, bit for bit", "[network]") {
  check_vector_sqrt<float>();
  check_vector_sqrt<double>();
}

TEST_CASE("adam's step gives its formula's values, bit for bit, in vector types and value by value", "[network]") {
  check_adam_updates<float, 3, 61>(1, 0);  // 183 weights: whole vectors of 4 or 8 floats, then padded ones
  check_adam_updates<float, 3, 61>(2, 0.1);
  check_adam_updates<float, 4, 3>(3, 0.1);  // whole vectors (12 weights on SSE), 3 biases: one padded vector
  check_adam_updates<double, 3, 15>(4, 0);
  check_adam_updates<double, 3, 15>(5, 0.1);
}

TEST_CASE("a vector's padding does not make adam's dry run fail: ε = 0 divides 0 by 0 there", "[network]") {
  using net = ctnn::network<float, ctnn::dense<3, 61, ctnn::identity>>;  // 183 weights and 61 biases: padded vectors
  typename net::params params, gradients;
  ctnn::adam::state<typename net::params> state{};
  ctnn::random_engine rng{11};
  for (auto* p : {&params, &gradients, &state.m, &state.v}) {
    fill_uniform(p->template layer<0>().weights, rng, 0.5, 1);  // v > 0: every value's own √v + ε is positive
    fill_uniform(p->template layer<0>().biases, rng, 0.5, 1);
  }
  const ctnn::adam adam{.learning_rate = 0.01, .epsilon = 0};
  CHECK(adam.step_stays_finite(params, gradients, 4, state));
  adam.step(params, gradients, 4, state);
  CHECK(ctnn::detail::all_finite_params(params));
}

TEST_CASE("momentum's step gives each value the same bits in vector types and padded", "[network]") {
  const auto velocity = [](auto& s) { return std::tie(s.velocity); };
  const auto no_scalars = [](auto&, const auto&) {};
  const auto nothing_else = [](const auto&...) {};
  for (const bool nesterov : {false, true}) {
    INFO("momentum, nesterov " << nesterov);
    const ctnn::momentum momentum{.learning_rate = 0.1, .nesterov = nesterov, .weight_decay = 0.01};
    check_elementwise_steps<float, 3, 61>(momentum, 6, velocity, no_scalars, nothing_else);
    check_elementwise_steps<double, 3, 15>(momentum, 7, velocity, no_scalars, nothing_else);
  }
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
/** Checks predict over spans of 0 to 29 and of 240 samples against predict per sample, bit for bit: the
    batched kernels (several samples at once, detail::sample_block) must sum every output in the
    order of the one-sample kernel, whatever the layer's width; and in a build for x86-64 without
    AVX, predict's AVX2 and AVX-512 code (each run where this core has it) must give what the
    build's SSE2 code gives. Every batch shape the build has is also called directly. */
template <class Net>
void check_batched_predict(std::uint64_t seed) {
  using input = typename Net::input;
  using output = typename Net::output;
  Net m{ctnn::he{}, seed};
  ctnn::random_engine rng{seed};
  for (auto& b : m.parameters().template layer<0>().biases) b = static_cast<typename Net::scalar>(rng.uniform(-1, 1));
  for (auto& b : m.parameters().template layer<Net::layer_count - 1>().biases)
    b = static_cast<typename Net::scalar>(rng.uniform(-1, 1));
  std::vector<input> xs(240);  // spans of 0 to 29 samples, then all 240 (more chances for a wrong sum to show)
  for (auto& x : xs)
    for (auto& v : x) v = static_cast<typename Net::scalar>(rng.uniform(-2, 2));
  std::vector<output> expected(xs.size());
#ifdef CTNN_AVX2_AT_RUN_TIME
  // predict's AVX-512 or AVX2 code, where this core runs it, against the build's own (no FMA in
  // any, so no rounding may differ; with FMA contraction, as in the x86-64-v3 build, results are
  // not promised to agree across inlining: network::predict); then each copy this core runs.
  if (!ctnn::detail::runs_avx2()) WARN("this core has no AVX2: predict runs the build's own code");
  for (std::size_t k = 0; k < xs.size(); ++k) {  // the build's own code, one sample at a time
    m.template predict_in_batches<ctnn::detail::native_batch>(std::span<const input>{&xs[k], 1},
                                                              std::span<output>{&expected[k], 1});
  }
  const auto check_one_sample = [&](const char* path, auto predict_copy) {
    for (std::size_t k = 0; k < xs.size(); ++k) {
      const output one = predict_copy(xs[k]);
      INFO(path << ", sample " << k);
      CHECK(std::memcmp(one.data(), expected[k].data(), sizeof(output)) == 0);
    }
  };
  check_one_sample("predict", [&](const input& x) { return m.predict(x); });
  if (ctnn::detail::runs_avx2()) check_one_sample("AVX2 code", [&](const input& x) { return m.predict_avx2(x); });
  if (ctnn::detail::runs_avx512())
    check_one_sample("AVX-512 code", [&](const input& x) { return m.predict_avx512(x); });
#else
  for (std::size_t k = 0; k < xs.size(); ++k) expected[k] = m.predict(xs[k]);
#endif
  const auto check_span = [&](const char* path, auto predict_span) {
    const auto check_first = [&](std::size_t n) {
      std::vector<output> ys(n);
      predict_span(std::span<const input>{xs.data(), n}, std::span<output>{ys});
      for (std::size_t k = 0; k < n; ++k) {
        INFO(path << ": span of " << n << ", sample " << k);
        CHECK(std::memcmp(ys[k].data(), expected[k].data(), sizeof(output)) == 0);
      }
    };
    for (std::size_t n = 0; n < 30; ++n) check_first(n);
    check_first(xs.size());
  };
  check_span("predict", [&](auto in, auto out) { m.predict(in, out); });
  check_span("native_batch",
             [&](auto in, auto out) { m.template predict_in_batches<ctnn::detail::native_batch>(in, out); });
#ifdef CTNN_AVX2_AT_RUN_TIME
  // The wider shapes' arithmetic, compiled here for the build's target; then the code compiled for
  // AVX2 and for AVX-512, each where this core runs it (predict runs only the widest).
  check_span("avx2_batch", [&](auto in, auto out) { m.template predict_in_batches<ctnn::detail::avx2_batch>(in, out); });
  check_span("avx512_batch",
             [&](auto in, auto out) { m.template predict_in_batches<ctnn::detail::avx512_batch>(in, out); });
  if (ctnn::detail::runs_avx2()) check_span("AVX2 code", [&](auto in, auto out) { m.predict_in_batches_avx2(in, out); });
  if (ctnn::detail::runs_avx512())
    check_span("AVX-512 code", [&](auto in, auto out) { m.predict_in_batches_avx512(in, out); });
#endif
}
}  // namespace

TEST_CASE("predict over a span equals predict per sample, bit for bit, for every kind of layer", "[network]") {
#ifdef CTNN_AVX2_AT_RUN_TIME
  if (!ctnn::detail::runs_avx512()) WARN("this core has no AVX-512: predict's AVX-512 code is not run");
#endif
  // wide layers (several register blocks), 10 outputs (in chains of inputs where there are vectors: per sample)
  check_batched_predict<ctnn::network<float, ctnn::dense<64, 128, ctnn::relu>, ctnn::dense<128, 200, ctnn::relu>,
                                      ctnn::dense<200, 10, ctnn::sigmoid>>>(1);
  // layers whose one-sample kernel splits the inputs into chains (not batched: must still agree)
  check_batched_predict<ctnn::network<float, ctnn::dense<16, 32, ctnn::relu>, ctnn::dense<32, 32, ctnn::tanh>,
                                      ctnn::dense<32, 1, ctnn::sigmoid>>>(2);
  // 12 float outputs of one chain each (batched: an AVX2 vector and an SSE one), 35 outputs (AVX2
  // vectors and 3 left over; with AVX-512 in two chains, per sample) and one output of 35 inputs
  // (chains and a remainder)
  check_batched_predict<ctnn::network<float, ctnn::dense<3, 12, ctnn::relu>, ctnn::dense<12, 35, ctnn::relu>,
                                      ctnn::dense<35, 1, ctnn::sigmoid>>>(6);
  // one float output of 128 inputs: its chains' lanes folded in halves (detail::add_halves) from the
  // widest vector a shape has (AVX-512's 16 floats, in SSE2 code too)
  check_batched_predict<ctnn::network<float, ctnn::dense<8, 128, ctnn::relu>, ctnn::dense<128, 1, ctnn::sigmoid>>>(7);
  // softmax output, odd sizes, double
  check_batched_predict<ctnn::network<double, ctnn::dense<7, 33, ctnn::leaky_relu>, ctnn::dense<33, 5, ctnn::softmax>>>(3);
  // double outputs in whole register blocks and a partial one (with AVX: 64 in one pass, then 32)
  check_batched_predict<ctnn::network<double, ctnn::dense<33, 96, ctnn::relu>, ctnn::dense<96, 1, ctnn::sigmoid>>>(5);
  // layers narrower than a vector, in one chain (vectorised across samples)
  check_batched_predict<demo_net>(4);
}

namespace {
/** Layer I's input: x for the first layer, the previous layer's activation after it. */
template <std::size_t I, class Net>
const auto& input_of(const typename Net::input& x, const typename Net::trace& t) {
  if constexpr (I == 0) {
    return x;
  } else {
    return t.template layer<I - 1>().a;
  }
}

// network::forward (with a trace), backward and descend written out layer by layer, the layers'
// kernels called in vectors of VectorBytes: the references for check_training_kernels.
template <std::size_t VectorBytes, class Net>
void forward_by_layers(const Net& m, const typename Net::input& x, typename Net::trace& t) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (Net::template layer_type<I>::template forward<VectorBytes>(m.parameters().template layer<I>(),
                                                                input_of<I, Net>(x, t), t.template layer<I>()),
     ...);
  }(std::make_index_sequence<Net::layer_count>{});
}

template <std::size_t VectorBytes, std::size_t I, class Net, class Dz>
void backward_by_layers(const Net& m, const typename Net::input& x, const typename Net::trace& t, const Dz& dz,
                        typename Net::gradients& g) {
  using layer = typename Net::template layer_type<I>;
  layer::template accumulate<VectorBytes>(input_of<I, Net>(x, t), dz, g.template layer<I>());
  if constexpr (I > 0) {
    std::array<typename Net::scalar, layer::inputs> previous;
    layer::template propagate<VectorBytes>(m.parameters().template layer<I>(), dz, previous);
    const auto& cache = t.template layer<I - 1>();
    ctnn::detail::activation_backward<typename Net::template layer_type<I - 1>::activation>(cache.z, cache.a, previous);
    backward_by_layers<VectorBytes, I - 1>(m, x, t, previous, g);
  }
}

template <std::size_t VectorBytes, std::size_t I, class Net, class Dz>
void descend_by_layers(Net& m, const typename Net::input& x, const typename Net::trace& t, const Dz& dz,
                       typename Net::scalar rate) {
  using layer = typename Net::template layer_type<I>;
  if constexpr (I > 0) {
    std::array<typename Net::scalar, layer::inputs> previous;
    layer::template propagate_and_descend<VectorBytes>(m.parameters().template layer<I>(), input_of<I, Net>(x, t), dz,
                                                       rate, previous);
    const auto& cache = t.template layer<I - 1>();
    ctnn::detail::activation_backward<typename Net::template layer_type<I - 1>::activation>(cache.z, cache.a, previous);
    descend_by_layers<VectorBytes, I - 1>(m, x, t, previous, rate);
  } else {
    layer::template descend<VectorBytes>(m.parameters().template layer<I>(), x, dz, rate);
  }
}

/** Tells whether two traces have the same bytes. */
template <class Net>
bool same_trace(const typename Net::trace& a, const typename Net::trace& b) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return ((std::memcmp(&a.template layer<I>(), &b.template layer<I>(), sizeof(a.template layer<I>())) == 0) && ...);
  }(std::make_index_sequence<Net::layer_count>{});
}

/** Tells whether `out` is the last layer's activation in `t`, bit for bit. */
template <class Net>
bool same_output(const typename Net::output& out, const typename Net::trace& t) {
  return std::memcmp(out.data(), t.template layer<Net::layer_count - 1>().a.data(), sizeof(out)) == 0;
}

/** Checks network::forward (with a trace), backward and descend against the layers' kernels called
    one by one in the build's own vectors, bit for bit, on 12 samples: in a build for x86-64 without
    AVX these three run AVX-512 or AVX2 code where the core has it (network::predict), which must
    give what the build's SSE2 code gives; each copy is also called directly where the core runs
    it. The kernels in AVX2's and AVX-512's vectors are also called here, compiled for the build's
    target (their arithmetic, on any core). */
template <class Net>
void check_training_kernels(std::uint64_t seed) {
  using T = typename Net::scalar;
  constexpr std::size_t native = ctnn::detail::vector_bytes, last = Net::layer_count - 1;
  ctnn::random_engine rng{seed};
  const auto m = std::make_unique<Net>();
  ctnn::for_each_array([&](auto& values) { fill_uniform(values, rng, -0.5, 0.5); }, m->parameters());
  const auto run = std::make_unique<Net>(), reference = std::make_unique<Net>();
  for (int sample = 0; sample < 12; ++sample) {
    INFO("sample " << sample);
    typename Net::input x;
    fill_uniform(x, rng, -2, 2);
    typename Net::output delta;
    fill_uniform(delta, rng, -1, 1);
    typename Net::trace t{}, expected_t{};
    m->forward(x, t);
    forward_by_layers<native>(*m, x, expected_t);
    CHECK(same_trace<Net>(t, expected_t));

    typename Net::gradients g{}, expected_g{};
    m->backward(x, expected_t, delta, g);
    backward_by_layers<native, last>(*m, x, expected_t, delta, expected_g);
    CHECK(ctnn_test::bit_identical(g, expected_g));

    *run = *m;
    *reference = *m;
    run->descend(x, expected_t, delta, T(0.25));
    descend_by_layers<native, last>(*reference, x, expected_t, delta, T(0.25));
    CHECK(ctnn_test::bit_identical(run->parameters(), reference->parameters()));
#ifdef CTNN_AVX2_AT_RUN_TIME
    constexpr std::size_t avx2 = ctnn::detail::avx2_batch.vector_bytes;
    t = {};  // each forward below must write the whole trace
    forward_by_layers<avx2>(*m, x, t);
    CHECK(same_trace<Net>(t, expected_t));
    g = {};
    backward_by_layers<avx2, last>(*m, x, expected_t, delta, g);
    CHECK(ctnn_test::bit_identical(g, expected_g));
    *run = *m;
    descend_by_layers<avx2, last>(*run, x, expected_t, delta, T(0.25));
    CHECK(ctnn_test::bit_identical(run->parameters(), reference->parameters()));
    // AVX-512's widths compiled for the build's target, then each copy compiled for a wider
    // target that this core runs (forward, backward and descend above ran only the widest)
    constexpr std::size_t avx512 = ctnn::detail::avx512_batch.vector_bytes;
    t = {};
    forward_by_layers<avx512>(*m, x, t);
    CHECK(same_trace<Net>(t, expected_t));
    g = {};
    backward_by_layers<avx512, last>(*m, x, expected_t, delta, g);
    CHECK(ctnn_test::bit_identical(g, expected_g));
    *run = *m;
    descend_by_layers<avx512, last>(*run, x, expected_t, delta, T(0.25));
    CHECK(ctnn_test::bit_identical(run->parameters(), reference->parameters()));
    const auto check_copies = [&](const char* code, auto forward_copy, auto backward_copy, auto descend_copy) {
      INFO(code);
      t = {};
      CHECK(same_output<Net>(((*m).*forward_copy)(x, t), expected_t));
      CHECK(same_trace<Net>(t, expected_t));
      g = {};
      ((*m).*backward_copy)(x, expected_t, delta, g);
      CHECK(ctnn_test::bit_identical(g, expected_g));
      *run = *m;
      ((*run).*descend_copy)(x, expected_t, delta, T(0.25));
      CHECK(ctnn_test::bit_identical(run->parameters(), reference->parameters()));
    };
    if (ctnn::detail::runs_avx2())
      check_copies("AVX2 code", &Net::forward_avx2, &Net::backward_avx2, &Net::descend_avx2);
    if (ctnn::detail::runs_avx512())
      check_copies("AVX-512 code", &Net::forward_avx512, &Net::backward_avx512, &Net::descend_avx512);
#endif
    *m = *reference;  // go on from the trained network
  }
}
}  // namespace

TEST_CASE("forward with a trace, backward and descend give their layers' kernels' results, bit for bit", "[network]") {
#ifdef CTNN_AVX2_AT_RUN_TIME
  if (!ctnn::detail::runs_avx2()) WARN("this core has no AVX2: the network runs the build's own code");
  if (!ctnn::detail::runs_avx512()) WARN("this core has no AVX-512: the network's AVX-512 code is not run");
#endif
  // row groups of whole vectors, a one-output layer in chains
  check_training_kernels<ctnn::network<float, ctnn::dense<16, 32, ctnn::relu>, ctnn::dense<32, 32, ctnn::relu>,
                                       ctnn::dense<32, 1, ctnn::sigmoid>>>(1);
  // layers of 16 KiB and more (propagate and descend in one pass), a ragged 10-output layer
  check_training_kernels<ctnn::network<float, ctnn::dense<64, 128, ctnn::relu>, ctnn::dense<128, 128, ctnn::relu>,
                                       ctnn::dense<128, 10, ctnn::sigmoid>>>(2);
  // rows left over after the row groups (12 and 35 inputs), row tails (35 outputs), tanh
  check_training_kernels<ctnn::network<float, ctnn::dense<3, 12, ctnn::relu>, ctnn::dense<12, 35, ctnn::tanh>,
                                       ctnn::dense<35, 1, ctnn::sigmoid>>>(3);
  // double, softmax, leaky_relu, a 16 KiB layer with rows left over (70 inputs)
  check_training_kernels<ctnn::network<double, ctnn::dense<7, 33, ctnn::leaky_relu>, ctnn::dense<33, 70, ctnn::tanh>,
                                       ctnn::dense<70, 30, ctnn::relu>, ctnn::dense<30, 5, ctnn::softmax>>>(4);
  // a float layer of 16 KiB and more with rows left over after the row groups (70 inputs)
  check_training_kernels<ctnn::network<float, ctnn::dense<5, 70, ctnn::relu>, ctnn::dense<70, 100, ctnn::relu>,
                                       ctnn::dense<100, 1, ctnn::sigmoid>>>(6);
  check_training_kernels<demo_net>(5);  // no AVX2 code: too narrow
}
