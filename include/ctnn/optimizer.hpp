// ctnn/optimizer.hpp - optimizers: how summed gradients change the parameters.
//
// Every optimizer takes the gradient SUMMED over a batch and divides by the batch size
// itself (the reference's dW = dZ·A_prevᵀ / m). Hyper-parameters are double fields, so
// designated initializers read naturally; each step converts them to the network's
// scalar type once, and all per-parameter arithmetic is in that type (a float network
// on a single-precision FPU does no double arithmetic).
//
// L2 weight decay (`weight_decay`, λ) adds λ·w to the mean gradient of the WEIGHTS
// only; biases are not decayed (as in most references: a bias does not grow the
// function's slope, and decaying it only biases the fit). This is the classic
// coupled L2 penalty (λ/2)·‖W‖² on the loss, as PyTorch's `weight_decay` argument of
// SGD and Adam, not AdamW's decoupled decay.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include "ctnn/math.hpp"
#include "ctnn/network.hpp"

namespace ctnn {

/** Updates parameters from the gradients summed over a batch of `batch_size` samples,
    keeping whatever it needs between steps in a state<Params> value sized by the type.
    Satisfied by sgd, momentum, adam. */
template <class O, class Params>
concept Optimizer = requires(const O& o, Params& p, const Params& g, typename O::template state<Params>& s) {
  o.step(p, g, std::size_t{1}, s);
};

namespace detail {

/** The scalar type of a parameter-shaped value (params, gradients, optimizer state). */
template <class Params>
using scalar_of =
    typename std::remove_cvref_t<decltype(std::declval<Params&>().template layer<0>().biases)>::value_type;

template <std::size_t I, class T, class F, class... Params>
constexpr void apply_to_layer_arrays_with_decay(T weight_decay, F& f, Params&... p) {
  f(weight_decay, p.template layer<I>().weights...);
  f(T{0}, p.template layer<I>().biases...);
}

/** Calls f(decay, a.weights, b.weights, ...) and f(T{0}, a.biases, b.biases, ...) for every layer:
    like for_each_array, but telling each call the weight decay that applies to its arrays. */
template <class T, class F, class First, class... Rest>
constexpr void for_each_array_with_decay(T weight_decay, F&& f, First& first, Rest&... rest) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (apply_to_layer_arrays_with_decay<I>(weight_decay, f, first, rest...), ...);
  }(std::make_index_sequence<std::remove_const_t<First>::layer_count>{});
}

/** Lanes in which elementwise runs: AVX's or SSE's vector width, whose sqrt instructions
    vector_sqrt calls (g++'s vector extension has no sqrt, and a plain loop calling sqrt stays
    scalar even at -O3: g++ keeps a branch to libm's sqrt for errno); 1 without vector registers
    (has_simd is false then, with CTNN_PLAIN_KERNELS too). */
#if defined(__AVX__)
template <class T>
inline constexpr std::size_t elementwise_lanes = has_simd<T> ? 32 / sizeof(T) : 1;
#elif defined(__SSE2__)
template <class T>
inline constexpr std::size_t elementwise_lanes = has_simd<T> ? 16 / sizeof(T) : 1;
#else
template <class T>
inline constexpr std::size_t elementwise_lanes = 1;
#endif

/** Whether x or one of `more` is NaN or infinite, from the exponent bits (as math::is_non_finite_bits):
    for values a bool, for vectors a mask with every bit of such a lane set, for elementwise to OR. */
