// ctnn/network.hpp - a multilayer perceptron whose topology is a type.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>

#include "ctnn/dense.hpp"
#include "ctnn/random.hpp"

namespace ctnn {

namespace detail {

/** Fails to compile, naming both sizes in its template arguments, when layer
    `Index`'s output does not feed layer `Index + 1`'s input. */
template <std::size_t Index, std::size_t OutputsOfLayer, std::size_t InputsOfNextLayer>
constexpr bool check_layer_sizes_match() {
  static_assert(OutputsOfLayer == InputsOfNextLayer,
                "ctnn::network: the output size of layer Index must equal the input size of layer Index+1 "
                "(the numbers are the template arguments of check_layer_sizes_match<Index, OutputsOfLayer, "
                "InputsOfNextLayer> in the note below)");
  return OutputsOfLayer == InputsOfNextLayer;
}

template <class... Layers>
constexpr bool layers_connect() {
  constexpr std::size_t outs[] = {Layers::outputs...};
  constexpr std::size_t ins[] = {Layers::inputs...};
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return (check_layer_sizes_match<I, outs[I], ins[I + 1]>() && ... && true);
  }(std::make_index_sequence<sizeof...(Layers) - 1>{});
}

template <class... Layers>
struct last_of {
  using type = typename decltype((std::type_identity<Layers>{}, ...))::type;
};

/** One value per layer, in a Boost.Hana tuple, with a typed accessor. */
template <template <class> class Of, class... Layers>
struct per_layer {
  boost::hana::tuple<typename Of<Layers>::type...> layers;

  /** Returns layer `I`'s part. */
  template <std::size_t I>
  constexpr auto& layer() { return boost::hana::at_c<I>(layers); }
  template <std::size_t I>
  constexpr const auto& layer() const { return boost::hana::at_c<I>(layers); }

  friend constexpr bool operator==(const per_layer& a, const per_layer& b) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return ((a.template layer<I>() == b.template layer<I>()) && ...);
    }(std::index_sequence_for<Layers...>{});
  }
};

}  // namespace detail

namespace detail {
template <std::size_t I, class F, class... Params>
constexpr void apply_to_layer_arrays(F& f, Params&... p) {
  f(p.template layer<I>().weights...);
  f(p.template layer<I>().biases...);
}
}  // namespace detail

/** Calls f(a.weights, b.weights, ...) and f(a.biases, b.biases, ...) for every layer of
    one or more parameter-shaped values (params, gradients, optimizer state). */
template <class F, class First, class... Rest>
constexpr void for_each_array(F&& f, First& first, Rest&... rest) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (detail::apply_to_layer_arrays<I>(f, first, rest...), ...);
  }(std::make_index_sequence<std::remove_const_t<First>::layer_count>{});
}

/** A feed-forward network of `Layers`, computing in `T`. Holds only its parameters.

    using net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 1, ctnn::sigmoid>>;

    Pitfall: a network, its trace and its gradients are plain arrays; a big one
    belongs in static storage, not on a small stack. */
template <std::floating_point T, Layer... Layers>
class network {
  static_assert(sizeof...(Layers) > 0, "ctnn::network: a network needs at least one layer");
  static_assert(detail::layers_connect<Layers...>());

  template <class L>
  struct params_of {
    using type = typename L::template params<T>;
  };
  template <class L>
  struct cache_of {
    using type = typename L::template cache<T>;
  };
  template <std::size_t I>
  using layer_t = std::tuple_element_t<I, std::tuple<Layers...>>;
  using last_layer = typename detail::last_of<Layers...>::type;

 public:
  using scalar = T;
  static constexpr std::size_t layer_count = sizeof...(Layers);
  static constexpr std::size_t input_size = layer_t<0>::inputs;
  static constexpr std::size_t output_size = last_layer::outputs;
  using output_activation = typename last_layer::activation;

  /** Layer I's description (a dense<In, Out, Act>). */
  template <std::size_t I>
  using layer_type = layer_t<I>;
  /** One Of<Layer>::type per layer, in a Boost.Hana tuple with layer<I>() (params and trace are such). */
  template <template <class> class Of>
  using per_layer_of = detail::per_layer<Of, Layers...>;

