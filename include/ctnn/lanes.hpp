// ctnn/lanes.hpp - training several samples at once, one per lane of one or two vector registers.
//
// train's inner loop, one sample after another, is a chain of small dependent steps (three
// layers of 3-5 units in the reference network) and three exp/log calls per sample. Here a
// block of samples moves through the network together, stored unit-major (values[unit][lane]),
// so that every step, the activations and the loss included, works on all lanes at once, in
// vector instructions, without -ffast-math. Small layers also keep their gradient sums per lane,
// added together once per batch. The results are those of the per-sample loop up to the order
// in which the gradient sums are added.
//
// The sums of products (the affine step, its gradient and Wᵀ·dz) are written in GCC vector types
// of VectorBytes (detail::simd, W = VectorBytes / sizeof(T) values, S / W vectors per unit): the
// target's width, or AVX2's in train_blocks_avx2 in a build for SSE2. One operation per lane, as
// the loops over lanes were, so each lane rounds as before. Left to g++'s
// loop vectoriser they took the AVX2 build's reference workload 7.1-7.3 ms instead of 4.0-4.4, and
// quick_start 2-7% longer to compile (commit 84e3f2e). The activations and the loss stay loops over
// lanes, which g++ vectorises; `#pragma GCC unroll 1` marks each, since g++ otherwise unrolls a
// 16-lane loop into 16 scalar statements before its loop vectoriser runs, and the reference
// workload took 1.5x as long.
// `#pragma GCC unroll 4` or `8` marks a short loop over units: -O2 then unrolls it as -O3 does,
// and its sums stay in registers (bench-o2's reference workload went from 19.7 to 15.9 ms).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>

#include "ctnn/activation.hpp"
#include "ctnn/dense.hpp"
#include "ctnn/metrics.hpp"

namespace ctnn::detail {

/** Samples train moves through the network at once: training_block_bytes of each value (target.hpp),
    two SSE or AVX registers, one AVX-512 register. 1 where the target has no vector registers (a
    microcontroller) or T no vector type (has_simd: float and double): train then keeps its
    per-sample loop and needs no block workspace. */
template <class T>
inline constexpr std::size_t training_lanes = has_simd<T> ? training_block_bytes / sizeof(T) : 1;

/** Gradient sums kept per lane for layers of at most this many bytes of lane sums, saving a
    per-sample pass over their gradients; bigger layers add each sample into the gradients. */
inline constexpr std::size_t lane_sum_bytes = 8192;

/** N units over S lanes: values[unit][lane]. */
template <class T, std::size_t N, std::size_t S>
using lanes = std::array<std::array<T, S>, N>;

template <class Layer, class T, std::size_t S>
inline constexpr bool sums_per_lane = (Layer::inputs * Layer::outputs + Layer::outputs) * S * sizeof(T) <= lane_sum_bytes;

/** One layer's part of a block: z and a per lane and, for a small layer, its gradient sums per lane. */
template <class Layer, class T, std::size_t S>
struct layer_lanes {
  struct no_sums {};
  struct sums {
    lanes<T, Layer::inputs * Layer::outputs, S> weights{};
    lanes<T, Layer::outputs, S> biases{};
  };
  lanes<T, Layer::outputs, S> z{}, a{};
  [[no_unique_address]] std::conditional_t<sums_per_lane<Layer, T, S>, sums, no_sums> gradient_sums{};
};

/** What train needs to move S samples of Net through the network at once. */
template <class Net, std::size_t S = training_lanes<typename Net::scalar>>
struct lane_block {
  using T = typename Net::scalar;
  template <class Layer>
  struct of {
    using type = layer_lanes<Layer, T, S>;
  };