template <class X, class... More>
constexpr auto non_finite(const X& x, const More&... more) {
  if constexpr (std::is_floating_point_v<X>) {
    return ((static_cast<unsigned>(math::is_non_finite_bits(x)) | ... |
             static_cast<unsigned>(math::is_non_finite_bits(more)))) != 0;  // no early exit: branch-free
  } else {
    using T = std::remove_cvref_t<decltype(x[0])>;
    using bits_type = std::conditional_t<sizeof(T) == 4, std::int32_t, std::int64_t>;
    using bits = simd<bits_type, sizeof(X) / sizeof(T)>;
    constexpr auto exponent = static_cast<bits_type>(std::bit_cast<std::make_unsigned_t<bits_type>>(
        std::numeric_limits<T>::infinity()));
    const auto lanes = [](const X& v) { return (std::bit_cast<bits>(v) & exponent) == exponent; };  // -1 or 0
    return (lanes(x) | ... | lanes(more));
  }
}

/** Lanes [k, k + Count) of `array` in a vector of Lanes, zeros after them. Lane by lane where
    Count is short of a vector, unrolled: g++ turns a copy loop into a call to memcpy, and a
    vector load after a copy through memory stalls. */
template <std::size_t Count, std::size_t Lanes, class Array>
inline auto load_lanes(const Array& array, std::size_t k) {
  using T = typename Array::value_type;
  if constexpr (Count == Lanes) {
    return load<Lanes>(array.data() + k);
  } else {
    simd<T, Lanes> v{};
    #pragma GCC unroll 64
    for (std::size_t j = 0; j < Count; ++j) v[j] = array[k + j];
    return v;
  }
}

/** Stores the first Count lanes of v into `array` from k on; nothing into a const array. */
template <std::size_t Count, std::size_t Lanes, class Array, class V>
inline void store_lanes(Array& array, std::size_t k, const V& v) {
  if constexpr (!std::is_const_v<Array>) {
    if constexpr (Count == Lanes) {
      store<Lanes>(array.data() + k, v);
    } else {
      #pragma GCC unroll 64
      for (std::size_t j = 0; j < Count; ++j) array[k + j] = v[j];
    }
  }
}

/** elementwise's step over values [k, k + Count) of every array, in vectors of Lanes; returns what f returns. */
template <std::size_t Count, std::size_t Lanes, class F, class First, class... Rest>
inline auto elementwise_vectors(std::size_t k, F& f, First& first, Rest&... rest) {
  using vec = simd<typename std::remove_cv_t<First>::value_type, Lanes>;
  std::array<vec, 1 + sizeof...(Rest)> v{load_lanes<Count, Lanes>(first, k), load_lanes<Count, Lanes>(rest, k)...};
  return [&]<std::size_t... I>(std::index_sequence<0, I...>) {
    const auto store_all = [&] {
      store_lanes<Count, Lanes>(first, k, v[0]);
      (store_lanes<Count, Lanes>(rest, k, v[I]), ...);
    };
    if constexpr (std::is_void_v<decltype(f(v[0], v[I]...))>) {
      f(v[0], v[I]...);
      store_all();
    } else {
      auto mask = f(v[0], v[I]...);
      store_all();
      // Padding lanes are zeros, which f may still turn into NaN (adam with epsilon 0: 0/0): not values.
      for (std::size_t j = Count; j < Lanes; ++j) mask[j] = 0;
      return mask;
    }
  }(std::make_index_sequence<1 + sizeof...(Rest)>{});
}

/** Calls f(a[k], b[k], ...) for every k of the arrays a, b, ... (of one size and scalar type):
    f's arithmetic, written once, runs on vectors of elementwise_lanes values, each lane rounding
    as the scalar code does, and what f assigns to an element of a non-const array is stored. The
    values after the last whole vector go through the same vector code, padded with zeros, so that
    every value's arithmetic is the same instructions (with FMA, g++ may fuse a plain loop's
    a·b + c·d differently). In constant evaluation, and without vector registers, a plain loop.
    Where f returns a mask (non_finite's), returns whether any lane of a value was set: the masks
    are ORed in a vector, and its lanes read once at the end. */
