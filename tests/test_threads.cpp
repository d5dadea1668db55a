// Concurrency (issue 6): predict, forward into a caller's trace, accuracy and io::write on one const
// network from several threads at once give the single-threaded results, bit for bit. The core has
// no mutable state besides what the caller passes in, so this holds by construction; built with
// -fsanitize=thread (CTNN_TSAN) it is also checked for data races.
//
// Training is not safe to share: train writes the model's parameters. Built with
// CTNN_EXPECT_RACE, this program trains in one thread while the others predict, and ThreadSanitizer
// must report the race (ctest's threads.tsan_sees_a_race): proof that the sanitizer is on.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <latch>
#include <span>
#include <thread>
#include <vector>

#include "ctnn/ctnn.hpp"

namespace {

using net = ctnn::network<float, ctnn::dense<16, 32, ctnn::relu>, ctnn::dense<32, 32, ctnn::tanh>,
                          ctnn::dense<32, 3, ctnn::softmax>>;
constexpr int thread_count = 4;
constexpr std::size_t samples = 2000;

struct results {
  std::vector<net::output> outputs;
  std::vector<net::output> batch_outputs;
  double accuracy = 0;
  std::array<std::byte, ctnn::io::serialized_size<net>> blob{};
};

results compute(const net& model, std::span<const net::input> xs, std::span<const net::output> ys) {
  results r;
  r.outputs.reserve(xs.size());
  net::trace t{};
  for (std::size_t k = 0; k < xs.size(); ++k)
    r.outputs.push_back(k % 2 == 0 ? model.predict(xs[k]) : model.forward(xs[k], t));
  r.batch_outputs.resize(xs.size());
  model.predict(xs, r.batch_outputs);
  r.accuracy = ctnn::accuracy(model, xs, ys);
  if (!ctnn::io::write(model, r.blob).ok()) r.accuracy = -1;
  return r;
}

[[maybe_unused]] bool same(const results& a, const results& b) {
  return a.outputs.size() == b.outputs.size() &&
         std::memcmp(a.outputs.data(), b.outputs.data(), a.outputs.size() * sizeof(net::output)) == 0 &&
         std::memcmp(a.batch_outputs.data(), b.batch_outputs.data(), a.batch_outputs.size() * sizeof(net::output)) ==
             0 &&
         std::bit_cast<std::uint64_t>(a.accuracy) == std::bit_cast<std::uint64_t>(b.accuracy) && a.blob == b.blob;
}

}  // namespace

int main() {
  std::vector<net::input> xs(samples);
  std::vector<net::output> ys(samples);
  ctnn::random_engine rng{11};
  for (std::size_t k = 0; k < samples; ++k) {
    for (auto& v : xs[k]) v = static_cast<float>(rng.normal());
    ys[k] = {};
    ys[k][k % 3] = 1;
  }
  static net model{ctnn::he{}, 3};  // static: a network of this size belongs there, not on the stack
  const net& shared = model;
  const results expected = compute(shared, xs, ys);

  std::vector<results> got(thread_count);
  std::latch start{thread_count};
  std::vector<std::thread> threads;
  for (int i = 0; i < thread_count; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();  // all at once, to overlap as much as possible
#if defined(CTNN_EXPECT_RACE)
      if (i == 0) {
        // Here to write the weights the other threads read (the race ThreadSanitizer must report).
        static_cast<void>(ctnn::train(model, std::span{std::as_const(xs)}, std::span{std::as_const(ys)},
                                      ctnn::categorical_cross_entropy{}, ctnn::sgd{.learning_rate = 0.01},
                                      {.epochs = 1, .batch_size = 8}));
        return;
      }
#endif
      for (int round = 0; round < 3; ++round) got[static_cast<std::size_t>(i)] = compute(shared, xs, ys);
    });
  }
  for (auto& t : threads) t.join();

  int failures = 0;
#if !defined(CTNN_EXPECT_RACE)
  for (int i = 0; i < thread_count; ++i) {
    if (!same(got[static_cast<std::size_t>(i)], expected)) {
      std::printf("thread %d: results differ from the single-threaded ones\n", i);
      ++failures;
    }
  }
#endif
  std::printf("%d threads x 3 rounds x %zu samples: predict, forward, predict(span), accuracy, io::write: %s\n",
              thread_count, samples, failures == 0 ? "identical to one thread" : "DIFFERENT");
  return failures == 0 ? 0 : 1;
}
