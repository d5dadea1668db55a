// ctnn/target.hpp - what the build's target offers the kernels: its vector registers and the
// blocks of sums and samples sized to them, and short loops written out where that pays.
#pragma once

#include <cstddef>
#include <utility>

namespace ctnn::detail {

// vector_bytes: one vector register of the target (16 where there is none: a nominal width).
// register_block_bytes: partial sums a one-sample kernel keeps in registers, 8 vector registers
// (AVX-512 and AVX; with SSE, 16 of its 16 registers: what was measured before SSE was tuned).
// wide_block_bytes: where a layer's outputs fill several such blocks (each sums its inputs in one
// chain), the one-sample kernel computes this many bytes of them in one pass, reading the rows of
// weights in fewer, longer pieces. With AVX two blocks: measured with AVX2, the 64-128-128-10
// forward pass took 1,240 ns in two passes of its 128-output layers, 1,073 in one (-O3
// -march=x86-64-v3; docs/speed.md). With SSE two blocks' 32 registers of sums spilled, and it was
// slower (at -O2), so one block.
// sample_block: samples a batched kernel computes at once, each with batch_block_bytes of
// outputs in registers (AVX-512: 6 samples x 4 registers, 24 of its 32; AVX and SSE: 4 x 2, 8 of
// 16); measured best of 4, 6 and 8 samples on the T3 bench. 1 where there are no vector
// registers to fill, so that a batch costs a microcontroller no more stack than one sample
// (and there one-sample kernels sum each output in one chain: see dense::chains_for).
// training_block_bytes: each value of the block of samples train moves through the network at
// once (lanes.hpp): two SSE or AVX registers, since with one each step of the block is a single
// chain of dependent adds and the core waits on its latency (docs/speed.md); one AVX-512
// register: two train the reference workload faster, but would leave every batch of fewer than 32
// samples to the per-sample loop (docs/speed.md). 16 where there are no vector registers: nominal.
// CTNN_PLAIN_KERNELS takes the values for no vector registers on any target: a microcontroller's
// plain loops, which compile in less time and run slower (README, Training at compile time). It
// changes layouts (parameter alignment, the training workspace), so a program defines it for every
// translation unit or for none (-D, or target_compile_definitions).
#if !defined(CTNN_PLAIN_KERNELS) && defined(__AVX512F__)
inline constexpr std::size_t vector_bytes = 64;
inline constexpr std::size_t register_block_bytes = 512;
inline constexpr std::size_t wide_block_bytes = 512;
inline constexpr std::size_t sample_block = 6;
inline constexpr std::size_t batch_block_bytes = 256;
inline constexpr std::size_t training_block_bytes = 64;
#elif !defined(CTNN_PLAIN_KERNELS) && defined(__AVX__)
inline constexpr std::size_t vector_bytes = 32;
inline constexpr std::size_t register_block_bytes = 256;
inline constexpr std::size_t wide_block_bytes = 512;
inline constexpr std::size_t sample_block = 4;
inline constexpr std::size_t batch_block_bytes = 64;
inline constexpr std::size_t training_block_bytes = 64;
#elif !defined(CTNN_PLAIN_KERNELS) && (defined(__x86_64__) || defined(__SSE2__))
inline constexpr std::size_t vector_bytes = 16;
inline constexpr std::size_t register_block_bytes = 256;
inline constexpr std::size_t wide_block_bytes = 256;
inline constexpr std::size_t sample_block = 4;
inline constexpr std::size_t batch_block_bytes = 32;
inline constexpr std::size_t training_block_bytes = 32;
#else
inline constexpr std::size_t vector_bytes = 16;
inline constexpr std::size_t register_block_bytes = 256;
inline constexpr std::size_t wide_block_bytes = 256;
inline constexpr std::size_t sample_block = 1;
inline constexpr std::size_t batch_block_bytes = 32;
inline constexpr std::size_t training_block_bytes = 16;
#endif
static_assert(sample_block == 1 || training_block_bytes % vector_bytes == 0,
              "a block of training samples is whole vector registers");
/** The target's vector registers (x86-64: 32 with AVX-512, else 16; 32-bit x86: 8), for the vector
    kernels only (none with sample_block 1, as with CTNN_PLAIN_KERNELS). */
#if defined(__x86_64__)
inline constexpr std::size_t vector_registers = vector_bytes == 64 ? 32 : 16;
#else
inline constexpr std::size_t vector_registers = 8;
#endif

/** The longest loop short_loop writes out. */
inline constexpr std::size_t short_loop_limit = 8;

/** Calls body(k) for k = 0, 1, ..., N - 1, written out one call after another where the target
    has vector registers and N is at most short_loop_limit. g++ -O2 keeps such a short loop
    rolled: a counter and a branch per value, and the values through memory (3-5-3-1's loops of
    1, 3 and 5 values in its `descend` step: docs/speed.md). A longer loop stays a loop, which g++
    vectorises (written out first, it would be scalars). Code shared with a microcontroller keeps
    its plain loop there rather than call this: through the lambda, g++ -Os laid out 3-5-3-1's
    training code and stack differently (12 bytes more stack; firmware/figures.sh). */
template <std::size_t N, class Body>
constexpr void short_loop(Body&& body) {
  if constexpr (sample_block > 1 && N <= short_loop_limit) {
    [&]<std::size_t... k>(std::index_sequence<k...>) { (body(k), ...); }(std::make_index_sequence<N>{});
  } else {
    for (std::size_t k = 0; k < N; ++k) body(k);
  }
}

}  // namespace ctnn::detail
