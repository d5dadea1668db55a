// train's block path (lanes.hpp: a block of samples, one per vector lane, at once) against the plain
// per-sample loop written out here: forward, loss, backward into one gradient sum, one sgd step.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "ctnn/ctnn.hpp"

namespace {

template <class Net>
struct samples {
  std::vector<typename Net::input> x;
  std::vector<typename Net::output> y;
};

/** n samples with normal inputs and one-hot (or 0/1) targets that depend on them. */
template <class Net>
samples<Net> make_samples(std::size_t n) {
  using T = typename Net::scalar;
  ctnn::random_engine rng{11};
  samples<Net> d{std::vector<typename Net::input>(n), std::vector<typename Net::output>(n)};
  for (std::size_t k = 0; k < n; ++k) {
    for (auto& v : d.x[k]) v = static_cast<T>(rng.normal());
    const std::size_t label = (d.x[k][0] > T{0} ? 1 : 0) + (d.x[k][1] > T{0.5} ? 1 : 0);
    if constexpr (Net::output_size == 1) {
      d.y[k][0] = static_cast<T>(label % 2);
    } else {
      d.y[k][label % Net::output_size] = T{1};
    }
  }
  return d;
}

/** One epoch of full-batch (or `batch`-sized) gradient descent, one sample at a time. */
template <class Net, class L>
ctnn::epoch_stats train_by_hand(Net& model, const samples<Net>& d, L loss, ctnn::sgd opt, std::size_t batch) {
  using T = typename Net::scalar;
  typename Net::trace t{};
  ctnn::sgd::state<typename Net::params> no_state{};
  T cost{};
  std::size_t correct = 0;
  for (std::size_t begin = 0; begin < d.x.size(); begin += batch) {
    const std::size_t end = std::min(begin + batch, d.x.size());
    typename Net::gradients g{};
    for (std::size_t k = begin; k < end; ++k) {
      const auto& a = model.forward(d.x[k], t);
      const auto& z = t.template layer<Net::layer_count - 1>().z;
      cost += loss.template value<typename Net::output_activation>(z, a, d.y[k]);
      correct += ctnn::is_correct(a, d.y[k]) ? 1 : 0;
      model.backward(d.x[k], t, loss.template delta<typename Net::output_activation>(z, a, d.y[k]), g);
    }
    opt.step(model.parameters(), g, end - begin, no_state);
  }
  const T n = static_cast<T>(d.x.size());
  return {1, static_cast<double>(cost / n), static_cast<double>(static_cast<T>(correct) / n)};
}

/** Trains two copies of one network, by train and by hand, and compares every parameter. */
template <class Net, class L>
void check_matches_per_sample(std::size_t n, std::size_t batch, double tolerance) {
  const auto d = make_samples<Net>(n);
  Net by_train{ctnn::he{}, 5};
  Net by_hand = by_train;
  const ctnn::sgd opt{.learning_rate = 0.1};
  const auto report = ctnn::train(by_train, std::span{std::as_const(d.x)}, std::span{std::as_const(d.y)}, L{}, opt,
                                  {.epochs = 1, .batch_size = batch});
  REQUIRE(report.status == ctnn::train_status::completed);
  const auto expected = train_by_hand(by_hand, d, L{}, opt, batch == ctnn::full_batch ? n : batch);
  // The same forward passes classify alike (where the one-sample kernel sums a layer's inputs in
  // chains, z may differ in the last bits; no sample here lies that close to a boundary).
  CHECK(report.last.accuracy == expected.accuracy);
  CHECK(report.last.cost == Approx(expected.cost).epsilon(tolerance));
  std::size_t compared = 0;
  ctnn::for_each_array(
      [&](const auto& got, const auto& want) {
        for (std::size_t j = 0; j < got.size(); ++j) {
          INFO("parameter " << compared);
          CHECK(std::abs(got[j] - want[j]) <= tolerance * std::max(1.0, std::abs(static_cast<double>(want[j]))));
          ++compared;
        }
      },
      by_train.parameters(), by_hand.parameters());
  CHECK(compared == Net::parameter_count);
}

using small_double = ctnn::network<double, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::tanh>,
                                   ctnn::dense<3, 1, ctnn::sigmoid>>;
using small_float = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::leaky_relu>,
                                  ctnn::dense<3, 1, ctnn::sigmoid>>;
// A layer too big for per-lane sums (lanes.hpp's lane_sum_bytes) and a softmax, which needs each
// sample's units together.
using wide_softmax = ctnn::network<double, ctnn::dense<4, 96, ctnn::relu>, ctnn::dense<96, 3, ctnn::softmax>>;
// Inputs too many for train's local copy of a block's input lanes (lanes.hpp's local_input_bytes):
// the first layer reads them from the block instead. The networks above take the local copy.
using wide_input = ctnn::network<float, ctnn::dense<20, 6, ctnn::relu>, ctnn::dense<6, 1, ctnn::sigmoid>>;
static_assert(ctnn::detail::training_lanes<float> == 1 ||
              20 * ctnn::detail::training_lanes<float> * sizeof(float) > ctnn::detail::local_input_bytes);
static_assert(ctnn::detail::training_lanes<float> == 1 ||
              3 * ctnn::detail::training_lanes<double> * sizeof(double) <= ctnn::detail::local_input_bytes);

}  // namespace