  using input = std::array<T, input_size>;
  using output = std::array<T, output_size>;

  /** Weights and biases of every layer. */
  struct params : detail::per_layer<params_of, Layers...> {
    static constexpr std::size_t layer_count = sizeof...(Layers);
  };
  /** Gradients: the same shape as the parameters. */
  using gradients = params;
  /** What forward() keeps for backward(): each layer's z and a. */
  struct trace : detail::per_layer<cache_of, Layers...> {
    static constexpr std::size_t layer_count = sizeof...(Layers);
  };

  /** Number of trainable scalars. */
  static constexpr std::size_t parameter_count = ((Layers::inputs * Layers::outputs + Layers::outputs) + ...);
  /** Bytes of memory each value needs: a firmware build can static_assert them against its RAM. */
  static constexpr std::size_t params_bytes = sizeof(params);
  static constexpr std::size_t trace_bytes = sizeof(trace);
  static constexpr std::size_t gradients_bytes = sizeof(gradients);

  /** Makes a network whose parameters are all zero. */
  constexpr network() = default;

  /** Makes a network with the given parameters (e.g. trained weights kept in flash). */
  constexpr explicit network(const params& p) : params_{p} {}

  /** Makes a network with weights drawn by `init` from `seed` and zero biases. */
  template <Initializer Init>
  constexpr network(Init init, std::uint64_t seed) {
    initialize(init, seed);
  }

  /** Redraws every weight with `init` from `seed` and zeroes the biases. */
  template <Initializer Init>
  constexpr void initialize(Init init, std::uint64_t seed) {
    if (std::is_constant_evaluated()) {
      draw_parameters(init, seed);
    } else {
      // A plain function here ends at once g++'s attempt to fold `const net m{he{}, 1};`
      // at compile time, which otherwise costs seconds per object for big networks.
      draw_parameters_at_run_time(init, seed);
    }
  }

  constexpr params& parameters() { return params_; }
  constexpr const params& parameters() const { return params_; }

  /** Runs x through every layer, keeping each layer's z and a in `t`; returns the output, held in `t`.
      AVX-512 or AVX2 code where predict(x) has it, with the same results bit for bit. */
  constexpr const output& forward(const input& x, trace& t) const {
#ifdef CTNN_AVX2_AT_RUN_TIME
    if constexpr (avx2_helps) {
      if (!std::is_constant_evaluated()) {
        if (detail::runs_avx512()) return forward_avx512(x, t);
        if (detail::runs_avx2()) return forward_avx2(x, t);
      }
    }
#endif
    return forward_in<detail::vector_bytes>(x, t);
  }

  /** Returns the network's output for x: forward's output, without keeping a trace. In a build for
      x86-64 without AVX, with code compiled for AVX-512 or AVX2 where the core has it and a layer
      has at least an AVX2 vector's worth of outputs (detail::runs_avx512, detail::runs_avx2,
      avx2_helps): the same output, bit for bit. */
  constexpr output predict(const input& x) const {
#ifdef CTNN_AVX2_AT_RUN_TIME
    if constexpr (avx2_helps) {
      if (!std::is_constant_evaluated()) {
        if (detail::runs_avx512()) return predict_avx512(x);
        if (detail::runs_avx2()) return predict_avx2(x);
      }
    }
#endif
    return predict_one<detail::native_batch>(x);
  }

  /** Backpropagates one sample: given the loss's gradient with respect to the last
      layer's z (`output_delta`, see loss.hpp) and the trace of forward(x), adds
      this sample's dW and db to `g`, from the output layer to the input layer. AVX-512 or AVX2
      code where predict(x) has it, with the same results bit for bit. */
  constexpr void backward(const input& x, const trace& t, const output& output_delta, gradients& g) const {
#ifdef CTNN_AVX2_AT_RUN_TIME
    if constexpr (avx2_helps) {
      if (!std::is_constant_evaluated()) {
        if (detail::runs_avx512()) return backward_avx512(x, t, output_delta, g);
        if (detail::runs_avx2()) return backward_avx2(x, t, output_delta, g);
      }
    }
#endif
    backward_layer<layer_count - 1, detail::vector_bytes>(x, t, output_delta, g);
  }