template <class F, class First, class... Rest>
constexpr bool elementwise(F&& f, First& first, Rest&... rest) {
  using T = typename std::remove_cv_t<First>::value_type;
  constexpr std::size_t n = std::tuple_size_v<std::remove_cv_t<First>>;
  static_assert(((std::tuple_size_v<std::remove_cv_t<Rest>> == n) && ...), "elementwise: arrays of one size");
  constexpr std::size_t lanes = elementwise_lanes<T>;
  if constexpr (lanes > 1) {
    if (!std::is_constant_evaluated()) {
      using mask = decltype(elementwise_vectors<lanes, lanes>(0, f, first, rest...));
      constexpr std::size_t whole = n / lanes * lanes;
      if constexpr (std::is_void_v<mask>) {
        for (std::size_t k = 0; k < whole; k += lanes) elementwise_vectors<lanes, lanes>(k, f, first, rest...);
        if constexpr (whole < n) elementwise_vectors<n - whole, lanes>(whole, f, first, rest...);
        return false;
      } else {
        mask any{};
        for (std::size_t k = 0; k < whole; k += lanes) any |= elementwise_vectors<lanes, lanes>(k, f, first, rest...);
        if constexpr (whole < n) any |= elementwise_vectors<n - whole, lanes>(whole, f, first, rest...);
        bool found = false;  // once per array: a plain loop over the lanes
        for (std::size_t j = 0; j < lanes; ++j) found = found || any[j] != 0;
        return found;
      }
    }
  }
  if constexpr (std::is_void_v<decltype(f(first[0], rest[0]...))>) {
    for (std::size_t k = 0; k < n; ++k) f(first[k], rest[k]...);
    return false;
  } else {
    unsigned any = 0;  // an OR without early exit: the loop stays branch-free
    for (std::size_t k = 0; k < n; ++k) any |= static_cast<unsigned>(f(first[k], rest[k]...));
    return any != 0;
  }
}

/** √x in each lane: the instruction sqrtss or sqrtsd uses, so the same correctly rounded values.
    Newer clang has a generic builtin in place of the x86 ones. */
template <class V>
inline V vector_sqrt(const V& x) {
#if __has_builtin(__builtin_elementwise_sqrt)
  return __builtin_elementwise_sqrt(x);
#else
#if defined(__AVX__)
  if constexpr (sizeof(V) == 32) {
    if constexpr (sizeof(x[0]) == 4) {
      return __builtin_ia32_sqrtps256(x);
    } else {
      return __builtin_ia32_sqrtpd256(x);
    }
  }
#endif
#if defined(__SSE2__)
  if constexpr (sizeof(V) == 16) {
    if constexpr (sizeof(x[0]) == 4) {
      return __builtin_ia32_sqrtps(x);
    } else {
      return __builtin_ia32_sqrtpd(x);
    }
  }
#endif
  static_assert(sizeof(V) == 16 || sizeof(V) == 32, "vector_sqrt: no sqrt instruction for this width");
#endif
}

/** √x of a value or a vector of them (as elementwise passes them to f). */
template <class X>
constexpr X elements_sqrt(const X& x) {
  if constexpr (std::is_floating_point_v<X>) {
    return math::sqrt(x);
  } else {
    return vector_sqrt(x);
  }
}

/** A step counter as wide as T, so that a state of T values and one counter has no padding of its
    own (a state whose rows of parameters are aligned is padded at its end: dense::params). */
template <class T>
using step_counter = std::conditional_t<sizeof(T) >= sizeof(std::uint64_t), std::uint64_t, std::uint32_t>;

}  // namespace detail

/** Plain gradient descent, the reference's update: W -= η·(dW + λ·W), b -= η·db, with dW, db the batch means. */
struct sgd {
  double learning_rate = 0.01;
  double weight_decay = 0;  // λ: L2 penalty on the weights, not the biases

  /** Plain gradient descent keeps nothing between steps. */
  template <class Params>
  struct state {};