  lanes<T, Net::input_size, S> x{};
  lanes<T, Net::output_size, S> y{};
  typename Net::template per_layer_of<of> layers{};
  std::array<T, S> cost{};              // this batch's loss, per lane
  std::array<std::uint32_t, S> correct{};  // this epoch's correctly classified samples, per lane (32-bit:
                                          // vectorises beside float, and adds no padding to the workspace)
};

/** Nothing: without vector lanes train runs one sample at a time. */
struct no_lane_block {};

template <class Net>
using lane_block_for = std::conditional_t<(training_lanes<typename Net::scalar> > 1), lane_block<Net>, no_lane_block>;

/** Copies the inputs of samples order(first), ..., order(first + S - 1) into x, lane s for sample
    order(first + s), and their targets into the block. */
template <class Net, std::size_t S, class Order>
constexpr void gather(lanes<typename Net::scalar, Net::input_size, S>& x, lane_block<Net, S>& b,
                      std::span<const typename Net::input> inputs, std::span<const typename Net::output> targets,
                      const Order& order, std::size_t first) {
  for (std::size_t s = 0; s < S; ++s) {
    const std::size_t k = order(first + s);
    for (std::size_t i = 0; i < Net::input_size; ++i) x[i][s] = inputs[k][i];
    for (std::size_t o = 0; o < Net::output_size; ++o) b.y[o][s] = targets[k][o];
  }
}

/** Input lanes of at most this many bytes (a few vector registers) are gathered into a local copy
    that the first layer reads, then stored into the block for the backward pass: reading them back
    from the block right after storing them, the AVX-512 build stalled on that load (14% of the
    reference workload's perf samples on a Zen 4). Bigger inputs would only move to the stack. */
inline constexpr std::size_t local_input_bytes = 512;

template <class Net, std::size_t I, std::size_t S>
constexpr const auto& lanes_input(const lane_block<Net, S>& b) {
  if constexpr (I == 0) {
    return b.x;
  } else {
    return b.layers.template layer<I - 1>().a;
  }
}

/** z[o] = bias[o] + Σ_i W[i][o]·in[i] for outputs [O0, O0 + B), B running sums at once, and, for an
    element-wise activation, a[o] = Act(z[o]) right after (a separate pass returning a by value, as
    activate_lanes does, costs g++ -O2 a copy of a through the stack). The S values of a unit are
    S / W vectors of W = VectorBytes / sizeof(T) lanes. (A single vector of all S lanes, which g++
    would split into registers itself, kept the sums in memory at -O2 with SSE; nested per output
    and loaded by a helper returning them, these vectors took the AVX2 build's reference workload
    4.2-4.4 ms instead of 4.0-4.1.) */
// Where this is compiled for AVX2 inside an SSE2 build (train_blocks_avx2), g++ 12 -O2 reports the
// sums as (or as maybe) used uninitialized at the statement that sets them, a false report: every
// sum is set before it is read (tests/test_train_lanes.cpp compares the two paths bit for bit).
#ifdef CTNN_AVX2_AT_RUN_TIME
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
template <Activation Act, std::size_t B, std::size_t O0, std::size_t VectorBytes, class LayerParams, class In, class Out>
inline void affine_lanes_block(const LayerParams& p, const In& in, Out& z, Out& a) {
  constexpr std::size_t inputs = std::tuple_size_v<In>;
  constexpr std::size_t outputs = std::tuple_size_v<Out>;
  constexpr std::size_t S = std::tuple_size_v<typename Out::value_type>;
  using T = typename Out::value_type::value_type;
  constexpr std::size_t W = VectorBytes / sizeof(T), P = S / W;
  static_assert(S % W == 0, "a block is whole vector registers");
  using V = simd<T, W>;
  std::array<V, B * P> sum;  // sum[b * P + v]: output O0 + b, lanes [v·W, v·W + W)
  #pragma GCC unroll 16
  for (std::size_t k = 0; k < B * P; ++k) sum[k] = p.biases[O0 + k / P] - V{};  // the bias in every lane (b - 0 is b, -0 too)
  for (std::size_t i = 0; i < inputs; ++i) {
    std::array<V, P> x;
    #pragma GCC unroll 4
    for (std::size_t v = 0; v < P; ++v) load_to(x[v], &in[i][v * W]);
    #pragma GCC unroll 4
    for (std::size_t b = 0; b < B; ++b) {
      const T w = p.weights[i * outputs + O0 + b];
      #pragma GCC unroll 4
      for (std::size_t v = 0; v < P; ++v) sum[b * P + v] += w * x[v];
    }
  }
  #pragma GCC unroll 4
  for (std::size_t b = 0; b < B; ++b) {
    #pragma GCC unroll 4
    for (std::size_t v = 0; v < P; ++v) store<W>(&z[O0 + b][v * W], sum[b * P + v]);
    if constexpr (!VectorActivation<Act>) {
      #pragma GCC unroll 1
      for (std::size_t s = 0; s < S; ++s) a[O0 + b][s] = Act::value(z[O0 + b][s]);
    }
  }
}

#ifdef CTNN_AVX2_AT_RUN_TIME
#pragma GCC diagnostic pop
#endif

/** z = Wᵀ·in + b over lanes, four outputs at a time (four independent chains of adds), and a =
    Act(z) for an element-wise activation. */
template <Activation Act, std::size_t VectorBytes, std::size_t O0 = 0, class LayerParams, class In, class Out>
inline void affine_lanes(const LayerParams& p, const In& in, Out& z, Out& a) {
  constexpr std::size_t outputs = std::tuple_size_v<Out>;
  if constexpr (O0 + 4 <= outputs) {
    affine_lanes_block<Act, 4, O0, VectorBytes>(p, in, z, a);
    affine_lanes<Act, VectorBytes, O0 + 4>(p, in, z, a);
  } else if constexpr (O0 < outputs) {
    affine_lanes_block<Act, outputs - O0, O0, VectorBytes>(p, in, z, a);
  }
}

// The lane functions below take what they change by value and return it: a reference could point
// into the block they also read, and g++ at -O2 does not vectorise a loop that would need a run-time
// check for that (found in the bench build, where these are not inlined).

/** Returns Act(z) per lane for a vector activation (softmax), which gets each sample's units
    together; element-wise activations are applied in affine_lanes_block. */
template <VectorActivation Act, class T, std::size_t N, std::size_t S>
constexpr lanes<T, N, S> activate_lanes(const lanes<T, N, S>& z) {
  lanes<T, N, S> a;
  for (std::size_t s = 0; s < S; ++s) {
    std::array<T, N> zs, as;
    for (std::size_t k = 0; k < N; ++k) zs[k] = z[k][s];
    Act::apply(zs, as);
    for (std::size_t k = 0; k < N; ++k) a[k][s] = as[k];
  }
  return a;
}

/** Returns d = dL/da turned into dL/dz per lane (see activation_backward) for a vector activation;
    backward_lanes does it for element-wise ones. */
template <VectorActivation Act, class T, std::size_t N, std::size_t S>
constexpr lanes<T, N, S> activation_backward_lanes(const lanes<T, N, S>& z, const lanes<T, N, S>& a,
                                                   lanes<T, N, S> d) {
  for (std::size_t s = 0; s < S; ++s) {
    std::array<T, N> zs, as, ds;
    for (std::size_t k = 0; k < N; ++k) {
      zs[k] = z[k][s];
      as[k] = a[k][s];
      ds[k] = d[k][s];
    }
    Act::backward(zs, as, ds);
    for (std::size_t k = 0; k < N; ++k) d[k][s] = ds[k];
  }
  return d;
}

/** Runs the block's lanes through layers I, I+1, ... from the lanes `in` of layer I's input,
    keeping each layer's z and a. */
template <std::size_t VectorBytes, std::size_t I = 0, class Net, std::size_t S, class In>
inline void forward_lanes(const Net& model, lane_block<Net, S>& b, const In& in) {
  using L = typename Net::template layer_type<I>;
  auto& out = b.layers.template layer<I>();
  affine_lanes<typename L::activation, VectorBytes>(model.parameters().template layer<I>(), in, out.z, out.a);
  if constexpr (VectorActivation<typename L::activation>) out.a = activate_lanes<typename L::activation>(out.z);
  if constexpr (I + 1 < Net::layer_count) forward_lanes<VectorBytes, I + 1>(model, b, out.a);
}

/** Adds each lane's loss into b.cost and its classification into b.correct; returns the loss's
    gradient with respect to the last z. Flattened: at -O2 g++ would call the loss (too big to
    inline by default), and a loop with a call in it does not vectorise. */
template <class Net, std::size_t S, class L>
[[gnu::flatten]] constexpr lanes<typename Net::scalar, Net::output_size, S> loss_lanes(lane_block<Net, S>& b, L loss) {
  lanes<typename Net::scalar, Net::output_size, S> dz;
  using T = typename Net::scalar;
  using out_activation = typename Net::output_activation;
  constexpr std::size_t N = Net::output_size;
  const auto& last = b.layers.template layer<Net::layer_count - 1>();
  #pragma GCC unroll 1
  for (std::size_t s = 0; s < S; ++s) {
    std::array<T, N> zs, as, ys;
    for (std::size_t k = 0; k < N; ++k) {
      zs[k] = last.z[k][s];
      as[k] = last.a[k][s];
      ys[k] = b.y[k][s];
    }
    b.cost[s] += loss.template value<out_activation>(zs, as, ys);
    b.correct[s] += is_correct(as, ys) ? 1 : 0;
    const auto delta = loss.template delta<out_activation>(zs, as, ys);
    for (std::size_t k = 0; k < N; ++k) dz[k][s] = delta[k];
  }
  return dz;
}

/** Adds the block's gradient for layer I, from dz = dL/dz of that layer, then goes to layer I-1. */
template <std::size_t I, std::size_t VectorBytes, class Net, std::size_t S>
inline void backward_lanes(const Net& model, lane_block<Net, S>& b,
                              const lanes<typename Net::scalar, Net::template layer_type<I>::outputs, S> dz,
                              typename Net::gradients& g) {
  using T = typename Net::scalar;
  using L = typename Net::template layer_type<I>;
  constexpr std::size_t In = L::inputs, Out = L::outputs;
  constexpr std::size_t W = VectorBytes / sizeof(T), P = S / W;
  using V = simd<T, W>;
  const auto& in = lanes_input<Net, I>(b);
  if constexpr (sums_per_lane<L, T, S>) {
    auto& sums = b.layers.template layer<I>().gradient_sums;
    for (std::size_t i = 0; i < In; ++i) {
      std::array<V, P> x;
      #pragma GCC unroll 4
      for (std::size_t v = 0; v < P; ++v) load_to(x[v], &in[i][v * W]);
      #pragma GCC unroll 8
      for (std::size_t o = 0; o < Out; ++o) {
        T* to = sums.weights[i * Out + o].data();
        #pragma GCC unroll 4
        for (std::size_t v = 0; v < P; ++v) {
          V sum, d;
          load_to(sum, to + v * W);
          load_to(d, &dz[o][v * W]);
          store<W>(to + v * W, sum + d * x[v]);
        }
      }
    }
    #pragma GCC unroll 8
    for (std::size_t o = 0; o < Out; ++o) {
      T* to = sums.biases[o].data();
      #pragma GCC unroll 4
      for (std::size_t v = 0; v < P; ++v) {
        V sum, d;
        load_to(sum, to + v * W);
        load_to(d, &dz[o][v * W]);
        store<W>(to + v * W, sum + d);
      }
    }
  } else {
    // A wide layer: each sample's dz·xᵀ is already a vector loop over the outputs.
    for (std::size_t s = 0; s < S; ++s) {
      std::array<T, In> xs;
      std::array<T, Out> dzs;
      for (std::size_t i = 0; i < In; ++i) xs[i] = in[i][s];
      for (std::size_t o = 0; o < Out; ++o) dzs[o] = dz[o][s];
      L::template accumulate<VectorBytes>(xs, dzs, g.template layer<I>());
    }
  }
  if constexpr (I > 0) {
    // dA_prev[i] = Σ_o W[i][o]·dz[o]: the affine step over lanes with the weights read transposed,
    // turned into dZ_prev right after each input's sum where the activation is element-wise.
    using previous_activation = typename Net::template layer_type<I - 1>::activation;
    const auto& previous = b.layers.template layer<I - 1>();
    lanes<T, In, S> d_previous;
    const auto& p = model.parameters().template layer<I>();
    for (std::size_t i = 0; i < In; ++i) {
      std::array<V, P> sum{};
      #pragma GCC unroll 8
      for (std::size_t o = 0; o < Out; ++o) {
        const T w = p.weights[i * Out + o];
        #pragma GCC unroll 4
        for (std::size_t v = 0; v < P; ++v) {
          V d;
          load_to(d, &dz[o][v * W]);
          sum[v] += w * d;
        }
      }
      #pragma GCC unroll 4
      for (std::size_t v = 0; v < P; ++v) store<W>(&d_previous[i][v * W], sum[v]);
      if constexpr (!VectorActivation<previous_activation>) {
        #pragma GCC unroll 1
        for (std::size_t s = 0; s < S; ++s)
          d_previous[i][s] *= previous_activation::derivative(previous.z[i][s], previous.a[i][s]);
      }
    }
    if constexpr (VectorActivation<previous_activation>)
      d_previous = activation_backward_lanes<previous_activation>(previous.z, previous.a, d_previous);
    backward_lanes<I - 1, VectorBytes>(model, b, d_previous, g);
  }
}

/** Moves samples order(first), ..., order(first + S - 1) through the network, adding their loss and
    classifications into the block and their gradient into g or the lane sums. */
template <std::size_t VectorBytes, class Net, std::size_t S, class L, class Order>
inline void train_lanes(const Net& model, lane_block<Net, S>& b, std::span<const typename Net::input> inputs,
                           std::span<const typename Net::output> targets, const Order& order, std::size_t first,
                           L loss, typename Net::gradients& g) {
  if constexpr (sizeof(b.x) <= local_input_bytes) {
    lanes<typename Net::scalar, Net::input_size, S> x;
    gather(x, b, inputs, targets, order, first);
    b.x = x;
    forward_lanes<VectorBytes>(model, b, x);
  } else {
    gather(b.x, b, inputs, targets, order, first);
    forward_lanes<VectorBytes>(model, b, b.x);
  }
  backward_lanes<Net::layer_count - 1, VectorBytes>(model, b, loss_lanes(b, loss), g);
}

/** Trains the whole blocks of S samples from position `first` up to `end` (train_lanes on each) in
    vectors of VectorBytes; returns the position after the last. */
template <std::size_t VectorBytes, class Net, std::size_t S, class L, class Order>
inline std::size_t train_blocks(const Net& model, lane_block<Net, S>& b, std::span<const typename Net::input> inputs,
                                std::span<const typename Net::output> targets, const Order& order, std::size_t first,
                                std::size_t end, L loss, typename Net::gradients& g) {
  for (; first + S <= end; first += S) train_lanes<VectorBytes>(model, b, inputs, targets, order, first, loss, g);
  return first;
}

#ifdef CTNN_AVX2_AT_RUN_TIME
/** train_blocks compiled for AVX2, in vectors of S lanes where the build's are narrower (an SSE2
    build's block of 8 floats is two SSE registers, here one AVX2 register): each lane computes what
    it computes in the build's code, operation by operation, and the lanes are the same samples, so
    the results are the same bit for bit (tests/test_train_lanes.cpp). */
template <class Net, std::size_t S, class L, class Order>
CTNN_AVX2_CODE std::size_t train_blocks_avx2(
    const Net& model, lane_block<Net, S>& b, std::span<const typename Net::input> inputs,
    std::span<const typename Net::output> targets, const Order& order, std::size_t first, std::size_t end, L loss,
    typename Net::gradients& g) {
  static_assert(S * sizeof(typename Net::scalar) % avx2_batch.vector_bytes == 0, "a block is whole AVX2 registers");
  return train_blocks<avx2_batch.vector_bytes>(model, b, inputs, targets, order, first, end, loss, g);
}
#endif

/** Adds the lane sums of the small layers into g and clears them; returns and clears the batch's cost. */
template <class Net, std::size_t S>
constexpr typename Net::scalar collect_lanes(lane_block<Net, S>& b, typename Net::gradients& g) {
  using T = typename Net::scalar;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          using L = typename Net::template layer_type<I>;
          if constexpr (sums_per_lane<L, T, S>) {
            auto& sums = b.layers.template layer<I>().gradient_sums;
            auto& gl = g.template layer<I>();
            for (std::size_t j = 0; j < gl.weights.size(); ++j)
              for (std::size_t s = 0; s < S; ++s) gl.weights[j] += sums.weights[j][s];
            for (std::size_t o = 0; o < gl.biases.size(); ++o)
              for (std::size_t s = 0; s < S; ++s) gl.biases[o] += sums.biases[o][s];
            sums = {};
          }
        }(),
        ...);
  }(std::make_index_sequence<Net::layer_count>{});
  T cost{};
  for (std::size_t s = 0; s < S; ++s) cost += b.cost[s];
  b.cost = {};
  return cost;
}

}  // namespace ctnn::detail
