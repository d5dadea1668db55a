// bench/measure.hpp - one core's peak FP32 FLOP/s, passes over memory at the cache's bandwidth, and
// the counters every benchmark reports.
#pragma once

#include <immintrin.h>

#include <time.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <benchmark/benchmark.h>

namespace bench {

namespace detail {

// The kernels are compiled for the widest FMA the CPU has, whatever the build flags,
// so an -O2 build without -march is still measured against the machine's real peak.
// Each runs 16 independent accumulator chains: enough to cover FMA latency (4 cycles)
// times FMA ports (2) on current x86 cores, so the loop is bound by throughput alone.

/** Runs `rounds` × 16 AVX-512 FMAs (16 lanes each) and returns a value that depends on all of them. */
__attribute__((target("avx512f"))) inline float fma_rounds_avx512(std::int64_t rounds) {
  const __m512 scale = _mm512_set1_ps(0.999999f);
  const __m512 shift = _mm512_set1_ps(1e-7f);
  __m512 acc[16];
#pragma GCC unroll 16
  for (int k = 0; k < 16; ++k) acc[k] = _mm512_set1_ps(static_cast<float>(k));
  for (std::int64_t r = 0; r < rounds; ++r) {
#pragma GCC unroll 16
    for (int k = 0; k < 16; ++k) acc[k] = _mm512_fmadd_ps(acc[k], scale, shift);
  }
  __m512 sum = acc[0];
#pragma GCC unroll 15
  for (int k = 1; k < 16; ++k) sum = _mm512_add_ps(sum, acc[k]);
  return _mm512_reduce_add_ps(sum);
}

/** Runs `rounds` × 16 AVX2 FMAs (8 lanes each) and returns a value that depends on all of them. */
__attribute__((target("avx2,fma"))) inline float fma_rounds_avx2(std::int64_t rounds) {
  const __m256 scale = _mm256_set1_ps(0.999999f);
  const __m256 shift = _mm256_set1_ps(1e-7f);
  __m256 acc[16];
#pragma GCC unroll 16
  for (int k = 0; k < 16; ++k) acc[k] = _mm256_set1_ps(static_cast<float>(k));
  for (std::int64_t r = 0; r < rounds; ++r) {
#pragma GCC unroll 16
    for (int k = 0; k < 16; ++k) acc[k] = _mm256_fmadd_ps(acc[k], scale, shift);
  }
  __m256 sum = acc[0];
#pragma GCC unroll 15
  for (int k = 1; k < 16; ++k) sum = _mm256_add_ps(sum, acc[k]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, sum);
  float total = 0;
  for (float lane : lanes) total += lane;
  return total;
}

}  // namespace detail

/** Describes the FMA loop picked for this CPU. */
struct fma_kernel {
  float (*run)(std::int64_t rounds);
  double flops_per_round;  // 16 chains × lanes × 2 FLOP
  const char* name;
};

/** Returns the widest FMA loop this CPU runs; nullptr `run` if it has no FMA at all. */
inline fma_kernel widest_fma_kernel() {
  if (__builtin_cpu_supports("avx512f")) return {detail::fma_rounds_avx512, 16.0 * 16 * 2, "avx512 fma"};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return {detail::fma_rounds_avx2, 16.0 * 8 * 2, "avx2 fma"};
  return {nullptr, 0, "none"};
}

namespace detail {

template <std::size_t Lanes>
struct floats_of {
  typedef float type __attribute__((vector_size(Lanes * sizeof(float))));  // an alias would drop the attribute
};

/** Reads data[0, n) once in vectors of Lanes floats (the rest one by one) into eight running sums,
    so the adds never make the loads wait (two loads a cycle, an add's latency of 3 or 4 cycles);
    the sums go to DoNotOptimize, not through a serial reduction that would dwarf a small buffer's
    pass. Inlined into the wrappers below, which compile it for the CPU's widest vectors
    whatever the build flags. */
template <std::size_t Lanes>
[[gnu::always_inline]] inline void read_pass(const float* data, std::size_t n) {
  using vec = typename floats_of<Lanes>::type;
  vec sums[8] = {};
  std::size_t k = 0;
  for (; k + 8 * Lanes <= n; k += 8 * Lanes) {
#pragma GCC unroll 8
    for (std::size_t j = 0; j < 8; ++j) {
      vec v;
      std::memcpy(&v, data + k + j * Lanes, sizeof v);
      sums[j] += v;
    }
  }
  for (; k + Lanes <= n; k += Lanes) {
    vec v;
    std::memcpy(&v, data + k, sizeof v);
    sums[0] += v;
  }
  float rest = 0;
  for (; k < n; ++k) rest += data[k];
  vec total = sums[0];
#pragma GCC unroll 8
  for (std::size_t j = 1; j < 8; ++j) total += sums[j];
  benchmark::DoNotOptimize(total);  // not sums[0]: its address taken, g++ stored the sums every step
  benchmark::DoNotOptimize(rest);
}

/** Rewrites each of data[0, n) as 0.5·w + 0.5, reading and writing it once in vectors of Lanes
    floats (the rest one by one): the memory traffic of a descent step. The values
    converge to 1, so passes without end never reach subnormals. */
template <std::size_t Lanes>
[[gnu::always_inline]] inline void update_pass(float* data, std::size_t n) {
  using vec = typename floats_of<Lanes>::type;
  std::size_t k = 0;
  for (; k + Lanes <= n; k += Lanes) {
    vec v;
    std::memcpy(&v, data + k, sizeof v);
    v = v * 0.5f + 0.5f;
    std::memcpy(data + k, &v, sizeof v);
  }
  for (; k < n; ++k) data[k] = data[k] * 0.5f + 0.5f;
}

__attribute__((target("avx512f"))) inline void read_pass_avx512(const float* data, std::size_t n) {
  read_pass<16>(data, n);
}
__attribute__((target("avx512f"))) inline void update_pass_avx512(float* data, std::size_t n) {
  update_pass<16>(data, n);
}
__attribute__((target("avx2"))) inline void read_pass_avx2(const float* data, std::size_t n) { read_pass<8>(data, n); }
__attribute__((target("avx2"))) inline void update_pass_avx2(float* data, std::size_t n) { update_pass<8>(data, n); }
inline void read_pass_sse2(const float* data, std::size_t n) { read_pass<4>(data, n); }
inline void update_pass_sse2(float* data, std::size_t n) { update_pass<4>(data, n); }

}  // namespace detail

/** The passes over memory for this CPU's widest vectors (SSE2 at least: every x86-64 has it). */
struct memory_passes {
  void (*read)(const float* data, std::size_t n);
  void (*update)(float* data, std::size_t n);
  const char* name;
};

inline memory_passes widest_memory_passes() {
  if (__builtin_cpu_supports("avx512f")) return {detail::read_pass_avx512, detail::update_pass_avx512, "avx512"};
  if (__builtin_cpu_supports("avx2")) return {detail::read_pass_avx2, detail::update_pass_avx2, "avx2"};
  return {detail::read_pass_sse2, detail::update_pass_sse2, "sse2"};
}

namespace detail {
inline double measured_peak = 0;  // FLOP/s; the best figure seen in this process
}

/** Returns the CPU time this thread has used, in seconds: unlike a wall clock, it does not
    count the time another process holds the core, which Google Benchmark's rates also exclude. */
inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

/** Times the FMA loop for about `seconds` of CPU time and returns FLOP/s, the best of ten tries
    (the first ones also bring the core up to its full clock). */
inline double time_fma_peak(double seconds = 0.1) {
  const fma_kernel kernel = widest_fma_kernel();
  if (kernel.run == nullptr) return 0;
  constexpr std::int64_t rounds = 1 << 14;
  double best = 0;
  for (int attempt = 0; attempt < 10; ++attempt) {
    std::int64_t calls = 0;
    const double start = thread_cpu_seconds();
    double elapsed = 0;
    do {
      benchmark::DoNotOptimize(kernel.run(rounds));
      ++calls;
      elapsed = thread_cpu_seconds() - start;
    } while (elapsed < seconds / 10);
    best = std::max(best, static_cast<double>(calls * rounds) * kernel.flops_per_round / elapsed);
  }
  return best;
}

/** Records a peak measurement; peak_flops() keeps the best one. */
inline void record_peak(double flops_per_second) {
  detail::measured_peak = std::max(detail::measured_peak, flops_per_second);
}

/** Returns one core's peak FP32 FLOP/s as measured in this process, measuring it first if nobody has. */
inline double peak_flops() {
  if (detail::measured_peak == 0) record_peak(time_fma_peak());
  return detail::measured_peak;
}

/** Reports samples/s, GFLOP/s and the fraction of the measured FP32 peak for a benchmark
    that processed `samples_per_iteration` samples per iteration at `flops_per_sample` each. */
inline void report_rates(benchmark::State& state, double samples_per_iteration, double flops_per_sample) {
  const double samples = samples_per_iteration * static_cast<double>(state.iterations());
  const double flops = samples * flops_per_sample;
  state.SetItemsProcessed(static_cast<std::int64_t>(samples));
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsRate);
  const double peak = peak_flops();
  if (peak > 0) state.counters["peak_fraction"] = benchmark::Counter(flops / peak, benchmark::Counter::kIsRate);
}

}  // namespace bench
