// ctnn/dense.hpp - a fully connected layer: Z = W·A_prev + b, A = activation(Z).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "ctnn/activation.hpp"
#include "ctnn/random.hpp"
#include "ctnn/target.hpp"

namespace ctnn {

namespace detail {

/** What a batched forward kernel (dense::affine_samples) works with: vectors of vector_bytes,
    block_bytes of each sample's outputs in registers, `samples` samples at once. */
struct batch_shape {
  std::size_t vector_bytes;
  std::size_t block_bytes;
  std::size_t samples;
};
inline constexpr batch_shape native_batch{vector_bytes, batch_block_bytes, sample_block};

// A build for x86-64 without AVX (g++'s default target) still runs on cores that have
// it: predict, forward, backward, descend, sgd's step and train check for AVX2 at run time (a flag
// libgcc's start-up code sets; read before that, it says no) and then compute with code compiled for
// AVX2 (network::predict_avx2, backward_avx2, forward_avx2, descend_avx2, predict_in_batches_avx2,
// sgd::step_avx2, train_blocks_avx2); predict, forward, backward, descend and sgd's step check for
// AVX-512 first (network::predict_avx512, predict_in_batches_avx512, forward_avx512,
// backward_avx512, descend_avx512, sgd::step_avx512). Without FMA and with the build's order of
// every sum, so every multiply and add rounds as in the SSE2 code: the same outputs, gradients and
// weights, bit for bit.
// avx2_batch is predict's shape over a span: 12 samples of one register of outputs each (12 of the 16
// registers). A throwaway program timing each shape's predict of the bench's 1,024 samples of
// 64-128-128-10 at -O2 (best of 30) gave 60% of the FMA peak against 46% for 4 x 2 registers (the
// AVX build's shape), 51% for 5 x 2, 55% for 8 x 1 and 57% for 14 x 1; in the bench (bench-o2),
// 4 x 2 reached 37% and 12 x 1 54-56%. Its cost is stack: z and a of 12 samples per layer where the
// build's shape keeps 4 (a 128-output layer: 12 KB against 4 KB).
// With g++ only: clang 14's flatten inlines only the calls written in the function itself, so the
// kernels stayed functions compiled for SSE2 on split AVX2 vectors, and 64-128-128-10's predict of
// 1,024 samples took 1.77 ms against 1.43 in clang's own SSE2 code (a throwaway program, best of 30).
// Define CTNN_NO_AVX2_AT_RUN_TIME to keep every instruction within the build's target, AVX-512's
// included (CTNN_PLAIN_KERNELS does too: target.hpp).
#if defined(__x86_64__) && !defined(__AVX__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(CTNN_NO_AVX2_AT_RUN_TIME) && !defined(CTNN_PLAIN_KERNELS)
#define CTNN_AVX2_AT_RUN_TIME 1
/** The attributes of a function compiled for AVX2 inside an SSE2 build: "avx2" alone, without FMA,
    so that no a·b+c is contracted; flatten inlines every call, so that the kernels too are
    compiled for AVX2. */
#define CTNN_AVX2_CODE [[gnu::target("avx2"), gnu::flatten]]
inline constexpr batch_shape avx2_batch{32, 32, 12};
/** Tells whether this core (and its operating system) runs AVX2. */
inline bool runs_avx2() { return __builtin_cpu_supports("avx2"); }
// avx512_batch: predict's shape over a span on a core with AVX-512, 6 samples of 4 registers of
// outputs each (24 of the 32), the AVX-512 build's own (target.hpp); 12 x 2 was slower (bench-o2,
// docs/speed.md). On a core of two 512-bit multiply-adds a cycle (the bench's Zen 5) AVX2's vectors
// reach at most half the FP32 peak: there it took T3's batched inference from 35% to 55-68% of it.
inline constexpr batch_shape avx512_batch{64, 256, 6};
/** Tells whether this core (and its operating system) runs AVX-512 (its foundation, AVX-512F). */
inline bool runs_avx512() { return __builtin_cpu_supports("avx512f"); }
/** The attributes of a function compiled for AVX-512 inside an SSE2 build. AVX-512F brings FMA, which
    g++ in GNU mode would contract a·b+c into, and the results would no longer be the SSE2 code's:
    fp-contract=off keeps each multiply and add rounding apart (tests/test_network.cpp fails without
    it). flatten inlines every call, so that the kernels too are compiled for AVX-512. */
#define CTNN_AVX512_CODE [[gnu::target("avx512f"), gnu::optimize("fp-contract=off"), gnu::flatten]]
#endif

/** simd<T, N>: N values of T in vector registers, for the kernels whose loops g++ vectorises
    in one program and leaves scalar in another (the same forward pass of T3 took 2.4x as long
    inside a benchmark loop of another program: its profile estimate marked half the unrolled
    loops cold). Element-wise, so each lane rounds as the scalar code does. Only where
    sample_block > 1 (vector registers); the kernels keep scalar code for constant evaluation. */
template <class T>
inline constexpr bool has_simd = sample_block > 1 && (std::is_same_v<T, float> || std::is_same_v<T, double>);
template <class T, std::size_t N>
struct simd_of {
  typedef T type __attribute__((vector_size(N * sizeof(T))));  // an alias template would drop the attribute
};
template <class T, std::size_t N>
using simd = typename simd_of<T, N>::type;

template <std::size_t N, class T>
inline simd<T, N> load(const T* from) {
  simd<T, N> v;
  __builtin_memcpy(&v, from, sizeof v);
  return v;
}

template <std::size_t N, class T>
inline void store(T* to, const simd<T, N>& v) {
  __builtin_memcpy(to, &v, sizeof v);
}

/** load, into v: for code that may run with wider vectors than the build's registers (the AVX2
    code of network, sgd and train and the AVX-512 code of network and sgd in a build for SSE2).
    Such a vector must not be returned or passed by value: g++ warns that the ABI differs, clang
    refuses. load stays where the vectors are the build's own. */
template <class V, class T>
inline void load_to(V& v, const T* from) {
  __builtin_memcpy(&v, from, sizeof v);
}

/** add_product's vectors: whole ones of Lanes values from Begin, then of half as many, down to
    16 bytes, then the values left one by one. */
template <std::size_t N, std::size_t Lanes, std::size_t Begin = 0, class T>
inline void add_product_vectors(T* to, const T* from, T factor) {
  constexpr std::size_t end = Begin + (N - Begin) / Lanes * Lanes;
  #pragma GCC unroll 8
  for (std::size_t k = Begin; k < end; k += Lanes) {
    simd<T, Lanes> sum, term;
    load_to(sum, to + k);
    load_to(term, from + k);
    store<Lanes>(to + k, sum + term * factor);
  }
  if constexpr (Lanes * sizeof(T) > 16) {
    add_product_vectors<N, Lanes / 2, end>(to, from, factor);
  } else {
    short_loop<N - end>([&](std::size_t k) { to[end + k] += from[end + k] * factor; });
  }
}

/** to[k] += from[k]·factor for k < N, the inner loop of a gradient sum and of a descent step; `to`
    and `from` are the same array or do not overlap. In vector types where there are vector
    registers: g++ -O2 leaves the plain loop scalar where it cannot rule out that the arrays
    overlap, or where N is not a whole number of vectors (the 16-32-32-1 network's training step
    through sgd spent 65% of its time in sgd's loop). Value by value, so each rounds as in the
    plain loop, whatever VectorBytes is. */
template <std::size_t N, std::size_t VectorBytes = vector_bytes, class T>
constexpr void add_product(T* to, const T* from, T factor) {
  if constexpr (has_simd<T>) {
    if (!std::is_constant_evaluated()) return add_product_vectors<N, VectorBytes / sizeof(T)>(to, from, factor);
  }
  for (std::size_t k = 0; k < N; ++k) to[k] += from[k] * factor;
}

/** Sets `to` to v's first half plus its second (lane l + N/2 into lane l); through a reference, as
    load_to says why. */
template <class V, class Half, std::size_t... J>
inline void fold_halves(const V& v, Half& to, std::index_sequence<J...>) {
  static_assert(2 * sizeof(Half) == sizeof(V), "to is half of v");
  to = __builtin_shufflevector(v, v, J...) + __builtin_shufflevector(v, v, (sizeof...(J) + J)...);
}

/** Returns the sum of v's lanes, added in halves (lane l + N/2 into lane l), as add_chains does. */
template <std::size_t N, class T>
inline T add_halves(const simd<T, N>& v) {
  if constexpr (N == 1) {
    return v[0];
  } else {
    simd<T, N / 2> sum;
    fold_halves(v, sum, std::make_index_sequence<N / 2>{});
    return add_halves<N / 2, T>(sum);
  }
}

/** Sets `to` to the vector whose first N/2 lanes hold u's segments of S lanes folded in half (lane t
    of a segment plus lane t + S/2), and whose last N/2 lanes hold v's: one step of fold_rows. */
template <std::size_t S, class V, std::size_t... J>
inline void fold_pair(const V& u, const V& v, V& to, std::index_sequence<J...>) {
  constexpr std::size_t n = sizeof...(J);
  constexpr auto lane = [](std::size_t j, std::size_t offset) {
    const std::size_t half = S / 2, segment = j / half, t = j % half, segments = n / S;
    return segment < segments ? segment * S + t + offset : n + (segment - segments) * S + t + offset;
  };
  to = __builtin_shufflevector(u, v, lane(J, 0)...) + __builtin_shufflevector(u, v, lane(J, S / 2)...);
}

/** Sets `to` to the vector whose lane r is the sum of rows[r]'s N lanes, added in halves as
    add_halves adds them: the N horizontal sums in N - 1 folds instead of N·log2(N). (Through a
    reference: a vector wider than the build's registers must not be returned by value.) */
template <std::size_t S, std::size_t Count, class V>
inline void fold_rows(const std::array<V, Count>& rows, V& to) {
  if constexpr (Count == 1) {
    to = rows[0];
  } else {
    constexpr std::size_t n = sizeof(V) / sizeof(rows[0][0]);
    std::array<V, Count / 2> folded;
    for (std::size_t k = 0; k < Count / 2; ++k)
      fold_pair<S>(rows[2 * k], rows[2 * k + 1], folded[k], std::make_index_sequence<n>{});
    fold_rows<S / 2, Count / 2>(folded, to);
  }
}

/** What row_dots does with each vector of weights it reads, by default: nothing. */
struct ignore_weights {
  template <class V>
  void operator()(std::size_t, std::size_t, const V&) const {}
};

/** Transposes 8 vectors of 8 lanes (m[r][c] becomes m[c][r]) in three steps, 24 shuffles, each
    one that AVX does in one instruction (within 128-bit halves, then across them). */
template <class V>
inline void transpose_8x8(std::array<V, 8>& m) {
  std::array<V, 8> pairs, quads;
  #pragma GCC unroll 4
  for (std::size_t k = 0; k < 8; k += 2) {  // rows k and k+1 interleaved, lanes 0-1 and 4-5, then 2-3 and 6-7
    pairs[k] = __builtin_shufflevector(m[k], m[k + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    pairs[k + 1] = __builtin_shufflevector(m[k], m[k + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  #pragma GCC unroll 2
  for (std::size_t k = 0; k < 8; k += 4) {  // four rows' lanes c and c+4 in vector k + c
    quads[k] = __builtin_shufflevector(pairs[k], pairs[k + 2], 0, 1, 8, 9, 4, 5, 12, 13);
    quads[k + 1] = __builtin_shufflevector(pairs[k], pairs[k + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    quads[k + 2] = __builtin_shufflevector(pairs[k + 1], pairs[k + 3], 0, 1, 8, 9, 4, 5, 12, 13);
    quads[k + 3] = __builtin_shufflevector(pairs[k + 1], pairs[k + 3], 2, 3, 10, 11, 6, 7, 14, 15);
  }
  #pragma GCC unroll 4
  for (std::size_t c = 0; c < 4; ++c) {  // the two groups of four rows side by side
    m[c] = __builtin_shufflevector(quads[c], quads[c + 4], 0, 1, 2, 3, 8, 9, 10, 11);
    m[c + 4] = __builtin_shufflevector(quads[c], quads[c + 4], 4, 5, 6, 7, 12, 13, 14, 15);
  }
}
}  // namespace detail

/** Describes a fully connected layer of In inputs and Out outputs. Its parameters
    and its cache are the value types params<T> and cache<T>; the layer itself holds nothing. */
template <std::size_t In, std::size_t Out, Activation Act>
struct dense {
  static_assert(In > 0 && Out > 0, "ctnn::dense: a layer needs at least one input and one output");

  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = Out;
  using activation = Act;

  /** Weights and biases. Input-major, so that the kernels' inner loops run over
      independent outputs and vectorise without -ffast-math. */
  template <std::floating_point T>
  struct params {
    // Where a row of weights is a multiple of 16 bytes, rows and biases start on the largest
    // boundary of 16, 32 or 64 bytes (a cache line) that divides a row, whatever the build's vectors:
    // then no load of a vector as wide as that boundary straddles two cache lines, and a row of
    // whole lines touches no extra one. On a Zen 4 (which loads an AVX-512 register as two 32-byte
    // halves) the 16-32-32-1 forward pass took 52.6 ns with its parameters 16 bytes past a line,
    // 45.1 at 32 past, 45.6 on a line (docs/speed.md); in an SSE2 build running AVX2 code,
    // 64-128-128-10's forward pass and descend step took 3.67 us 16 bytes past a line, 3.2 at 32
    // past, 3.0 on a line (off a line, each 512-byte row spans 9 lines).
    // Elsewhere (a microcontroller too) T's own alignment, and no padding.
    static constexpr std::size_t alignment = [] {
      constexpr std::size_t row_bytes = Out * sizeof(T);
      std::size_t boundary = 64;
      while (boundary > 16 && row_bytes % boundary != 0) boundary /= 2;
      return detail::has_simd<T> && row_bytes % boundary == 0 ? boundary : alignof(T);
    }();
    alignas(alignment) std::array<T, In * Out> weights{};  // weights[i * Out + o] connects input i to output o
    alignas(alignment) std::array<T, Out> biases{};

    /** Returns the weight from input `input` to output `output`. */
    constexpr T& weight(std::size_t input, std::size_t output) { return weights[input * Out + output]; }
    constexpr const T& weight(std::size_t input, std::size_t output) const { return weights[input * Out + output]; }

    friend constexpr bool operator==(const params&, const params&) = default;
  };

  /** What a forward pass keeps for backpropagation: the reference's "cache". */
  template <std::floating_point T>
  struct cache {
    std::array<T, Out> z{};  // pre-activation
    std::array<T, Out> a{};  // activation, the next layer's input
  };

  /** Draws the weights with `Init` and sets the biases to zero. */
  template <Initializer Init, std::floating_point T>
  static constexpr void initialize(params<T>& p, Init, random_engine& rng) {
    for (T& w : p.weights) w = static_cast<T>(Init::weight(rng, In, Out));
    p.biases = {};
  }

  /** Outputs computed together: their partial sums (8 vector registers: 256 bytes with AVX2,
      512 with AVX-512) stay in registers while every input streams by, so the inner loop is one
      weight load and one multiply-add per output, with no store (a plain loop over z reloads and
      stores it per input). With AVX, whole blocks go two at a time (detail::wide_block_bytes). */
  template <std::floating_point T>
  static constexpr std::size_t output_block = detail::register_block_bytes / sizeof(T);

  /** Computes z = W·x + b and a = activation(z) into `c` (in vectors of VectorBytes: see affine_from). */
  template <std::size_t VectorBytes = detail::vector_bytes, std::floating_point T>
  static constexpr void forward(const params<T>& p, const std::array<T, In>& x, cache<T>& c) {
    affine_from<0, VectorBytes>(p, x, c.z);
    detail::activate<Act>(c.z, c.a);
  }

  /** The widest vectors, of at most VectorBytes, that a block of Width outputs fills: a ragged
      block's vectors (at least 16 bytes: callers check Width·sizeof(T) >= 16). */
  template <std::size_t Width, std::size_t VectorBytes, class T>
  static constexpr std::size_t ragged_vector_bytes = [] {
    std::size_t bytes = VectorBytes;
    while (bytes > 16 && bytes > Width * sizeof(T)) bytes /= 2;
    return bytes;
  }();

  /** How many independent partial sums each output of a block of `Width` gets: the inputs are
      dealt round-robin to them and the sums added pairwise at the end. One sum per output is a
      chain of dependent multiply-adds, one per input, which leaves a narrow block (a layer of
      few outputs: the last layer of a classifier) waiting on the adder's latency; chains of them
      fill the register block (a ragged block's, half the registers). A power of two, at most
      In / 2 (each chain takes two inputs or more). */
  template <std::size_t Width, std::floating_point T>
  static constexpr std::size_t chains_for = [] {
    // Only where each chain is vectors: whole ones; for float and double also a ragged block's
    // vectors of 16 bytes or more and the values left over (affine_vectors); or one output (the
    // chains then form vectors themselves). None without vector registers (a microcontroller):
    // there chains only cost code and stack. A ragged block in one chain (64-128-128-10's 10
    // outputs: 128 dependent multiply-adds) waited on the adder's latency (docs/speed.md); its
    // chains are held to half the target's registers, each value left over counted as one: the
    // other half holds the weights, x[i] and the products.
    constexpr bool whole = (Width * sizeof(T)) % detail::vector_bytes == 0;
    constexpr bool vectors = detail::sample_block > 1 &&
                             (Width == 1 || whole || (detail::has_simd<T> && Width * sizeof(T) >= 16));
    constexpr bool ragged = Width > 1 && !whole;
    constexpr std::size_t lanes = ragged_vector_bytes<Width, detail::vector_bytes, T> / sizeof(T);
    constexpr std::size_t registers = Width / lanes + Width % lanes;  // a chain's, if ragged
    std::size_t chains = 1;
    while (vectors && chains * 4 <= In && chains * 2 * Width <= output_block<T> &&
           (!ragged || chains * 2 * registers <= detail::vector_registers / 2))
      chains *= 2;
    return chains;
  }();

  /** Computes z[o] = b[o] + Σ_i W[i][o]·x[i] for o in [Begin, Out), a register block at a time,
      in vectors of VectorBytes where a block is whole ones, a ragged block of 16 bytes or more in
      the widest vectors it fills (and values). The blocks and chains are the build's
      whatever VectorBytes is, so that the sums are too (network's AVX2 code). */
  template <std::size_t Begin, std::size_t VectorBytes = detail::vector_bytes, std::floating_point T>
  static constexpr void affine_from(const params<T>& p, const std::array<T, In>& x, std::array<T, Out>& z) {
    if constexpr (Begin < Out) {
      // Whole blocks of one chain each may go several at a time (detail::wide_block_bytes): each
      // output's sum is the same; the last, partial block is the same block as ever.
      constexpr std::size_t wide = detail::has_simd<T> ? detail::wide_block_bytes / sizeof(T) : output_block<T>;
      constexpr std::size_t width = Out - Begin >= wide             ? wide
                                    : Out - Begin < output_block<T> ? Out - Begin
                                                                    : output_block<T>;
      constexpr std::size_t chains = chains_for<width, T>;
      static_assert(width <= output_block<T> || chains == 1, "a merged block sums each output in one chain");
      constexpr std::size_t lanes = detail::vector_bytes / sizeof(T);
      if constexpr (detail::has_simd<T> && width % (VectorBytes / sizeof(T)) == 0) {
        if (!std::is_constant_evaluated()) {
          affine_vectors<Begin, width, VectorBytes>(p, x, z);
          return affine_from<Begin + width, VectorBytes>(p, x, z);
        }
      } else if constexpr (detail::has_simd<T> && width % lanes == 0) {
        if (!std::is_constant_evaluated()) {
          affine_vectors<Begin, width, detail::vector_bytes>(p, x, z);
          return affine_from<Begin + width, VectorBytes>(p, x, z);
        }
      } else if constexpr (detail::has_simd<T> && width * sizeof(T) >= 16) {
        // A ragged block (a classifier's 10 outputs: 8 + 2 with AVX2, 4 + 4 + 2 with SSE) in the widest
        // vectors it fills. Left to g++, AVX2's 8 sums went to the stack and back at every input.
        if (!std::is_constant_evaluated()) {
          affine_vectors<Begin, width, ragged_vector_bytes<width, VectorBytes, T>>(p, x, z);
          return affine_from<Begin + width, VectorBytes>(p, x, z);
        }
      } else if constexpr (detail::has_simd<T> && Out == 1 && chains * sizeof(T) >= 16) {
        if (!std::is_constant_evaluated()) return affine_one_vectors<VectorBytes>(p, x, z);
      }
      constexpr std::size_t chained_end = chains > 1 ? In - In % chains : 0;  // inputs [0, chained_end) go round-robin
      std::array<T, chains * width> sum{};  // sum[c * width + k]: chain c of output Begin + k
      for (std::size_t k = 0; k < width; ++k) sum[k] = p.biases[Begin + k];
      if constexpr (chains > 1) {
        for (std::size_t i = 0; i < chained_end; i += chains) {
          #pragma GCC unroll 16
          for (std::size_t c = 0; c < chains; ++c)
            add_scaled<width>(sum, c * width, p.weights, (i + c) * Out + Begin, x[i + c]);
        }
      }
      // The inputs left over (all of them with one chain).
      for (std::size_t i = chained_end; i < In; ++i) add_scaled<width>(sum, 0, p.weights, i * Out + Begin, x[i]);
      add_chains<chains, width>(sum);
      for (std::size_t k = 0; k < width; ++k) z[Begin + k] = sum[k];
      affine_from<Begin + width, VectorBytes>(p, x, z);
    }
  }

  /** affine_from's block of outputs [Begin, Begin + Width) in vectors of VectorBytes, the last
      Width % lanes outputs as scalars: the same sums in the same order. */
  template <std::size_t Begin, std::size_t Width, std::size_t VectorBytes, std::floating_point T>
  static void affine_vectors(const params<T>& p, const std::array<T, In>& x, std::array<T, Out>& z) {
    constexpr std::size_t lanes = VectorBytes / sizeof(T);
    constexpr std::size_t n = Width / lanes;  // vectors per chain
    constexpr std::size_t chains = chains_for<Width, T>;
    constexpr std::size_t chained_end = chains > 1 ? In - In % chains : 0;
    constexpr std::size_t ragged = Width % lanes, ragged_begin = Begin + n * lanes;
    using vec = detail::simd<T, lanes>;
    std::array<vec, chains * n> sum{};  // sum[c * n + v]: chain c of outputs Begin + v·lanes...
    std::array<T, chains * ragged> ragged_sum{};  // ragged_sum[c * ragged + k]: chain c of output ragged_begin + k
    #pragma GCC unroll 16
    for (std::size_t v = 0; v < n; ++v) detail::load_to(sum[v], &p.biases[Begin + v * lanes]);
    #pragma GCC unroll 16
    for (std::size_t k = 0; k < ragged; ++k) ragged_sum[k] = p.biases[ragged_begin + k];
    const auto add_input = [&](std::size_t c, std::size_t i) {
      #pragma GCC unroll 16
      for (std::size_t v = 0; v < n; ++v) {
        vec w;
        detail::load_to(w, &p.weights[i * Out + Begin + v * lanes]);
        sum[c * n + v] += w * x[i];
      }
      #pragma GCC unroll 16
      for (std::size_t k = 0; k < ragged; ++k)
        ragged_sum[c * ragged + k] += p.weights[i * Out + ragged_begin + k] * x[i];
    };
    for (std::size_t i = 0; i < chained_end; i += chains) {
      #pragma GCC unroll 16
      for (std::size_t c = 0; c < chains; ++c) add_input(c, i + c);
    }
    for (std::size_t i = chained_end; i < In; ++i) add_input(0, i);
    #pragma GCC unroll 8
    for (std::size_t half = chains / 2; half > 0; half /= 2) {
      #pragma GCC unroll 16
      for (std::size_t j = 0; j < half * n; ++j) sum[j] += sum[j + half * n];
      #pragma GCC unroll 16
      for (std::size_t j = 0; j < half * ragged; ++j) ragged_sum[j] += ragged_sum[j + half * ragged];
    }
    #pragma GCC unroll 16
    for (std::size_t v = 0; v < n; ++v) detail::store<lanes>(&z[Begin + v * lanes], sum[v]);
    #pragma GCC unroll 16
    for (std::size_t k = 0; k < ragged; ++k) z[ragged_begin + k] = ragged_sum[k];
  }

  /** affine_from for a layer of one output (a binary classifier's last): its chains are lanes,
      lane c summing inputs c, c + chains, ..., in vectors of at most a register; the chains are
      then added as add_chains adds them, the upper half into the lower (whatever the width of the
      vectors: folding vectors and then halves of one adds the same lanes). */
  template <std::size_t VectorBytes, std::floating_point T>
  static void affine_one_vectors(const params<T>& p, const std::array<T, In>& x, std::array<T, Out>& z) {
    constexpr std::size_t chains = chains_for<1, T>;
    constexpr std::size_t lanes = chains < VectorBytes / sizeof(T) ? chains : VectorBytes / sizeof(T);
    constexpr std::size_t n = chains / lanes;  // vectors
    constexpr std::size_t chained_end = In - In % chains;
    using vec = detail::simd<T, lanes>;
    std::array<vec, n> sum{};
    sum[0][0] = p.biases[0];
    for (std::size_t i = 0; i < chained_end; i += chains) {
      #pragma GCC unroll 16
      for (std::size_t v = 0; v < n; ++v) {
        vec w, xv;
        detail::load_to(w, &p.weights[i + v * lanes]);
        detail::load_to(xv, &x[i + v * lanes]);
        sum[v] += w * xv;
      }
    }
    for (std::size_t i = chained_end; i < In; ++i) sum[0][0] += p.weights[i] * x[i];
    #pragma GCC unroll 8
    for (std::size_t half = n / 2; half > 0; half /= 2) {
      #pragma GCC unroll 16
      for (std::size_t j = 0; j < half; ++j) sum[j] += sum[j + half];
    }
    z[0] = detail::add_halves<lanes, T>(sum[0]);
  }

  /** sum[at + k] += w[from + k]·xi for k < Width: one loop over whole vectors, each a loop over
      its lanes, where the vectors fit (else one loop). The pragmas make -O2 unroll the outer loop
      (and a narrow block's only loop) as -O3 does, so that the sums stay in registers (in a loop
      over Width, -O2 stores them after every input), and keep g++ from unrolling the inner one into
      scalars before vectorising it. A narrow block is up to 16 values: as a loop, the 10 outputs
      of a classifier's last layer kept their sums in memory at -O2 (docs/speed.md). Where there
      are vector registers, float and double come here at run time only for blocks under 16
      bytes (the rest: affine_vectors). */
  template <std::size_t Width, class Sums, std::floating_point T>
  static constexpr void add_scaled(Sums& sum, std::size_t at, const std::array<T, In * Out>& w, std::size_t from,
                                   T xi) {
    constexpr std::size_t lanes = detail::vector_bytes / sizeof(T);
    if constexpr (detail::sample_block > 1 && Width % lanes == 0) {
      #pragma GCC unroll 16
      for (std::size_t v = 0; v < Width; v += lanes)
        #pragma GCC unroll 1
        for (std::size_t k = v; k < v + lanes; ++k) sum[at + k] += w[from + k] * xi;
    } else if constexpr (detail::sample_block > 1 && Width <= 16) {  // not on a microcontroller: code size
      #pragma GCC unroll 16
      for (std::size_t k = 0; k < Width; ++k) sum[at + k] += w[from + k] * xi;
    } else {
      for (std::size_t k = 0; k < Width; ++k) sum[at + k] += w[from + k] * xi;
    }
  }

  /** Tells whether every output block of affine_from sums its inputs in one chain, in order:
      then affine_samples gives bit for bit the same z, several samples at a time. */
  template <std::floating_point T>
  static constexpr bool single_chain = [] {
    constexpr std::size_t block = output_block<T>;
    return chains_for<(Out < block ? Out : block), T> == 1 && chains_for<(Out % block == 0 ? block : Out % block), T> == 1;
  }();

  /** Computes zs[s] = W·xs[s] + b for S samples at once (xs points to the first of S consecutive
      inputs, as a span's samples and a layer's activations are): a block of outputs of every
      sample stays in registers while the inputs stream by, so each weight loaded serves S
      multiply-adds (one sample at a time, the weights are loaded once per sample: the loads, not
      the arithmetic, bound a big layer). The same z as affine_from, bit for bit: each output is
      summed in the same order (samples a layer cannot batch that way go through affine_from one
      by one). */
  template <std::size_t S, detail::batch_shape Shape = detail::native_batch, std::floating_point T>
  static constexpr void affine_samples(const params<T>& p, const std::array<T, In>* xs,
                                       std::array<std::array<T, Out>, S>& zs) {
    if constexpr (S == 1) {
      affine_from<0, Shape.vector_bytes>(p, xs[0], zs[0]);
    } else if constexpr (single_chain<T> && Out * sizeof(T) < detail::vector_bytes) {
      affine_samples_narrow(p, xs, zs);
    } else if constexpr (single_chain<T>) {
      affine_samples_from<0, Shape>(p, xs, zs);
    } else {
      for (std::size_t s = 0; s < S; ++s) affine_from<0, Shape.vector_bytes>(p, xs[s], zs[s]);
    }
  }

  /** affine_samples for a layer narrower than a vector register, in one chain (a 3-class
      classifier's output layer): vectorised across the samples instead,
      sum[o][s] += W[i][o]·x_s[i], from the inputs laid out sample-minor. */
  template <std::size_t S, std::floating_point T>
  static constexpr void affine_samples_narrow(const params<T>& p, const std::array<T, In>* xs,
                                              std::array<std::array<T, Out>, S>& zs) {
    std::array<std::array<T, S>, In> x_by_input;
    for (std::size_t s = 0; s < S; ++s)
      for (std::size_t i = 0; i < In; ++i) x_by_input[i][s] = xs[s][i];
    std::array<std::array<T, S>, Out> sum;
    for (std::size_t o = 0; o < Out; ++o)
      for (std::size_t s = 0; s < S; ++s) sum[o][s] = p.biases[o];
    for (std::size_t i = 0; i < In; ++i) {
      for (std::size_t o = 0; o < Out; ++o) {
        const T w = p.weights[i * Out + o];
        for (std::size_t s = 0; s < S; ++s) sum[o][s] += w * x_by_input[i][s];
      }
    }
    for (std::size_t s = 0; s < S; ++s)
      for (std::size_t o = 0; o < Out; ++o) zs[s][o] = sum[o][s];
  }

  template <std::size_t Begin, detail::batch_shape Shape, std::size_t S, std::floating_point T>
  static constexpr void affine_samples_from(const params<T>& p, const std::array<T, In>* xs,
                                            std::array<std::array<T, Out>, S>& zs) {
    if constexpr (Begin < Out) {
      constexpr std::size_t block = Shape.block_bytes / sizeof(T);
      constexpr std::size_t width = Out - Begin < block ? Out - Begin : block;
      if constexpr (detail::has_simd<T> && width % (Shape.vector_bytes / sizeof(T)) == 0) {
        if (!std::is_constant_evaluated()) {
          affine_samples_vectors<Begin, width, Shape.vector_bytes>(p, xs, zs);
          return affine_samples_from<Begin + width, Shape>(p, xs, zs);
        }
      } else if constexpr (detail::has_simd<T> && width % (detail::vector_bytes / sizeof(T)) == 0) {
        if (!std::is_constant_evaluated()) {  // whole vectors of the build's width (AVX2's shape, 4 floats left)
          affine_samples_vectors<Begin, width, detail::vector_bytes>(p, xs, zs);
          return affine_samples_from<Begin + width, Shape>(p, xs, zs);
        }
      }
      std::array<std::array<T, width>, S> sum;
      for (std::size_t s = 0; s < S; ++s)
        for (std::size_t k = 0; k < width; ++k) sum[s][k] = p.biases[Begin + k];
      for (std::size_t i = 0; i < In; ++i) {
        std::array<T, S> xi;
        for (std::size_t s = 0; s < S; ++s) xi[s] = xs[s][i];
        for (std::size_t s = 0; s < S; ++s)
          for (std::size_t k = 0; k < width; ++k) sum[s][k] += p.weights[i * Out + Begin + k] * xi[s];
      }
      for (std::size_t s = 0; s < S; ++s)
        for (std::size_t k = 0; k < width; ++k) zs[s][Begin + k] = sum[s][k];
      affine_samples_from<Begin + width, Shape>(p, xs, zs);
    }
  }

  /** affine_samples_from's block of outputs [Begin, Begin + Width), Width whole vectors of
      VectorBytes, in vector types (g++ -O2 left the plain loops scalar): the same sums in the same
      order. */
  template <std::size_t Begin, std::size_t Width, std::size_t VectorBytes, std::size_t S, std::floating_point T>
  static void affine_samples_vectors(const params<T>& p, const std::array<T, In>* xs,
                                     std::array<std::array<T, Out>, S>& zs) {
    constexpr std::size_t lanes = VectorBytes / sizeof(T);
    constexpr std::size_t n = Width / lanes;  // vectors per sample
    using vec = detail::simd<T, lanes>;
    std::array<vec, S * n> sum;  // sum[s * n + v]: sample s, outputs Begin + v·lanes...
    #pragma GCC unroll 16
    for (std::size_t v = 0; v < n; ++v) {
      vec b;
      detail::load_to(b, &p.biases[Begin + v * lanes]);
      #pragma GCC unroll 16
      for (std::size_t s = 0; s < S; ++s) sum[s * n + v] = b;
    }
    for (std::size_t i = 0; i < In; ++i) {
      #pragma GCC unroll 16
      for (std::size_t v = 0; v < n; ++v) {
        vec w;
        detail::load_to(w, &p.weights[i * Out + Begin + v * lanes]);
        #pragma GCC unroll 16
        for (std::size_t s = 0; s < S; ++s) sum[s * n + v] += w * xs[s][i];
      }
    }
    #pragma GCC unroll 16
    for (std::size_t s = 0; s < S; ++s) {
      #pragma GCC unroll 16
      for (std::size_t v = 0; v < n; ++v) detail::store<lanes>(&zs[s][Begin + v * lanes], sum[s * n + v]);
    }
  }

  /** Adds the Chains partial sums of each of Width outputs into the first: chain c + Chains/2
      into chain c, log2(Chains) times, each step its own instantiation so the bounds are fixed. */
  template <std::size_t Chains, std::size_t Width, class Array>
  static constexpr void add_chains(Array& sum) {
    if constexpr (Chains > 1) {
      for (std::size_t j = 0; j < Chains / 2 * Width; ++j) sum[j] += sum[j + Chains / 2 * Width];
      add_chains<Chains / 2, Width>(sum);
    }
  }

  /** Adds one sample's gradient, dW += dz·xᵀ and db += dz, into `g` (the sum; the optimizer divides by m). */
  template <std::size_t VectorBytes = detail::vector_bytes, std::floating_point T>
  static constexpr void accumulate(const std::array<T, In>& x, const std::array<T, Out>& dz, params<T>& g) {
    for (std::size_t i = 0; i < In; ++i)
      detail::add_product<Out, VectorBytes>(g.weights.data() + i * Out, dz.data(), x[i]);
    for (std::size_t o = 0; o < Out; ++o) g.biases[o] += dz[o];
  }

  /** Computes dx = Wᵀ·dz, the gradient with respect to this layer's input. Each dx[i] is a sum
      over the outputs; summed in `lanes` independent partial sums (one 64-byte vector) and then
      added pairwise, it vectorises without -ffast-math, where a single running sum is a chain of
      dependent adds. Rows go a vector of VectorBytes at a time (row_dots), the same sums; rows too
      short for those partial sums (fewer than 64 bytes of outputs) go 8 at a time (narrow_row_dots).
      The groups of rows in vectors go last to first, as in propagate_and_descend, for the rows
      still in L1. */
  template <std::size_t VectorBytes = detail::vector_bytes, std::floating_point T>
  static constexpr void propagate(const params<T>& p, const std::array<T, Out>& dz, std::array<T, In>& dx) {
    if constexpr (rows_in_vectors<T>) {
      if (!std::is_constant_evaluated()) {
        constexpr std::size_t rows = row_group<VectorBytes, T>;
        constexpr std::size_t grouped = In - In % rows;
        detail::short_loop<In - grouped>([&](std::size_t k) { dx[grouped + k] = row_dot(p, grouped + k, dz); });
        for (std::size_t end = grouped; end > 0; end -= rows) row_dots<VectorBytes>(p, end - rows, dz, dx);
        return;
      }
    } else if constexpr (detail::has_simd<T>) {
      if (!std::is_constant_evaluated()) {
        constexpr std::size_t grouped = In - In % narrow_rows;
        for (std::size_t i = 0; i < grouped; i += narrow_rows) narrow_row_dots<VectorBytes>(p, i, dz, dx);
        detail::short_loop<In - grouped>([&](std::size_t k) { dx[grouped + k] = row_dot(p, grouped + k, dz); });
        return;
      }
    }
    for (std::size_t i = 0; i < In; ++i) dx[i] = row_dot(p, i, dz);
  }

  /** Rows narrow_row_dots takes at once. */
  static constexpr std::size_t narrow_rows = 8;

  /** dx[i] = row_dot(p, i, dz) for the narrow_rows rows from `first`, where a row is too short for
      row_dot's vectors (one partial sum: a chain of Out dependent adds): the rows' chains side by
      side, so that the core need not wait on each add's latency: 64-128-128-10's `descend` step
      at -O2 (its 10-output layer) went from 3,458-3,553 to 3,184-3,341 ns (docs/speed.md). The
      same sums in the same order. */
  template <std::size_t VectorBytes, std::floating_point T>
  static void narrow_row_dots(const params<T>& p, std::size_t first, const std::array<T, Out>& dz,
                              std::array<T, In>& dx) {
    const T* const block = p.weights.data() + first * Out;
    if constexpr (narrow_rows_in_vectors<VectorBytes, T>) {
      // Each row's first 8 products and its last 8 (the same ones for 8 outputs) in a vector,
      // then transposed: vector o holds output o's product of each of the 8 rows, and the rows'
      // sums take them in the order of the outputs. g++ left to itself shuffled every product
      // into place one by one (10% of 64-128-128-10's `descend` step, docs/speed.md).
      using V = detail::simd<T, narrow_rows>;
      std::array<V, narrow_rows> head, tail;
      V dz_head, dz_tail;
      detail::load_to(dz_head, dz.data());
      detail::load_to(dz_tail, dz.data() + Out - narrow_rows);
      #pragma GCC unroll 8
      for (std::size_t r = 0; r < narrow_rows; ++r) {
        detail::load_to(head[r], block + r * Out);
        detail::load_to(tail[r], block + r * Out + Out - narrow_rows);
        head[r] *= dz_head;
        tail[r] *= dz_tail;
      }
      detail::transpose_8x8(head);
      detail::transpose_8x8(tail);
      V sum{};
      #pragma GCC unroll 8
      for (std::size_t o = 0; o < narrow_rows; ++o) sum += head[o];
      #pragma GCC unroll 8
      for (std::size_t o = narrow_rows; o < Out; ++o) sum += tail[o - (Out - narrow_rows)];
      detail::store<narrow_rows>(&dx[first], sum);
    } else {
      std::array<T, narrow_rows> sum{};
      for (std::size_t o = 0; o < Out; ++o) {
        #pragma GCC unroll 8
        for (std::size_t r = 0; r < narrow_rows; ++r) sum[r] += block[r * Out + o] * dz[o];
      }
      #pragma GCC unroll 8
      for (std::size_t r = 0; r < narrow_rows; ++r) dx[first + r] = sum[r];
    }
  }

  /** Whether narrow_row_dots takes its rows' products in vectors of 8 floats (AVX's, where the
      code has them): for rows of 8 to 15 floats. */
  template <std::size_t VectorBytes, std::floating_point T>
  static constexpr bool narrow_rows_in_vectors =
      std::is_same_v<T, float> && VectorBytes >= 32 && narrow_rows == 8 && Out >= 8 && Out < 16;

  /** row_dot's partial sums: one 64-byte vector of them. */
  template <std::floating_point T>
  static constexpr std::size_t row_lanes = Out >= 64 / sizeof(T) ? 64 / sizeof(T) : 1;

  /** Whether row_dots can take the rows a vector's worth at a time. */
  template <std::floating_point T>
  static constexpr bool rows_in_vectors = detail::has_simd<T> && row_lanes<T> > 1;

  /** Rows row_dots takes at once: a vector's lanes. */
  template <std::size_t VectorBytes, std::floating_point T>
  static constexpr std::size_t row_group = VectorBytes / sizeof(T);

  /** dx[i] = row_dot(p, i, dz) for the row_group rows from `first`, bit for bit: each row's
      row_lanes partial sums in vectors (several where a vector holds fewer), their halves
      added within the row down to one vector, then the rows' sums folded together
      (detail::fold_rows) in add_pairwise's order, whatever the width of the vectors.
      on_weights(r, o, w) is given each whole vector w of row first + r, from output o, as it is
      read (propagate_and_descend updates it there). */
  template <std::size_t VectorBytes, std::floating_point T, class OnWeights = detail::ignore_weights>
  static void row_dots(const params<T>& p, std::size_t first, const std::array<T, Out>& dz, std::array<T, In>& dx,
                       const OnWeights& on_weights = {}) {
    constexpr std::size_t rows = row_group<VectorBytes, T>;
    constexpr std::size_t n = row_lanes<T> / rows;  // vectors per row
    static_assert(n >= 1 && (n & (n - 1)) == 0, "row_dots halves a row's vectors: a power of two of them");
    constexpr std::size_t vector_end = Out - Out % row_lanes<T>;
    using vec = detail::simd<T, rows>;
    std::array<vec, rows * n> partial{};  // partial[r * n + k]: row first + r, lanes [k·rows, (k + 1)·rows)
    const T* const block = p.weights.data() + first * Out;
    for (std::size_t o = 0; o < vector_end; o += row_lanes<T>) {
      #pragma GCC unroll 8
      for (std::size_t k = 0; k < n; ++k) {
        vec d;
        detail::load_to(d, &dz[o + k * rows]);
        #pragma GCC unroll 16
        for (std::size_t r = 0; r < rows; ++r) {
          vec w;
          detail::load_to(w, block + r * Out + o + k * rows);
          partial[r * n + k] += w * d;
          on_weights(r, o + k * rows, w);
        }
      }
    }
    if constexpr (vector_end < Out) {
      // The tail, padded with products of -0 · 0 = -0, which leave a sum as it is (+0 would turn a -0 to +0).
      T w[row_lanes<T>], d[row_lanes<T>];
      for (std::size_t l = 0; l < row_lanes<T>; ++l) d[l] = vector_end + l < Out ? dz[vector_end + l] : T(0);
      for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t l = 0; l < row_lanes<T>; ++l)
          w[l] = vector_end + l < Out ? p.weights[(first + r) * Out + vector_end + l] : T(-0.0);
        for (std::size_t k = 0; k < n; ++k) {
          vec wk, dk;
          detail::load_to(wk, &w[k * rows]);
          detail::load_to(dk, &d[k * rows]);
          partial[r * n + k] += wk * dk;
        }
      }
    }
    std::array<vec, rows> row_sums;
    #pragma GCC unroll 16
    for (std::size_t r = 0; r < rows; ++r) {
      #pragma GCC unroll 4
      for (std::size_t half = n / 2; half > 0; half /= 2) {
        #pragma GCC unroll 4
        for (std::size_t k = 0; k < half; ++k) partial[r * n + k] += partial[r * n + k + half];
      }
      row_sums[r] = partial[r * n];
    }
    vec folded;
    detail::fold_rows<rows, rows>(row_sums, folded);
    detail::store<rows>(&dx[first], folded);
  }

  /** Returns Σ_o W[i][o]·dz[o], row i of Wᵀ·dz, in row_lanes partial sums added pairwise: output
      o goes to partial o % row_lanes, the outputs after the last whole vector too. (Summed after
      the pairwise step, they formed a chain into one value, which g++ vectorises in some programs
      as a vector product and in-order adds, not fused: the result then changed with the caller.) */
  template <std::floating_point T>
  static constexpr T row_dot(const params<T>& p, std::size_t i, const std::array<T, Out>& dz) {
    constexpr std::size_t lanes = row_lanes<T>;
    constexpr std::size_t vector_end = Out - Out % lanes;
    std::array<T, lanes> partial{};
    for (std::size_t o = 0; o < vector_end; o += lanes)
      for (std::size_t l = 0; l < lanes; ++l) partial[l] += p.weights[i * Out + o + l] * dz[o + l];
    for (std::size_t o = vector_end; o < Out; ++o) partial[o - vector_end] += p.weights[i * Out + o] * dz[o];
    return add_pairwise<lanes>(partial);
  }

  /** Returns the sum of the first Width values, added in halves: log2(Width) vector steps, each
      its own instantiation so that the compiler sees fixed bounds and keeps them in registers. */
  template <std::size_t Width, class Array>
  static constexpr auto add_pairwise(Array& values) {
    if constexpr (Width == 1) {
      return values[0];
    } else {
      static_assert(Width % 2 == 0, "ctnn: pairwise sums need a power-of-two width");
      for (std::size_t l = 0; l < Width / 2; ++l) values[l] += values[l + Width / 2];
      return add_pairwise<Width / 2>(values);
    }
  }

  /** propagate() then descend(), the same values bit for bit. For a layer whose weights
      outgrow the L1 cache (16 KiB and more), in one pass over the weights, each row giving its
      dx[i] before it is updated: they come from L2 once per sample instead of twice. The rows go
      last to first: the forward pass read them first to last, so the last ones may still be in L1
      (64-128-128-10's `descend` step 2,083 -> 1,792 ns, docs/speed.md); each row's dx[i] and
      update depend on that row alone, so the order changes no value. A smaller layer takes the
      two loops, which were faster for it than the one pass. */
  template <std::size_t VectorBytes = detail::vector_bytes, std::floating_point T>
  static constexpr void propagate_and_descend(params<T>& p, const std::array<T, In>& x, const std::array<T, Out>& dz,
                                              T rate, std::array<T, In>& dx) {
    if constexpr (In * Out * sizeof(T) < 16 * 1024) {
      propagate<VectorBytes>(p, dz, dx);
      descend<VectorBytes>(p, x, dz, rate);
    } else {
      // Local copies: the compiler then knows that the stores into the weights change neither.
      const std::array<T, Out> d = dz;
      std::array<T, Out> minus_step;  // see descend; every value set below (zeroing it first cost g++'s rep stos)
      for (std::size_t o = 0; o < Out; ++o) minus_step[o] = -(rate * d[o]);
      const auto row = [&](std::size_t i) {
        dx[i] = row_dot(p, i, d);
        descend_rows<VectorBytes>(p, x, minus_step, i, i + 1);
      };
      for (std::size_t o = 0; o < Out; ++o) p.biases[o] += minus_step[o];
      if constexpr (rows_in_vectors<T>) {
        if (!std::is_constant_evaluated()) {
          // The rows left start at a constant: from a running index, g++ 12 warned of this loop, empty
          // for In = 128 (-Waggressive-loop-optimizations: "iteration ... invokes undefined behavior").
          constexpr std::size_t rows = row_group<VectorBytes, T>;
          constexpr std::size_t grouped = In - In % rows;
          for (std::size_t i = In; i > grouped; --i) row(i - 1);
          for (std::size_t end = grouped; end > 0; end -= rows) {
            const std::size_t first = end - rows;
            if constexpr (VectorBytes == 64) {
              // Each vector of weights updated as soon as its product is taken: loaded once, not
              // twice. With AVX-512's 32 registers only: with AVX2's 16, row_dots' sums alone take
              // them all (not tried there).
              row_dots<VectorBytes>(p, first, d, dx, [&](std::size_t r, std::size_t o, const auto& w) {
                std::remove_cvref_t<decltype(w)> step;
                detail::load_to(step, &minus_step[o]);
                detail::store<rows>(&p.weights[(first + r) * Out + o], w + step * x[first + r]);
              });
              descend_rows<VectorBytes, Out - Out % row_lanes<T>>(p, x, minus_step, first, end);
            } else {
              row_dots<VectorBytes>(p, first, d, dx);
              descend_rows<VectorBytes>(p, x, minus_step, first, end);
            }
          }
          return;
        }
      }
      for (std::size_t i = In; i > 0; --i) row(i - 1);
    }
  }

  /** Applies one sample's gradient descent step in place, W -= rate·dz·xᵀ and b -= rate·dz:
      what accumulate() and sgd::step do for a batch of one, in one pass and without a gradient buffer. */
  template <std::size_t VectorBytes = detail::vector_bytes, std::floating_point T>
  static constexpr void descend(params<T>& p, const std::array<T, In>& x, const std::array<T, Out>& dz, T rate) {
    // w - step·x as w + (-step)·x and b - step as b + (-step): the same values, bit for bit (but
    // for a NaN's sign), with the step negated once rather than each x[i] (a row's update is then
    // a broadcast and multiply-adds).
    std::array<T, Out> minus_step;  // every value set below (zeroed first, g++ emitted a rep stos: docs/speed.md)
    if constexpr (detail::sample_block > 1) {
      detail::short_loop<Out>([&](std::size_t o) { minus_step[o] = -(rate * dz[o]); });
    } else {  // a microcontroller: the plain loop (see short_loop)
      for (std::size_t o = 0; o < Out; ++o) minus_step[o] = -(rate * dz[o]);
    }
    if constexpr (Out == 1) {
      // One output: the weights are one row over the inputs, W[i] += x[i]·(-step), in vectors
      // (row by row, In scalar updates).
      detail::add_product<In, VectorBytes>(p.weights.data(), x.data(), minus_step[0]);
    } else if constexpr (detail::sample_block > 1 && In <= detail::short_loop_limit &&
                         Out * sizeof(T) <= 8 * VectorBytes) {  // at most one block of descend_rows: rows written out
      detail::short_loop<In>([&](std::size_t i) { descend_rows<VectorBytes>(p, x, minus_step, i, i + 1); });
    } else {
      descend_rows<VectorBytes>(p, x, minus_step, 0, In);
    }
    if constexpr (detail::sample_block > 1) {
      detail::short_loop<Out>([&](std::size_t o) { p.biases[o] += minus_step[o]; });
    } else {
      for (std::size_t o = 0; o < Out; ++o) p.biases[o] += minus_step[o];
    }
  }

  /** W[i][o] += minus_step[o]·x[i] (descend's step, negated) for the rows i in [first, last), by
      blocks of outputs of 8 vectors of VectorBytes, so that a block of the step stays in registers
      while the rows go by: a row of 128 floats did not fit AVX2's registers, and g++ reloaded the
      step from the stack beside the stores into the weights (the 64-128-128-10 training step's
      time then swung by 20% with where the weights lay in memory). Each weight takes the same
      operations as row by row. */
  template <std::size_t VectorBytes, std::size_t Begin = 0, std::floating_point T>
  static constexpr void descend_rows(params<T>& p, const std::array<T, In>& x, const std::array<T, Out>& minus_step,
                                     std::size_t first, std::size_t last) {
    if constexpr (Begin < Out) {
      constexpr std::size_t block = detail::has_simd<T> ? 8 * VectorBytes / sizeof(T) : Out;  // no registers: one
      constexpr std::size_t width = Out - Begin < block ? Out - Begin : block;
      for (std::size_t i = first; i < last; ++i)
        detail::add_product<width, VectorBytes>(p.weights.data() + i * Out + Begin, minus_step.data() + Begin, x[i]);
      descend_rows<VectorBytes, Begin + width>(p, x, minus_step, first, last);
    }
  }
};

/** A layer description usable in ctnn::network. Satisfied by dense. */
template <class L>
concept Layer = requires {
  { L::inputs } -> std::convertible_to<std::size_t>;
  { L::outputs } -> std::convertible_to<std::size_t>;
  typename L::activation;
  typename L::template params<float>;
  typename L::template cache<float>;
};

}  // namespace ctnn
