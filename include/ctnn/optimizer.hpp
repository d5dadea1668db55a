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
#include <cstddef>
#include <cstdint>
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

/** A step counter as wide as T, so that a state of T values and one counter has no padding. */
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

  template <class Params>
  constexpr void step(Params& p, const Params& gradient_sum, std::size_t batch_size, state<Params>&) const {
    apply<true>(p, gradient_sum, batch_size);
  }

  /** Tells whether step would leave every parameter finite; changes nothing. */
  template <class Params>
  constexpr bool step_stays_finite(const Params& p, const Params& gradient_sum, std::size_t batch_size,
                                   const state<Params>&) const {
    return apply<false>(p, gradient_sum, batch_size);
  }

 private:
  /** With Commit, takes the step; without, computes each updated value, stores none, and tells
      whether all are finite. */
  template <bool Commit, class Params>
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
              detail::add_product<n>(values.data(), gradients.data(), -rate);
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
    bool any_non_finite = false;  // an OR without early exit, as detail::all_finite: the dry run vectorises
    detail::for_each_array_with_decay(
        static_cast<T>(weight_decay),
        [=, &any_non_finite](T decay, auto& values, const auto& gradients, auto& velocity) {
          unsigned local = 0;  // a local, not the captured flag: the loop vectorises
          for (std::size_t k = 0; k < values.size(); ++k) {
            const T g = gradients[k] * inverse_batch + decay * values[k];
            const T v = mu * velocity[k] + g;
            const T updated = values[k] - eta * (look_ahead ? g + mu * v : v);
            if constexpr (Commit) {
              velocity[k] = v;
              values[k] = updated;
            } else {
              local |= static_cast<unsigned>(math::is_non_finite_bits(v) || math::is_non_finite_bits(updated));
            }
          }
          any_non_finite = any_non_finite || local != 0;
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
    bool any_non_finite = false;  // an OR without early exit, as detail::all_finite: the dry run vectorises
    detail::for_each_array_with_decay(
        static_cast<T>(weight_decay),
        [=, &any_non_finite](T decay, auto& values, const auto& gradients, auto& m, auto& v) {
          unsigned local = 0;  // a local, not the captured flag: the loop vectorises
          for (std::size_t k = 0; k < values.size(); ++k) {
            const T g = gradients[k] * inverse_batch + decay * values[k];
            const T m_new = b1 * m[k] + (T{1} - b1) * g;
            const T v_new = b2 * v[k] + (T{1} - b2) * g * g;
            const T updated = values[k] - step_size * m_new / (math::sqrt(v_new) * inverse_root_correction + eps);
            if constexpr (Commit) {
              m[k] = m_new;
              v[k] = v_new;
              values[k] = updated;
            } else {
              local |= static_cast<unsigned>(math::is_non_finite_bits(m_new)) |
                       static_cast<unsigned>(math::is_non_finite_bits(v_new)) |
                       static_cast<unsigned>(math::is_non_finite_bits(updated));
            }
          }
          any_non_finite = any_non_finite || local != 0;
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