  /** Backpropagates one sample and takes a plain gradient descent step at once: the same
      parameters as backward() into zeroed gradients followed by sgd{rate}.step(..., 1, ...)
      (to rounding), in one pass per layer and without a gradient buffer. Each layer's input
      gradient is computed before its weights change, as the reference's backward pass does.
      AVX-512 or AVX2 code where predict(x) has it, with the same results bit for bit. */
  constexpr void descend(const input& x, const trace& t, const output& output_delta, T learning_rate) {
#ifdef CTNN_AVX2_AT_RUN_TIME
    if constexpr (avx2_helps) {
      if (!std::is_constant_evaluated()) {
        if (detail::runs_avx512()) return descend_avx512(x, t, output_delta, learning_rate);
        if (detail::runs_avx2()) return descend_avx2(x, t, output_delta, learning_rate);
      }
    }
#endif
    descend_layer<layer_count - 1, detail::vector_bytes>(x, t, output_delta, learning_rate);
  }

  /** Writes the network's output for each input into `outputs` (the first min(sizes) samples),
      the same values as predict(inputs[k]), bit for bit (without FMA contraction: with it, g++
      fuses a·b+c or not depending on what it inlined where). Computes several samples at a time
      where the target has vector registers (detail::sample_block); in a build for x86-64 without
      AVX, with code compiled for AVX-512 or AVX2 where the core has it (detail::runs_avx512,
      detail::runs_avx2). */
  constexpr void predict(std::span<const input> inputs, std::span<output> outputs) const {
#ifdef CTNN_AVX2_AT_RUN_TIME
    if (!std::is_constant_evaluated()) {
      if (detail::runs_avx512()) return predict_in_batches_avx512(inputs, outputs);
      if (detail::runs_avx2()) return predict_in_batches_avx2(inputs, outputs);
    }
#endif
    predict_in_batches<detail::native_batch>(inputs, outputs);
  }

  /** predict over a span with batched kernels of the given shape (detail::batch_shape): the same
      outputs whatever the shape (tests/test_network.cpp). predict picks the shape; public for the
      tests, which check every shape this build has. */
  template <detail::batch_shape Shape>
  constexpr void predict_in_batches(std::span<const input> inputs, std::span<output> outputs) const {
    const std::size_t n = inputs.size() < outputs.size() ? inputs.size() : outputs.size();
    constexpr std::size_t S = Shape.samples;
    std::size_t k = 0;
    if constexpr (S > 1) {
      for (; k + S <= n; k += S) {
        forward_samples<0, Shape, S>(&inputs[k], outputs.subspan(k, S));
      }
    }
    for (; k < n; ++k) outputs[k] = predict_one<Shape>(inputs[k]);
  }

#ifdef CTNN_AVX2_AT_RUN_TIME
  // Code for cores with more than the build's SSE2, picked at run time: predict over a span and
  // per sample, forward (train's per-sample pass, and the first half of the fused training step),
  // backward and descend, in AVX2 and in AVX-512. Public for the tests, which run each copy this
  // core can (the functions above pick the widest).

  /** predict_in_batches in detail::avx2_batch's shape, compiled for AVX2 (CTNN_AVX2_CODE). */
  CTNN_AVX2_CODE void predict_in_batches_avx2(std::span<const input> inputs, std::span<output> outputs) const {
    predict_in_batches<detail::avx2_batch>(inputs, outputs);
  }

  /** predict_in_batches in detail::avx512_batch's shape, compiled for AVX-512 without FMA
      contraction (CTNN_AVX512_CODE). */
  CTNN_AVX512_CODE void predict_in_batches_avx512(std::span<const input> inputs, std::span<output> outputs) const {
    predict_in_batches<detail::avx512_batch>(inputs, outputs);
  }

