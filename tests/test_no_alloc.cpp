// The core allocates nothing: predict and a whole train call run with a counting operator new.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "counting_new.hpp"
#include "ctnn/ctnn.hpp"

namespace {
using net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::relu>,
                          ctnn::dense<3, 1, ctnn::sigmoid>>;
}

TEST_CASE("the counter sees an allocation (the test can fail)", "[alloc]") {
  const std::size_t before = allocation_count();
  auto p = std::make_unique<std::vector<int>>(100);
  asm volatile("" : : "r"(p.get()) : "memory");  // keep the allocation observable
  CHECK(allocation_count() >= before + 2);
  struct alignas(64) cache_line {  // as a network whose rows are aligned to 64 bytes: aligned new
    char bytes[64];
  };
  auto q = std::make_unique<cache_line>();
  asm volatile("" : : "r"(q.get()) : "memory");
  CHECK(allocation_count() >= before + 3);
}

TEST_CASE("predict and train allocate nothing", "[alloc]") {
  std::vector<net::input> xs(256);  // the data: allocated before counting starts
  std::vector<net::output> ys(256);
  ctnn::make_two_blobs<float, 3>(xs, ys, 2.0, 1);
  double sink = 0;

  const std::size_t before = allocation_count();
  net m{ctnn::he{}, 1};
  for (const auto& x : xs) sink += m.predict(x)[0];
  const auto report = ctnn::train(m, std::span{std::as_const(xs)}, std::span{std::as_const(ys)},
                                  ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.5},
                                  {.epochs = 5, .batch_size = 16}, [&](const ctnn::epoch_stats& s) { sink += s.cost; });
  sink += ctnn::accuracy(m, std::span{std::as_const(xs)}, std::span{std::as_const(ys)});
  const std::size_t allocations = allocation_count() - before;

  asm volatile("" : : "r"(&sink) : "memory");
  REQUIRE(report.status == ctnn::train_status::completed);
  CHECK(allocations == 0);
}
