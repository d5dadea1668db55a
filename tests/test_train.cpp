// The training loop: convergence, mini-batches, the callback, and every status.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "ctnn/ctnn.hpp"

namespace {
using xor_net = ctnn::network<double, ctnn::dense<2, 4, ctnn::tanh>, ctnn::dense<4, 1, ctnn::sigmoid>>;
constexpr std::array<xor_net::input, 4> xor_inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
constexpr std::array<xor_net::output, 4> xor_targets{{{0}, {1}, {1}, {0}}};

using blobs_net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::relu>,
                                ctnn::dense<3, 1, ctnn::sigmoid>>;
}  // namespace

TEST_CASE("XOR 2-4-1 converges with a fixed seed", "[train]") {
  xor_net m{ctnn::xavier{}, 3};
  std::vector<ctnn::epoch_stats> history;
  const auto report =
      ctnn::train(m, xor_inputs, xor_targets, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 1.0},
                  {.epochs = 2000}, [&](const ctnn::epoch_stats& s) { history.push_back(s); });
  REQUIRE(report.status == ctnn::train_status::completed);
  REQUIRE(history.size() == 2000);
  CHECK(history.front().epoch == 1);
  CHECK(history.back().cost < 0.01);
  CHECK(history.back().cost < history.front().cost);
  for (std::size_t k = 0; k < 4; ++k) {
    INFO("sample " << k);
    CHECK(ctnn::classify(m.predict(xor_inputs[k])) == ctnn::classify(xor_targets[k]));
  }
  CHECK(ctnn::accuracy(m, xor_inputs, xor_targets) == 1.0);
}

TEST_CASE("the blobs demo's settings converge for several data seeds, full batch and mini-batch", "[train]") {
  // examples/blobs at a tenth of its size: centres ±4, standardised inputs, He weights from seed 1
  // (a few weight seeds in a hundred leave this small relu network dead: see README), 50 epochs.
  std::vector<blobs_net::input> xs(1000), held_xs(200);
  std::vector<blobs_net::output> ys(1000), held_ys(200);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    ctnn::make_two_blobs<float, 3>(xs, ys, 4.0, seed);
    ctnn::make_two_blobs<float, 3>(held_xs, held_ys, 4.0, seed + 1000);
    const auto standardize = ctnn::standardizer<float, 3>::fit(xs);
    standardize.apply(xs);
    standardize.apply(held_xs);
    for (const std::size_t batch : {ctnn::full_batch, std::size_t{32}}) {
      blobs_net m{ctnn::he{}, 1};
      const auto report = ctnn::train(m, std::span{std::as_const(xs)}, std::span{std::as_const(ys)},
                                      ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 1.0},
                                      {.epochs = 50, .batch_size = batch});
      INFO("seed " << seed << ", batch size " << batch);
      REQUIRE(report.status == ctnn::train_status::completed);
      CHECK(ctnn::accuracy(m, std::span{std::as_const(xs)}, std::span{std::as_const(ys)}) == 1.0);
      CHECK(ctnn::accuracy(m, std::span{std::as_const(held_xs)}, std::span{std::as_const(held_ys)}) >= 0.99);
    }
  }
}

TEST_CASE("the callback can stop training", "[train]") {
  xor_net m{ctnn::xavier{}, 3};
  int calls = 0;
  const auto report = ctnn::train(m, xor_inputs, xor_targets, ctnn::binary_cross_entropy{}, ctnn::sgd{},
                                  {.epochs = 100}, [&](const ctnn::epoch_stats& s) {
                                    ++calls;
                                    return s.epoch == 7 ? ctnn::epoch_action::stop : ctnn::epoch_action::proceed;
                                  });
  CHECK(report.status == ctnn::train_status::stopped);
  CHECK(report.ok());
  CHECK(report.epochs_completed == 7);
  CHECK(calls == 7);
}

