// ctnn/dense.hpp - a fully connected layer: Z = W·A_prev + b, A = activation(Z).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>

#include "ctnn/activation.hpp"
#include "ctnn/random.hpp"

namespace ctnn {

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

  /** Computes z = W·x + b and a = activation(z) into `c`. */
  template <std::floating_point T>
  static constexpr void forward(const params<T>& p, const std::array<T, In>& x, cache<T>& c) {
    c.z = p.biases;
    for (std::size_t i = 0; i < In; ++i) {
      const T xi = x[i];
      for (std::size_t o = 0; o < Out; ++o) c.z[o] += p.weights[i * Out + o] * xi;
    }
    for (std::size_t o = 0; o < Out; ++o) c.a[o] = Act::value(c.z[o]);
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

  /** Computes dx = Wᵀ·dz, the gradient with respect to this layer's input. */
  template <std::floating_point T>
  static constexpr void propagate(const params<T>& p, const std::array<T, Out>& dz, std::array<T, In>& dx) {
    for (std::size_t i = 0; i < In; ++i) {
      T sum{};
      for (std::size_t o = 0; o < Out; ++o) sum += p.weights[i * Out + o] * dz[o];
      dx[i] = sum;
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