  /** predict(x) in AVX2 vectors, compiled for AVX2 (CTNN_AVX2_CODE). */
  CTNN_AVX2_CODE output predict_avx2(const input& x) const {
    return predict_one<detail::avx2_batch>(x);
  }
  /** predict(x) in AVX-512 vectors, compiled for AVX-512 without FMA contraction (CTNN_AVX512_CODE). */
  CTNN_AVX512_CODE output predict_avx512(const input& x) const {
    return predict_one<detail::avx512_batch>(x);
  }

  /** forward in AVX2 vectors, compiled for AVX2 (CTNN_AVX2_CODE). */
  CTNN_AVX2_CODE const output& forward_avx2(const input& x, trace& t) const {
    return forward_in<detail::avx2_batch.vector_bytes>(x, t);
  }
  /** backward in AVX2 vectors, compiled for AVX2 (CTNN_AVX2_CODE). */
  CTNN_AVX2_CODE void backward_avx2(const input& x, const trace& t, const output& output_delta, gradients& g) const {
    backward_layer<layer_count - 1, detail::avx2_batch.vector_bytes>(x, t, output_delta, g);
  }
  /** descend in AVX2 vectors, compiled for AVX2 (CTNN_AVX2_CODE). */
  CTNN_AVX2_CODE void descend_avx2(const input& x, const trace& t, const output& output_delta, T learning_rate) {
    descend_layer<layer_count - 1, detail::avx2_batch.vector_bytes>(x, t, output_delta, learning_rate);
  }
  /** forward in AVX-512 vectors, compiled for AVX-512 without FMA contraction (CTNN_AVX512_CODE). */
  CTNN_AVX512_CODE const output& forward_avx512(const input& x, trace& t) const {
    return forward_in<detail::avx512_batch.vector_bytes>(x, t);
  }
  /** backward in AVX-512 vectors, compiled for AVX-512 without FMA contraction (CTNN_AVX512_CODE). */
  CTNN_AVX512_CODE void backward_avx512(const input& x, const trace& t, const output& output_delta,
                                        gradients& g) const {
    backward_layer<layer_count - 1, detail::avx512_batch.vector_bytes>(x, t, output_delta, g);
  }
  /** descend in AVX-512 vectors, compiled for AVX-512 without FMA contraction (CTNN_AVX512_CODE). */
  CTNN_AVX512_CODE void descend_avx512(const input& x, const trace& t, const output& output_delta, T learning_rate) {
    descend_layer<layer_count - 1, detail::avx512_batch.vector_bytes>(x, t, output_delta, learning_rate);
  }
#endif

  friend constexpr bool operator==(const network&, const network&) = default;

 private:
  template <detail::batch_shape Shape>
  constexpr output predict_one(const input& x) const {
    output y;
    forward_samples<0, Shape, 1>(&x, std::span<output>{&y, 1});
    return y;
  }

  template <std::size_t VectorBytes>
  constexpr const output& forward_in(const input& x, trace& t) const {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (forward_layer<I, VectorBytes>(x, t), ...);  // a comma fold runs left to right: layer 0 first
    }(std::index_sequence_for<Layers...>{});
    return t.template layer<layer_count - 1>().a;
  }

#ifdef CTNN_AVX2_AT_RUN_TIME
  /** Whether some layer has an AVX2 vector's worth of outputs or more, which the AVX2 code of
      predict(x), forward, backward and descend (and their AVX-512 code) computes in vectors wider
      than the build's: a network without one (a float 3-5-3-1) keeps the build's code there,
      inlined where it is called. (predict over a span and train's blocks of samples gain from
      AVX2 at any width.) */
  static constexpr bool avx2_helps =
      detail::has_simd<T> && ((Layers::outputs * sizeof(T) >= detail::avx2_batch.vector_bytes) || ...);