TEST_CASE("mini-batches: one step per batch, the last batch may be short", "[train]") {
  // With batch size 3 on 4 samples an epoch takes two steps; an identical hand-run
  // of two train calls on the two batches must give the same parameters.
  xor_net by_train{ctnn::xavier{}, 9};
  xor_net by_hand = by_train;
  REQUIRE(ctnn::train(by_train, xor_inputs, xor_targets, ctnn::mean_squared_error{}, ctnn::sgd{.learning_rate = 0.3},
                      {.epochs = 1, .batch_size = 3})
              .ok());
  const std::span all_x{xor_inputs};
  const std::span all_y{xor_targets};
  REQUIRE(ctnn::train(by_hand, all_x.first(3), all_y.first(3), ctnn::mean_squared_error{},
                      ctnn::sgd{.learning_rate = 0.3}, {.epochs = 1})
              .ok());
  REQUIRE(ctnn::train(by_hand, all_x.last(1), all_y.last(1), ctnn::mean_squared_error{},
                      ctnn::sgd{.learning_rate = 0.3}, {.epochs = 1})
              .ok());
  CHECK(by_train == by_hand);
}

TEST_CASE("bad data is reported and trains nothing", "[train]") {
  xor_net m{ctnn::xavier{}, 3};
  const xor_net before = m;
  const ctnn::sgd sgd{};
  const ctnn::binary_cross_entropy bce{};

  CHECK(ctnn::train(m, std::span(xor_inputs).first(3), xor_targets, bce, sgd, {}).status ==
        ctnn::train_status::size_mismatch);
  CHECK(ctnn::train(m, std::span<const xor_net::input>{}, std::span<const xor_net::output>{}, bce, sgd, {}).status ==
        ctnn::train_status::empty_data);

  auto xs = xor_inputs;
  xs[2][1] = std::numeric_limits<double>::quiet_NaN();
  auto report = ctnn::train(m, xs, xor_targets, bce, sgd, {.epochs = 3});
  CHECK(report.status == ctnn::train_status::non_finite_data);
  CHECK(report.bad_sample == 2);
  CHECK_FALSE(report.ok());

  auto ys = xor_targets;
  ys[3][0] = std::numeric_limits<double>::infinity();
  report = ctnn::train(m, xor_inputs, ys, bce, sgd, {.epochs = 3});
  CHECK(report.status == ctnn::train_status::non_finite_data);
  CHECK(report.bad_sample == 3);
  CHECK(m == before);
}

TEST_CASE("a diverging run stops with the last finite parameters", "[train]") {
  // MSE with an identity output and a huge learning rate overflows in a few steps.
  using net = ctnn::network<double, ctnn::dense<2, 4, ctnn::identity>, ctnn::dense<4, 1, ctnn::identity>>;
  net m{ctnn::xavier{}, 1};
  std::vector<ctnn::epoch_stats> seen;
  const auto report = ctnn::train(m, std::span<const net::input>{xor_inputs}, xor_targets, ctnn::mean_squared_error{},
                                  ctnn::sgd{.learning_rate = 1e6}, {.epochs = 1000, .batch_size = 1},
                                  [&](const ctnn::epoch_stats& s) { seen.push_back(s); });
  CHECK(report.status == ctnn::train_status::diverged);
  CHECK(report.epochs_completed < 1000);
  bool finite = true;
  ctnn::for_each_array(
      [&](const auto& values) {
        for (double v : values) finite = finite && std::isfinite(v);
      },
      m.parameters());
  CHECK(finite);
  CHECK(std::string(ctnn::to_string(report.status)).find("diverged") == 0);
}

TEST_CASE("a long double network trains, and its bad data and divergence are reported", "[train]") {
  // x86's long double (80 bits, padded to 16 bytes) takes the paths for types other than 4 and 8
  // bytes: the finiteness checks and |x| by comparison.
  using net = ctnn::network<long double, ctnn::dense<2, 4, ctnn::tanh>, ctnn::dense<4, 1, ctnn::sigmoid>>;
  constexpr std::array<net::input, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
  constexpr std::array<net::output, 4> targets{{{0}, {1}, {1}, {0}}};
  net m{ctnn::xavier{}, 3};
  const auto report = ctnn::train(m, inputs, targets, ctnn::binary_cross_entropy{},
                                  ctnn::sgd{.learning_rate = 1.0L}, {.epochs = 2000});
  REQUIRE(report.status == ctnn::train_status::completed);
  CHECK(ctnn::accuracy(m, inputs, targets) == 1.0);

  const net before = m;
  auto xs = inputs;
  xs[1][0] = std::numeric_limits<long double>::quiet_NaN();
  const auto bad = ctnn::train(m, xs, targets, ctnn::binary_cross_entropy{}, ctnn::sgd{}, {.epochs = 3});
  CHECK(bad.status == ctnn::train_status::non_finite_data);
  CHECK(bad.bad_sample == 1);
  CHECK(m == before);

  using linear = ctnn::network<long double, ctnn::dense<2, 4, ctnn::identity>, ctnn::dense<4, 1, ctnn::identity>>;
  linear l{ctnn::xavier{}, 1};
  const auto diverging = ctnn::train(l, std::span<const linear::input>{inputs}, targets, ctnn::mean_squared_error{},
                                     ctnn::sgd{.learning_rate = 1e6L}, {.epochs = 1000, .batch_size = 1});
  CHECK(diverging.status == ctnn::train_status::diverged);
}