// Tolerances: the block path adds the same per-sample gradients in another order (per lane, then
// across lanes), so the parameters agree to a few roundings of sums of up to 67 terms: 1e-12 in
// double, 1e-5 in float (67 × 2^-24 is 4e-6). A lost lane, a sum not collected or a wrong
// derivative shows as 1e-3 or more.
TEST_CASE("lanes: full-batch training in blocks matches the per-sample loop", "[train][lanes]") {
  check_matches_per_sample<small_double, ctnn::binary_cross_entropy>(67, ctnn::full_batch, 1e-12);
  check_matches_per_sample<small_float, ctnn::binary_cross_entropy>(67, ctnn::full_batch, 1e-5);
  check_matches_per_sample<small_double, ctnn::mean_squared_error>(64, ctnn::full_batch, 1e-12);
  check_matches_per_sample<wide_softmax, ctnn::categorical_cross_entropy>(67, ctnn::full_batch, 1e-12);
  check_matches_per_sample<wide_input, ctnn::binary_cross_entropy>(67, ctnn::full_batch, 1e-5);
}

TEST_CASE("lanes: mini-batches that are not whole blocks match the per-sample loop", "[train][lanes]") {
  // 67 samples in batches of a block and 3 more: a block and single samples in one batch, and a
  // short last batch, whatever the block's width (training_lanes: 4 to 16 samples).
  constexpr std::size_t doubles = ctnn::detail::training_lanes<double> + 3;
  constexpr std::size_t floats = ctnn::detail::training_lanes<float> + 3;
  check_matches_per_sample<small_double, ctnn::binary_cross_entropy>(67, doubles, 1e-12);
  check_matches_per_sample<small_float, ctnn::binary_cross_entropy>(67, floats, 1e-5);
  check_matches_per_sample<wide_softmax, ctnn::categorical_cross_entropy>(67, doubles, 1e-12);
}

