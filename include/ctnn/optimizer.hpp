// ctnn/optimizer.hpp - optimizers: how summed gradients change the parameters.
#pragma once

#include <cstddef>
#include <type_traits>

#include "ctnn/network.hpp"

namespace ctnn {

/** Updates parameters from the gradients summed over a batch of `batch_size` samples,
    keeping whatever it needs between steps in a state<Params> value sized by the type.
    Satisfied by sgd. */
template <class O, class Params>
concept Optimizer = requires(const O& o, Params& p, const Params& g, typename O::template state<Params>& s) {
  o.step(p, g, std::size_t{1}, s);
};

/** Plain gradient descent, the reference's update: W -= η·dW, b -= η·db with dW, db the batch means. */
struct sgd {
  double learning_rate = 0.01;

  /** Plain gradient descent keeps nothing between steps. */
  template <class Params>
  struct state {};

  template <class Params>
  constexpr void step(Params& p, const Params& gradient_sum, std::size_t batch_size, state<Params>&) const {
    using T = typename std::remove_cvref_t<decltype(p.template layer<0>().biases)>::value_type;
    // η/m folds the batch mean into the step; computed in T, so no double arithmetic on a device.
    const T rate = static_cast<T>(learning_rate) / static_cast<T>(batch_size);
    for_each_array(
        [rate](auto& values, const auto& gradients) {
          for (std::size_t k = 0; k < values.size(); ++k) values[k] -= rate * gradients[k];
        },
        p, gradient_sum);
  }
};

}  // namespace ctnn