TEST_CASE("the shuffled order is a permutation, new every epoch", "[train]") {
  ctnn::random_engine rng{5};
  for (const std::uint64_t n : {1u, 2u, 7u, 12u, 1000u}) {
    const ctnn::detail::affine_order first{n, rng};
    const ctnn::detail::affine_order second{n, rng};
    std::vector<int> seen(n, 0);
    bool differs = false;
    for (std::size_t k = 0; k < n; ++k) {
      ++seen[first[k]];
      differs = differs || first[k] != second[k];
    }
    for (int count : seen) CHECK(count == 1);
    if (n > 2) CHECK(differs);
  }
}

TEST_CASE("shuffling changes the visiting order of mini-batch training, reproducibly", "[train]") {
  const auto run = [](bool shuffle, std::uint64_t seed) {
    xor_net m{ctnn::xavier{}, 3};
    REQUIRE(ctnn::train(m, xor_inputs, xor_targets, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.5},
                        {.epochs = 3, .batch_size = 1, .shuffle = shuffle, .shuffle_seed = seed})
                .ok());
    return m;
  };
  CHECK_FALSE(run(true, 1) == run(false, 1));
  CHECK(run(true, 1) == run(true, 1));
  CHECK_FALSE(run(true, 1) == run(true, 2));
}

TEST_CASE("validation figures are reported after each epoch", "[train]") {
  xor_net m{ctnn::xavier{}, 3};
  std::vector<ctnn::epoch_stats> history;
  std::vector<double> accuracy_after_epoch;
  const ctnn::validation<xor_net> held_out{xor_inputs, xor_targets};
  const auto report = ctnn::train(m, xor_inputs, xor_targets, held_out, ctnn::binary_cross_entropy{},
                                  ctnn::sgd{.learning_rate = 1.0}, {.epochs = 20}, [&](const ctnn::epoch_stats& s) {
                                    history.push_back(s);
                                    accuracy_after_epoch.push_back(ctnn::accuracy(m, xor_inputs, xor_targets));
                                  });
  REQUIRE(report.status == ctnn::train_status::completed);
  REQUIRE(history.size() == 20);
  for (std::size_t e = 0; e < history.size(); ++e) {
    CHECK(history[e].validated);
    CHECK(history[e].validation_accuracy == accuracy_after_epoch[e]);  // measured after the epoch's update
  }
  CHECK(history.back().validation_cost < history.front().validation_cost);
}

TEST_CASE("early stopping stops when the validation cost rises and restores the best weights", "[train]") {
  // Validation targets are XOR's negation: the better the network learns XOR, the worse it does
  // there, so the validation cost is best near the start and then rises.
  constexpr std::array<xor_net::output, 4> opposite{{{1}, {0}, {0}, {1}}};
  xor_net m{ctnn::xavier{}, 3};
  std::vector<xor_net::params> after_epoch;
  const ctnn::validation<xor_net> held_out{xor_inputs, opposite, /*patience=*/5};
  const auto report = ctnn::train(m, xor_inputs, xor_targets, held_out, ctnn::binary_cross_entropy{},
                                  ctnn::sgd{.learning_rate = 1.0}, {.epochs = 500},
                                  [&](const ctnn::epoch_stats&) { after_epoch.push_back(m.parameters()); });
  REQUIRE(report.status == ctnn::train_status::early_stopped);
  CHECK(report.ok());
  CHECK(report.bad_sample_set == ctnn::data_set::training);  // says nothing about a validation set that was fine
  CHECK(report.epochs_completed == report.best_epoch + 5);
  CHECK(report.epochs_completed < 500);
  REQUIRE(report.best_epoch >= 1);
  CHECK(m.parameters() == after_epoch[report.best_epoch - 1]);  // bit for bit: a copy, not a recomputation
  CHECK_FALSE(m.parameters() == after_epoch.back());
}

