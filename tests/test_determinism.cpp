// Determinism (issue 6): the same seed gives bit-identical parameters after training, run after run.
// (Across -O0 and -O2 is checked by determinism_program.cpp and determinism_compare.cmake.)
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstring>
#include <span>
#include <vector>

#include "ctnn/ctnn.hpp"

namespace {

template <class T>
using blobs_net = ctnn::network<T, ctnn::dense<3, 8, ctnn::relu>, ctnn::dense<8, 4, ctnn::tanh>,
                                ctnn::dense<4, 1, ctnn::sigmoid>>;

/** Trains a fresh network from `seed` and returns its parameters as an io blob. */
template <class T, class Optimizer>
std::array<std::byte, ctnn::io::serialized_size<blobs_net<T>>> train_and_save(std::uint64_t seed,
                                                                             const Optimizer& optimizer,
                                                                             ctnn::train_options options) {
  using net = blobs_net<T>;
  std::vector<typename net::input> xs(300);
  std::vector<typename net::output> ys(300);
  ctnn::make_two_blobs<T, 3>(xs, ys, 1.0, seed);  // overlapping blobs: training never settles
  net m{ctnn::he{}, seed};
  const auto report = ctnn::train(m, std::span{std::as_const(xs)}, std::span{std::as_const(ys)},
                                  ctnn::binary_cross_entropy{}, optimizer, options);
  REQUIRE(report.status == ctnn::train_status::completed);
  std::array<std::byte, ctnn::io::serialized_size<net>> blob{};
  REQUIRE(ctnn::io::write(m, blob).ok());
  return blob;
}

template <class T, class Optimizer>
void check_reproducible(const Optimizer& optimizer, ctnn::train_options options) {
  const auto first = train_and_save<T>(7, optimizer, options);
  const auto second = train_and_save<T>(7, optimizer, options);
  CHECK(std::memcmp(first.data(), second.data(), first.size()) == 0);
  const auto other = train_and_save<T>(8, optimizer, options);  // the comparison can fail
  CHECK(std::memcmp(first.data(), other.data(), first.size()) != 0);
}

}  // namespace

TEMPLATE_TEST_CASE("determinism: the same seed trains to bit-identical parameters", "[determinism]", float, double) {
  SECTION("sgd, full batch") { check_reproducible<TestType>(ctnn::sgd{.learning_rate = 0.5}, {.epochs = 30}); }
  SECTION("sgd, mini-batches, shuffled") {
    check_reproducible<TestType>(ctnn::sgd{.learning_rate = 0.2},
                                 {.epochs = 10, .batch_size = 16, .shuffle = true, .shuffle_seed = 3});
  }
  SECTION("momentum with weight decay") {
    check_reproducible<TestType>(ctnn::momentum{.learning_rate = 0.05, .nesterov = true, .weight_decay = 1e-3},
                                 {.epochs = 10, .batch_size = 32});
  }
  SECTION("adam") {
    check_reproducible<TestType>(ctnn::adam{.learning_rate = 0.01}, {.epochs = 10, .batch_size = 20});
  }
}