  /** Takes the step; in a build with AVX2 code at run time, compiled for AVX-512 or AVX2 where the
      core has it (detail::runs_avx512, detail::runs_avx2) for parameters of float or double of
      wide_step_min_bytes or more, the same values bit for bit. */
  template <class Params>
  constexpr void step(Params& p, const Params& gradient_sum, std::size_t batch_size, state<Params>&) const {
#ifdef CTNN_AVX2_AT_RUN_TIME
    if constexpr (detail::has_simd<detail::scalar_of<Params>> && sizeof(Params) >= wide_step_min_bytes) {
      if (!std::is_constant_evaluated()) {
        if (detail::runs_avx512()) return step_avx512(p, gradient_sum, batch_size);
        if (detail::runs_avx2()) return step_avx2(p, gradient_sum, batch_size);
      }
    }
#endif
    apply<true>(p, gradient_sum, batch_size);
  }

  /** Tells whether step would leave every parameter finite; changes nothing. */
  template <class Params>
  constexpr bool step_stays_finite(const Params& p, const Params& gradient_sum, std::size_t batch_size,
                                   const state<Params>&) const {
    return apply<false>(p, gradient_sum, batch_size);
  }

#ifdef CTNN_AVX2_AT_RUN_TIME
  // step's copies for cores with more than the build's SSE2; public for the tests, which run each
  // copy this core can (step picks the widest).

  /** step compiled for AVX2 (CTNN_AVX2_CODE). */
  template <class Params>
  CTNN_AVX2_CODE void step_avx2(Params& p, const Params& gradient_sum, std::size_t batch_size) const {
    apply<true, detail::avx2_batch.vector_bytes>(p, gradient_sum, batch_size);
  }
  /** step compiled for AVX-512 without FMA contraction (CTNN_AVX512_CODE). */
  template <class Params>
  CTNN_AVX512_CODE void step_avx512(Params& p, const Params& gradient_sum, std::size_t batch_size) const {
    apply<true, detail::avx512_batch.vector_bytes>(p, gradient_sum, batch_size);
  }
#endif

 private:
#ifdef CTNN_AVX2_AT_RUN_TIME
  /** Parameters smaller than this (a float 3-5-3-1's 168 bytes) take the build's step: a few
      vectors, where an AVX2 or AVX-512 copy would only add code. */
  static constexpr std::size_t wide_step_min_bytes = 256;
#endif

  /** With Commit, takes the step; without, computes each updated value, stores none, and tells
      whether all are finite. The step's products go in vectors of VectorBytes (detail::add_product). */
  template <bool Commit, std::size_t VectorBytes = detail::vector_bytes, class Params>
  constexpr bool apply(Params& p, const std::remove_const_t<Params>& gradient_sum, std::size_t batch_size) const {
    using T = detail::scalar_of<std::remove_const_t<Params>>;
    // η/m folds the batch mean into the step; computed in T, so no double arithmetic on a device.
    const T rate = static_cast<T>(learning_rate) / static_cast<T>(batch_size);
    const T decay = static_cast<T>(learning_rate) * static_cast<T>(weight_decay);
    bool any_non_finite = false;  // an OR without early exit, as detail::all_finite: the dry run vectorises
    detail::for_each_array_with_decay(
        decay,
        [rate, &any_non_finite](T array_decay, auto& values, const auto& gradients) {
          if (array_decay == T{0}) {  // without decay, exactly the reference's update
            if constexpr (Commit) {
              // v - rate·g as v + g·(-rate): the same value, bit for bit (but for a NaN's sign).
              constexpr std::size_t n = std::tuple_size_v<std::remove_cvref_t<decltype(values)>>;
              detail::add_product<n, VectorBytes>(values.data(), gradients.data(), -rate);
            } else {
              unsigned local = 0;  // a local, not the captured flag: the loop vectorises
              for (std::size_t k = 0; k < values.size(); ++k)
                local |= static_cast<unsigned>(math::is_non_finite_bits(values[k] - rate * gradients[k]));
              any_non_finite = any_non_finite || local != 0;
            }
          } else {
            unsigned local = 0;
            for (std::size_t k = 0; k < values.size(); ++k) {
              const T updated = values[k] - (rate * gradients[k] + array_decay * values[k]);
              if constexpr (Commit) {
                values[k] = updated;
              } else {
                local |= static_cast<unsigned>(math::is_non_finite_bits(updated));
              }
            }
            any_non_finite = any_non_finite || local != 0;
          }
        },
        p, gradient_sum);
    return !any_non_finite;
  }
};