TEST_CASE("validation with the workspace and the best parameters' copy passed in, for static storage", "[train]") {
  // The early-stopping run above, once with both on the stack and once in static storage: the
  // same run, bit for bit, and the copy passed in holds the best epoch's parameters.
  constexpr std::array<xor_net::output, 4> opposite{{{1}, {0}, {0}, {1}}};
  const ctnn::validation<xor_net> held_out{xor_inputs, opposite, /*patience=*/5};
  const auto none = [](const ctnn::epoch_stats&) {};
  xor_net on_stack{ctnn::xavier{}, 3};
  xor_net passed_in = on_stack;
  const auto a = ctnn::train(on_stack, xor_inputs, xor_targets, held_out, ctnn::binary_cross_entropy{},
                             ctnn::sgd{.learning_rate = 1.0}, {.epochs = 500}, none);
  static ctnn::training_workspace<xor_net, ctnn::sgd> work{};
  static xor_net::params best{};
  const auto b = ctnn::train(passed_in, xor_inputs, xor_targets, held_out, ctnn::binary_cross_entropy{},
                             ctnn::sgd{.learning_rate = 1.0}, {.epochs = 500}, none, work, best);
  REQUIRE(a.status == ctnn::train_status::early_stopped);
  CHECK(b.status == a.status);
  CHECK(b.best_epoch == a.best_epoch);
  CHECK(b.epochs_completed == a.epochs_completed);
  CHECK(passed_in == on_stack);
  CHECK(best == passed_in.parameters());
}

TEST_CASE("zero epochs with early stopping leave the model as it was", "[train]") {
  // No epoch ran, so there is no best epoch to restore (the model was once set to zeros here).
  xor_net m{ctnn::xavier{}, 3};
  const xor_net::params before = m.parameters();
  const ctnn::validation<xor_net> held_out{xor_inputs, xor_targets, /*patience=*/5};
  const auto report = ctnn::train(m, xor_inputs, xor_targets, held_out, ctnn::binary_cross_entropy{},
                                  ctnn::sgd{.learning_rate = 1.0}, {.epochs = 0}, [](const ctnn::epoch_stats&) {});
  CHECK(report.status == ctnn::train_status::completed);
  CHECK(report.epochs_completed == 0);
  CHECK(report.best_epoch == 0);
  CHECK(m.parameters() == before);
}

TEST_CASE("bad validation data is reported like bad training data", "[train]") {
  xor_net m{ctnn::xavier{}, 3};
  auto bad = xor_inputs;
  bad[1][0] = std::numeric_limits<double>::quiet_NaN();
  const ctnn::validation<xor_net> held_out{bad, xor_targets, 3};
  const auto report = ctnn::train(m, xor_inputs, xor_targets, held_out, ctnn::binary_cross_entropy{}, ctnn::sgd{},
                                  {.epochs = 5}, [](const ctnn::epoch_stats&) {});
  CHECK(report.status == ctnn::train_status::non_finite_data);
  CHECK(report.bad_sample == 1);
  CHECK(report.bad_sample_set == ctnn::data_set::validation);
  CHECK(m == xor_net{ctnn::xavier{}, 3});

  // Bad samples in both sets: the training set's is reported, and says so.
  auto bad_training = xor_inputs;
  bad_training[2][1] = std::numeric_limits<double>::infinity();
  const auto both = ctnn::train(m, bad_training, xor_targets, held_out, ctnn::binary_cross_entropy{}, ctnn::sgd{},
                                {.epochs = 5}, [](const ctnn::epoch_stats&) {});
  CHECK(both.status == ctnn::train_status::non_finite_data);
  CHECK(both.bad_sample == 2);
  CHECK(both.bad_sample_set == ctnn::data_set::training);
}
