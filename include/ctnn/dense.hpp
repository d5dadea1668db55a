// ctnn/dense.hpp - a fully connected layer: Z = W·A_prev + b, A = activation(Z).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>

#include "ctnn/activation.hpp"
#include "ctnn/random.hpp"

namespace ctnn {

namespace detail {
// Bytes of partial sums a kernel keeps in registers: 8 vector registers of the target.
#if defined(__AVX512F__)
inline constexpr std::size_t register_block_bytes = 512;
#else
inline constexpr std::size_t register_block_bytes = 256;
#endif
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
      independent outputs and vectorise without -ffast-math (see DESIGN.md). */
  template <std::floating_point T>
  struct params {
    std::array<T, In * Out> weights{};  // weights[i * Out + o] connects input i to output o
    std::array<T, Out> biases{};

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
      stores it per input), and 8 independent sums hide the multiply-add latency. */
  template <std::floating_point T>
  static constexpr std::size_t output_block = detail::register_block_bytes / sizeof(T);

  /** Computes z = W·x + b and a = activation(z) into `c`. */
  template <std::floating_point T>
  static constexpr void forward(const params<T>& p, const std::array<T, In>& x, cache<T>& c) {
    affine_from<0>(p, x, c.z);
    detail::activate<Act>(c.z, c.a);
  }

  /** Computes z[o] = b[o] + Σ_i W[i][o]·x[i] for o in [Begin, Out), a register block at a time. */
  template <std::size_t Begin, std::floating_point T>
  static constexpr void affine_from(const params<T>& p, const std::array<T, In>& x, std::array<T, Out>& z) {
    if constexpr (Begin < Out) {
      constexpr std::size_t width = Out - Begin < output_block<T> ? Out - Begin : output_block<T>;
      std::array<T, width> sum{};
      for (std::size_t k = 0; k < width; ++k) sum[k] = p.biases[Begin + k];
      for (std::size_t i = 0; i < In; ++i) {
        const T xi = x[i];
        for (std::size_t k = 0; k < width; ++k) sum[k] += p.weights[i * Out + Begin + k] * xi;
      }
      for (std::size_t k = 0; k < width; ++k) z[Begin + k] = sum[k];
      affine_from<Begin + width>(p, x, z);
    }
  }

  /** Adds one sample's gradient, dW += dz·xᵀ and db += dz, into `g` (the sum; the optimizer divides by m). */
  template <std::floating_point T>
  static constexpr void accumulate(const std::array<T, In>& x, const std::array<T, Out>& dz, params<T>& g) {
    for (std::size_t i = 0; i < In; ++i) {
      const T xi = x[i];
      for (std::size_t o = 0; o < Out; ++o) g.weights[i * Out + o] += dz[o] * xi;
    }
    for (std::size_t o = 0; o < Out; ++o) g.biases[o] += dz[o];
  }

  /** Computes dx = Wᵀ·dz, the gradient with respect to this layer's input. Each dx[i] is a sum
      over the outputs; summed in `lanes` independent partial sums (one 64-byte vector) and then
      added pairwise, it vectorises without -ffast-math, where a single running sum is a chain of
      dependent adds. */
  template <std::floating_point T>
  static constexpr void propagate(const params<T>& p, const std::array<T, Out>& dz, std::array<T, In>& dx) {
    constexpr std::size_t lanes = Out >= 64 / sizeof(T) ? 64 / sizeof(T) : 1;
    constexpr std::size_t vector_end = Out - Out % lanes;
    for (std::size_t i = 0; i < In; ++i) {
      std::array<T, lanes> partial{};
      for (std::size_t o = 0; o < vector_end; o += lanes)
        for (std::size_t l = 0; l < lanes; ++l) partial[l] += p.weights[i * Out + o + l] * dz[o + l];
      T sum = add_pairwise<lanes>(partial);
      for (std::size_t o = vector_end; o < Out; ++o) sum += p.weights[i * Out + o] * dz[o];
      dx[i] = sum;
    }
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

  /** Applies one sample's gradient descent step in place, W -= rate·dz·xᵀ and b -= rate·dz:
      what accumulate() and sgd::step do for a batch of one, in one pass and without a gradient buffer. */
  template <std::floating_point T>
  static constexpr void descend(params<T>& p, const std::array<T, In>& x, const std::array<T, Out>& dz, T rate) {
    std::array<T, Out> step{};
    for (std::size_t o = 0; o < Out; ++o) step[o] = rate * dz[o];
    for (std::size_t i = 0; i < In; ++i) {
      const T xi = x[i];
      for (std::size_t o = 0; o < Out; ++o) p.weights[i * Out + o] -= step[o] * xi;
    }
    for (std::size_t o = 0; o < Out; ++o) p.biases[o] -= step[o];
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