TEST_CASE("lanes: a workspace left by a diverged run carries nothing into the next", "[train][lanes]") {
  // The diverged run (its first step makes weights of about 1e28, and the next epoch's forward pass
  // overflows) stops after its block counted correct samples; a later run on the same workspace
  // must report what a fresh workspace reports (seen failing without train's reset: accuracy 1.08 against 0.58).
  const auto d = make_samples<small_float>(64);
  const auto x = std::span{std::as_const(d.x)};
  const auto y = std::span{std::as_const(d.y)};
  const auto ignore = [](const ctnn::epoch_stats&) {};
  ctnn::training_workspace<small_float, ctnn::sgd> reused{};
  small_float blown{ctnn::he{}, 5};
  const auto diverged = ctnn::train(blown, x, y, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 1e30f},
                                    {.epochs = 5}, ignore, reused);
  REQUIRE(diverged.status == ctnn::train_status::diverged);

  small_float on_reused{ctnn::he{}, 5};
  small_float on_fresh = on_reused;
  ctnn::training_workspace<small_float, ctnn::sgd> fresh{};
  const ctnn::sgd opt{.learning_rate = 0.1f};
  const auto a = ctnn::train(on_reused, x, y, ctnn::binary_cross_entropy{}, opt, {.epochs = 1}, ignore, reused);
  const auto b = ctnn::train(on_fresh, x, y, ctnn::binary_cross_entropy{}, opt, {.epochs = 1}, ignore, fresh);
  CHECK(a.last.accuracy == b.last.accuracy);
  CHECK(a.last.cost == b.last.cost);
  CHECK(on_reused == on_fresh);
}

#ifdef CTNN_AVX2_AT_RUN_TIME
namespace {
using float_tanh_softmax = ctnn::network<float, ctnn::dense<5, 12, ctnn::tanh>, ctnn::dense<12, 3, ctnn::softmax>>;

/** Runs the whole blocks of n samples through train_blocks in the build's vectors and through
    train_blocks_avx2 (what train runs where the core has AVX2), each from a fresh block, and
    compares the gradients, the per-lane costs and classifications, and what collect_lanes adds up. */
template <class Net, class L>
void check_avx2_blocks_match(std::size_t n) {
  const auto d = make_samples<Net>(n);
  const Net model{ctnn::he{}, 5};
  const auto x = std::span{std::as_const(d.x)};
  const auto y = std::span{std::as_const(d.y)};
  const auto in_order = [](std::size_t position) { return position; };
  const auto build = std::make_unique<ctnn::detail::lane_block<Net>>();
  const auto avx2 = std::make_unique<ctnn::detail::lane_block<Net>>();
  typename Net::gradients g_build{}, g_avx2{};
  const std::size_t end_build =
      ctnn::detail::train_blocks<ctnn::detail::vector_bytes>(model, *build, x, y, in_order, 0, n, L{}, g_build);
  const std::size_t end_avx2 = ctnn::detail::train_blocks_avx2(model, *avx2, x, y, in_order, 0, n, L{}, g_avx2);
  REQUIRE(end_build == end_avx2);
  CHECK(std::memcmp(build->cost.data(), avx2->cost.data(), sizeof(build->cost)) == 0);
  CHECK(build->correct == avx2->correct);
  const auto cost_build = ctnn::detail::collect_lanes(*build, g_build);
  const auto cost_avx2 = ctnn::detail::collect_lanes(*avx2, g_avx2);
  CHECK(std::memcmp(&cost_build, &cost_avx2, sizeof cost_build) == 0);
  std::size_t compared = 0;
  ctnn::for_each_array(
      [&](const auto& got, const auto& want) {
        INFO("array starting at gradient " << compared);
        CHECK(std::memcmp(got.data(), want.data(), sizeof(got)) == 0);
        compared += got.size();
      },
      g_avx2, g_build);
  CHECK(compared == Net::parameter_count);
}
}  // namespace

TEST_CASE("lanes: AVX2 code in a build without AVX trains the same bits", "[train][lanes]") {
  if (!ctnn::detail::runs_avx2()) {
    WARN("this core has no AVX2: train runs the build's own code only, nothing to compare");
    return;
  }
  check_avx2_blocks_match<small_double, ctnn::binary_cross_entropy>(67);
  check_avx2_blocks_match<small_float, ctnn::binary_cross_entropy>(67);
  check_avx2_blocks_match<small_double, ctnn::mean_squared_error>(64);
  check_avx2_blocks_match<wide_softmax, ctnn::categorical_cross_entropy>(67);
  check_avx2_blocks_match<wide_input, ctnn::binary_cross_entropy>(67);
  check_avx2_blocks_match<float_tanh_softmax, ctnn::categorical_cross_entropy>(67);
}
#endif