/** Gradient descent with momentum, in PyTorch's form (dampening 0), with g the batch-mean gradient:
        g = dW + λ·W,   v = μ·v + g,   W -= η·v          classical (Polyak) momentum
        g = dW + λ·W,   v = μ·v + g,   W -= η·(g + μ·v)  nesterov = true, with the updated v
    The velocity is kept in gradient units (v, not η·v). While η is constant this is the
    textbook v' = μ·v' - η·g, W += v' (v' = -η·v), and its Nesterov variant is Sutskever's
    look-ahead gradient in the form of Bengio et al. (2013), which needs only g at W. */
struct momentum {
  double learning_rate = 0.01;
  double momentum = 0.9;  // μ, in [0, 1)
  bool nesterov = false;
  double weight_decay = 0;  // λ: L2 penalty on the weights, not the biases

  /** One velocity per parameter: the parameters' shape. */
  template <class Params>
  struct state {
    Params velocity{};
  };

  template <class Params>
  constexpr void step(Params& p, const Params& gradient_sum, std::size_t batch_size, state<Params>& s) const {
    apply<true>(p, gradient_sum, batch_size, s);
  }

  /** Tells whether step would leave every parameter and velocity finite; changes nothing. */
  template <class Params>
  constexpr bool step_stays_finite(const Params& p, const Params& gradient_sum, std::size_t batch_size,
                                   const state<Params>& s) const {
    return apply<false>(p, gradient_sum, batch_size, s);
  }

 private:
  template <bool Commit, class Params, class State>
  constexpr bool apply(Params& p, const std::remove_const_t<Params>& gradient_sum, std::size_t batch_size,
                       State& s) const {
    using T = detail::scalar_of<std::remove_const_t<Params>>;
    const T eta = static_cast<T>(learning_rate);
    const T mu = static_cast<T>(momentum);
    const T inverse_batch = T{1} / static_cast<T>(batch_size);
    const bool look_ahead = nesterov;
    bool any_non_finite = false;
    detail::for_each_array_with_decay(
        static_cast<T>(weight_decay),
        [=, &any_non_finite](T decay, auto& values, const auto& gradients, auto& velocity) {
          // In vector types: as a plain loop, g++ -O2 left the dry run scalar.
          const bool array_non_finite = detail::elementwise(
              [&](auto& w, const auto& gradient, auto& velocity_k) {
                const auto g = gradient * inverse_batch + decay * w;
                const auto v = mu * velocity_k + g;
                const auto updated = w - eta * (look_ahead ? g + mu * v : v);
                if constexpr (Commit) {
                  velocity_k = v;
                  w = updated;
                } else {
                  return detail::non_finite(v, updated);
                }
              },
              values, gradients, velocity);
          any_non_finite = any_non_finite || array_non_finite;
        },
        p, gradient_sum, s.velocity);
    return !any_non_finite;
  }
};

/** Adam (Kingma & Ba, 2015) with bias correction, in PyTorch's form:
        g = dW + λ·W,   m = β1·m + (1-β1)·g,   v = β2·v + (1-β2)·g²,   t += 1
        W -= η·m̂ / (√v̂ + ε),   m̂ = m / (1-β1^t),   v̂ = v / (1-β2^t)
    β1^t and β2^t are running products kept in the state (no pow, so a step is constexpr).
    Pitfall: β1 and β2 must be in [0, 1); at 1 the bias correction divides by zero. */
