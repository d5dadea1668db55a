// Reads 64-128-128-10's 104,512 bytes of parameters from L2 in AVX-512 vectors, as the bench's
// params_pass/read does (eight sums), four ways: plainly, with __builtin_prefetch of the lines
// 8, 16, 32 or 64 vectors ahead, as 2, 4 or 8 interleaved streams of one vector a step, and as
// streams of several vectors a step (a dense layer's rows: 8 vectors for 128 floats): whether
// software can read faster than the hardware prefetcher does, for docs/speed.md. Needs
// libbenchmark-dev and an AVX-512 core:
//   g++ -std=c++20 -O3 -march=native tools/l2_read_probe.cpp -o /tmp/l2_read_probe -lbenchmark -lpthread
//   /tmp/l2_read_probe --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace {
using vec = float __attribute__((vector_size(64)));
constexpr std::size_t bytes = 104512;
constexpr std::size_t floats = bytes / sizeof(float);
constexpr std::size_t lanes = 16;

/** Eight sums over [0, n) in vectors; with Ahead > 0, prefetches the lines Ahead vectors on. */
template <std::size_t Ahead>
[[gnu::noinline]] void read_prefetching(const float* data, std::size_t n) {
  vec sums[8] = {};
  for (std::size_t k = 0; k + 8 * lanes <= n; k += 8 * lanes) {
    if constexpr (Ahead > 0) {
      __builtin_prefetch(data + k + Ahead * lanes, 0, 3);
      __builtin_prefetch(data + k + (Ahead + 4) * lanes, 0, 3);  // the 8 vectors span 8 lines: two hints
    }
#pragma GCC unroll 8
    for (std::size_t j = 0; j < 8; ++j) {
      vec v;
      std::memcpy(&v, data + k + j * lanes, sizeof v);
      sums[j] += v;
    }
  }
  vec total = sums[0];
  for (std::size_t j = 1; j < 8; ++j) total += sums[j];
  benchmark::DoNotOptimize(total);
}

/** Eight sums over [0, n), the buffer cut into Streams parts read side by side. */
template <std::size_t Streams>
[[gnu::noinline]] void read_streams(const float* data, std::size_t n) {
  vec sums[8] = {};
  const std::size_t part = n / Streams;
  for (std::size_t k = 0; k + 8 / Streams * lanes <= part; k += 8 / Streams * lanes) {
#pragma GCC unroll 8
    for (std::size_t j = 0; j < 8; ++j) {
      vec v;
      std::memcpy(&v, data + (j % Streams) * part + k + (j / Streams) * lanes, sizeof v);
      sums[j] += v;
    }
  }
  vec total = sums[0];
  for (std::size_t j = 1; j < 8; ++j) total += sums[j];
  benchmark::DoNotOptimize(total);
}

/** Sums over [0, n), the buffer cut into Streams parts read side by side, Per vectors of each part
    a step, each vector into a sum of its own (as a dense layer's block of Per · 16 outputs keeps
    one per vector). A part's last partial step is left unread: 16 of the 26,128 floats here. */
template <std::size_t Streams, std::size_t Per>
[[gnu::noinline]] void read_row_streams(const float* data, std::size_t n) {
  vec sums[Streams * Per] = {};
  const std::size_t part = n / Streams / (Per * lanes) * (Per * lanes);
  for (std::size_t k = 0; k + Per * lanes <= part; k += Per * lanes) {
#pragma GCC unroll 32
    for (std::size_t j = 0; j < Streams * Per; ++j) {
      vec v;
      std::memcpy(&v, data + (j / Per) * part + k + (j % Per) * lanes, sizeof v);
      sums[j] += v;
    }
  }
  vec total = sums[0];
  for (std::size_t j = 1; j < Streams * Per; ++j) total += sums[j];
  benchmark::DoNotOptimize(total);
}

template <void (*Read)(const float*, std::size_t)>
void run(benchmark::State& state) {
  // 4 KiB more than read: a prefetch ahead of the end stays inside the allocation.
  auto* data = static_cast<float*>(std::aligned_alloc(64, bytes + 4096));
  std::fill_n(data, floats + 1024, 1.0f);
  for (auto _ : state) Read(data, floats);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  std::free(data);
}
}  // namespace

BENCHMARK(run<read_prefetching<0>>)->Name("plain");
BENCHMARK(run<read_prefetching<8>>)->Name("prefetch_8_vectors_ahead");
BENCHMARK(run<read_prefetching<16>>)->Name("prefetch_16_vectors_ahead");
BENCHMARK(run<read_prefetching<32>>)->Name("prefetch_32_vectors_ahead");
BENCHMARK(run<read_prefetching<64>>)->Name("prefetch_64_vectors_ahead");
BENCHMARK(run<read_streams<2>>)->Name("streams_2");
BENCHMARK(run<read_streams<4>>)->Name("streams_4");
BENCHMARK(run<read_streams<8>>)->Name("streams_8");
BENCHMARK(run<read_row_streams<1, 8>>)->Name("row_streams_1x8");
BENCHMARK(run<read_row_streams<2, 8>>)->Name("row_streams_2x8");
BENCHMARK(run<read_row_streams<2, 4>>)->Name("row_streams_2x4");
BENCHMARK(run<read_row_streams<4, 4>>)->Name("row_streams_4x4");
BENCHMARK_MAIN();