#endif

  /** Multiplies the gradient with respect to layer I-1's activation by that activation's derivative. */
  template <std::size_t I>
  static constexpr void through_previous_activation(const trace& t, std::array<T, layer_t<I>::inputs>& d) {
    const auto& cache = t.template layer<I - 1>();
    detail::activation_backward<typename layer_t<I - 1>::activation>(cache.z, cache.a, d);
  }

  template <std::size_t I, std::size_t VectorBytes>
  constexpr void descend_layer(const input& x, const trace& t, const std::array<T, layer_t<I>::outputs>& dz,
                               T learning_rate) {
    using L = layer_t<I>;
    if constexpr (I > 0) {
      std::array<T, L::inputs> dz_previous;  // from the weights before this step
      L::template propagate_and_descend<VectorBytes>(params_.template layer<I>(), layer_input<I>(x, t), dz,
                                                     learning_rate, dz_previous);
      through_previous_activation<I>(t, dz_previous);
      descend_layer<I - 1, VectorBytes>(x, t, dz_previous, learning_rate);
    } else {
      L::template descend<VectorBytes>(params_.template layer<I>(), x, dz, learning_rate);
    }
  }

  template <Initializer Init>
  constexpr void draw_parameters(Init init, std::uint64_t seed) {
    random_engine rng{seed};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (layer_t<I>::initialize(params_.template layer<I>(), init, rng), ...);
    }(std::index_sequence_for<Layers...>{});
  }

  template <Initializer Init>
  void draw_parameters_at_run_time(Init init, std::uint64_t seed) {
    draw_parameters(init, seed);
  }

  template <std::size_t I>
  constexpr const auto& layer_input(const input& x, const trace& t) const {
    if constexpr (I == 0) {
      return x;
    } else {
      return t.template layer<I - 1>().a;
    }
  }

  /** Runs the S samples xs[0], ..., xs[S - 1] (one after another in memory) through layers I,
      I+1, ... into `out`, each layer's activations on the stack only while the next layer reads
      them (no trace: nothing is kept for a backward pass). */
  template <std::size_t I, detail::batch_shape Shape, std::size_t S>
  constexpr void forward_samples(const std::array<T, layer_t<I>::inputs>* xs, std::span<output> out) const {
    using L = layer_t<I>;
    std::array<std::array<T, L::outputs>, S> z;
    L::template affine_samples<S, Shape>(params_.template layer<I>(), xs, z);
    if constexpr (I + 1 < layer_count) {
      std::array<std::array<T, L::outputs>, S> a;
      for (std::size_t s = 0; s < S; ++s) detail::activate<typename L::activation>(z[s], a[s]);
      forward_samples<I + 1, Shape, S>(a.data(), out);
    } else {
      for (std::size_t s = 0; s < S; ++s) detail::activate<typename L::activation>(z[s], out[s]);
    }
  }

  template <std::size_t I, std::size_t VectorBytes>
  constexpr void forward_layer(const input& x, trace& t) const {
    layer_t<I>::template forward<VectorBytes>(params_.template layer<I>(), layer_input<I>(x, t), t.template layer<I>());
  }

  template <std::size_t I, std::size_t VectorBytes>
  constexpr void backward_layer(const input& x, const trace& t, const std::array<T, layer_t<I>::outputs>& dz,
                                gradients& g) const {
    using L = layer_t<I>;
    if constexpr (I > 0) {
      std::array<T, L::inputs> dz_previous;  // dA_prev = Wᵀ·dZ, then times the previous activation's derivative
      // Wᵀ·dz first, while the weights the forward pass read last may be in L1 (the gradient's
      // stores would push them out): 64-128-128-10's backward + sgd 4,129 -> 3,996 ns (docs/speed.md).
      L::template propagate<VectorBytes>(params_.template layer<I>(), dz, dz_previous);
      L::template accumulate<VectorBytes>(layer_input<I>(x, t), dz, g.template layer<I>());
      through_previous_activation<I>(t, dz_previous);
      backward_layer<I - 1, VectorBytes>(x, t, dz_previous, g);
    } else {
      L::template accumulate<VectorBytes>(layer_input<I>(x, t), dz, g.template layer<I>());
    }
  }

  params params_{};
};

}  // namespace ctnn