struct adam {
  double learning_rate = 0.001;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double weight_decay = 0;  // λ: L2 penalty on the weights, not the biases (coupled, not AdamW)

  /** First and second moment estimates with the parameters' shape, β1^t, β2^t, and t. */
  template <class Params>
  struct state {
    using scalar = detail::scalar_of<Params>;
    Params m{};                // running mean of the gradients
    Params v{};                // running mean of their squares
    scalar beta1_power{1};     // β1^t
    scalar beta2_power{1};     // β2^t
    detail::step_counter<scalar> steps{0};  // t: informative only (the update uses the powers), so a wrap is harmless
  };

  template <class Params>
  constexpr void step(Params& p, const Params& gradient_sum, std::size_t batch_size, state<Params>& s) const {
    apply<true>(p, gradient_sum, batch_size, s);
  }

  /** Tells whether step would leave every parameter and moment estimate finite; changes nothing. */
  template <class Params>
  constexpr bool step_stays_finite(const Params& p, const Params& gradient_sum, std::size_t batch_size,
                                   const state<Params>& s) const {
    return apply<false>(p, gradient_sum, batch_size, s);
  }

 private:
  template <bool Commit, class Params, class State>
  constexpr bool apply(Params& p, const std::remove_const_t<Params>& gradient_sum, std::size_t batch_size,
                       State& s) const {
    using T = detail::scalar_of<std::remove_const_t<Params>>;
    const T b1 = static_cast<T>(beta1);
    const T b2 = static_cast<T>(beta2);
    const T eps = static_cast<T>(epsilon);
    const T inverse_batch = T{1} / static_cast<T>(batch_size);
    const T beta1_power = s.beta1_power * b1;
    const T beta2_power = s.beta2_power * b2;
    if constexpr (Commit) {
      ++s.steps;
      s.beta1_power = beta1_power;
      s.beta2_power = beta2_power;
    }
    // √v̂ + ε = √v / √(1-β2^t) + ε, and η·m̂ = (η / (1-β1^t))·m: two scalars per step, none per weight.
    const T step_size = static_cast<T>(learning_rate) / (T{1} - beta1_power);
    const T inverse_root_correction = T{1} / math::sqrt(T{1} - beta2_power);
    bool any_non_finite = false;
    detail::for_each_array_with_decay(
        static_cast<T>(weight_decay),
        [=, &any_non_finite](T decay, auto& values, const auto& gradients, auto& m, auto& v) {
          // In vector types: as a plain loop, sqrt's errno branch kept it scalar.
          const bool array_non_finite = detail::elementwise(
              [&](auto& w, const auto& gradient, auto& m_k, auto& v_k) {
                const auto g = gradient * inverse_batch + decay * w;
                const auto m_new = b1 * m_k + (T{1} - b1) * g;
                const auto v_new = b2 * v_k + (T{1} - b2) * g * g;
                const auto updated =
                    w - step_size * m_new / (detail::elements_sqrt(v_new) * inverse_root_correction + eps);
                if constexpr (Commit) {
                  m_k = m_new;
                  v_k = v_new;
                  w = updated;
                } else {
                  return detail::non_finite(m_new, v_new, updated);
                }
              },
              values, gradients, m, v);
          any_non_finite = any_non_finite || array_non_finite;
        },
        p, gradient_sum, s.m, s.v);
    return !any_non_finite;
  }
};

/** The bytes of optimizer O's state for network Net (0 for a stateless optimizer such as sgd):
    momentum keeps one value per parameter, adam two plus three scalars. The same figure that
    training_workspace<Net, O>::bytes counts, so a firmware build can static_assert it. */
template <class Net, class O>
  requires Optimizer<O, typename Net::params>
inline constexpr std::size_t optimizer_state_bytes =
    std::is_empty_v<typename O::template state<typename Net::params>>
        ? 0
        : sizeof(typename O::template state<typename Net::params>);

}  // namespace ctnn
