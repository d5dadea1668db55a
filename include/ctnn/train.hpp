// ctnn/train.hpp - the training loop: epochs of (mini-)batches, a per-epoch callback, a status.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctnn/lanes.hpp"
#include "ctnn/loss.hpp"
#include "ctnn/math.hpp"
#include "ctnn/metrics.hpp"
#include "ctnn/network.hpp"
#include "ctnn/optimizer.hpp"
#include "ctnn/random.hpp"

namespace ctnn {

/** A batch size meaning "all samples in one batch", the reference's full-batch gradient descent. */
inline constexpr std::size_t full_batch = 0;

/** How to train. */
struct train_options {
  std::size_t epochs = 1;
  std::size_t batch_size = full_batch;  // samples per gradient step; full_batch (0) or more than the data: all
  bool shuffle = false;                 // visit the samples in a different seeded order each epoch (detail::affine_order)
  std::uint64_t shuffle_seed = 0;
  bool check_steps = true;  // ask the optimizer before each step whether it stays finite (see train_status::diverged);
                            // false saves that pass over the parameters, and a step that overflows is then
                            // reported one batch later, with the non-finite parameters it left
};

/** Held-out data evaluated after every epoch, and early stopping on its cost. */
template <class Net>
struct validation {
  std::span<const typename Net::input> inputs;
  std::span<const typename Net::output> targets;
  std::size_t patience = 0;  // stop after this many epochs without a lower validation cost; 0: never stop early
  double min_delta = 0;      // how much lower a cost must be to count as lower
};

/** One epoch's results, measured during its forward passes (before each batch's update).
    Computed in the network's scalar type (no soft-float double on a single-precision FPU). */
struct epoch_stats {
  std::size_t epoch;  // 1-based
  double cost;        // mean loss over the samples
  double accuracy;    // fraction classified correctly (see classify)
  bool validated = false;  // with validation data: the two figures below, after this epoch's updates
  double validation_cost = 0;
  double validation_accuracy = 0;
  /** Units (outputs of any layer) whose bias gradient, summed over the batch (the sum of the unit's
      dz), was exactly zero in every batch of this epoch: they did not learn. A dead ReLU (z <= 0 for
      every sample) shows up here, and so do the units that only it feeds and saturated sigmoid or tanh
      units. Only that sum is tested, not each dz: a unit whose dz cancel exactly counts too.
      0 when every unit learned. */
  std::size_t zero_gradient_units = 0;
};

/** What an epoch callback may answer; a callback that returns nothing always proceeds. */
enum class epoch_action { proceed, stop };

/** How a call to train ended. */
enum class train_status {
  completed,        // ran every epoch
  stopped,          // the callback answered epoch_action::stop
  early_stopped,    // the validation cost stopped improving; the parameters are those of the best epoch
  empty_data,       // no samples
  size_mismatch,    // inputs and targets differ in count
  non_finite_data,  // an input or target is NaN or infinite (see train_report::bad_sample); nothing was trained
  diverged,         // a batch's loss or gradient was not finite, or (with train_options::check_steps and an
                    // optimizer that has step_stays_finite: sgd, momentum, adam) the step it would take; the
                    // parameters are those before that batch: finite if they were before training and
                    // every earlier step was checked so
};

/** Returns a short English description of a status. */
constexpr const char* to_string(train_status s) {
  switch (s) {
    case train_status::completed: return "completed";
    case train_status::stopped: return "stopped by the callback";
    case train_status::early_stopped: return "stopped early: the validation cost stopped improving";
    case train_status::empty_data: return "no training samples";
    case train_status::size_mismatch: return "inputs and targets differ in count";
    case train_status::non_finite_data: return "an input or target is NaN or infinite";
    case train_status::diverged: return "diverged: a loss, gradient or step was not finite";
  }
  return "unknown status";
}

/** The data set a train_report::bad_sample index refers to. */
enum class data_set { training, validation };

/** The outcome of train; [[nodiscard]]: a run that failed on bad data or diverged says so only here. */
struct [[nodiscard]] train_report {
  train_status status = train_status::completed;
  std::size_t epochs_completed = 0;
  epoch_stats last{};          // the last completed epoch's figures
  std::size_t bad_sample = 0;  // with non_finite_data: the index of the first bad sample...
  data_set bad_sample_set = data_set::training;  // ...in this set (training data is checked first)
  std::size_t best_epoch = 0;  // with validation data: the last epoch that lowered the validation cost by more
                               // than min_delta (or the first); with patience > 0 the model now holds its
                               // parameters, unless the status is diverged (see there)

  constexpr bool ok() const {
    return status == train_status::completed || status == train_status::stopped ||
           status == train_status::early_stopped;
  }
};

/** Everything training needs besides the network and the data: the gradient sum,
    one trace, the optimizer's state and, where the target has vector registers, a block of
    samples trained at once (detail::lane_block). train makes one on the stack; for a big
    network, keep one in static storage and pass it in. The optimizer's state (momentum's
    velocity, Adam's moments and step count) stays in it from one train call to the next: two
    calls sharing a workspace train as one call of as many epochs (tests/test_optimizer.cpp), so a
    run can go on where it stopped; assign `work = {}` before training another model. */
template <class Net, class Optimizer>
struct training_workspace {
  // The parameter-shaped members first: on a host their rows may be aligned to up to 64 bytes
  // (dense::params), and the padding that leaves falls at the end rather than between members.
  typename Net::gradients gradients{};
  [[no_unique_address]] typename Optimizer::template state<typename Net::params> optimizer_state{};  // sgd: none
  typename Net::trace trace{};
  [[no_unique_address]] detail::lane_block_for<Net> block{};  // none on a microcontroller

  /** The block's part of the RAM below: 0 without vector registers. */
  static constexpr std::size_t block_bytes = std::is_empty_v<decltype(block)> ? 0 : sizeof(block);
  /** The RAM a training run needs besides the model (and the data, which may be in flash): the
      workspace's size. Its parts' sizes added up, plus, on a host, the padding that aligns rows of
      whole vectors (dense::params: between layers and at the end; never on a microcontroller). */
  static const std::size_t bytes;
};

template <class Net, class Optimizer>
inline constexpr std::size_t training_workspace<Net, Optimizer>::bytes = sizeof(training_workspace<Net, Optimizer>);

namespace detail {

template <class Array>
constexpr bool all_finite(const Array& values) {
  // No early exit and an OR over exponent bits: the loop vectorises, which matters for small batches.
  unsigned any_non_finite = 0;  // unsigned, not bool: GCC vectorises an OR reduction of integers
  for (const auto v : values) any_non_finite |= static_cast<unsigned>(math::is_non_finite_bits(v));
  return any_non_finite == 0;
}

template <class Params>
constexpr bool all_finite_params(const Params& p) {
  bool finite = true;
  for_each_array([&finite](const auto& values) { finite = finite && all_finite(values); }, p);
  return finite;
}

/** Tells whether optimizer.step would keep the parameters and its state finite, if the optimizer can
    say so without taking the step (sgd, momentum and adam can); else assumes it would. */
template <class O, class Params, class State>
constexpr bool step_stays_finite(const O& optimizer, const Params& p, const Params& g, std::size_t batch_size,
                                 const State& s) {
  if constexpr (requires { { optimizer.step_stays_finite(p, g, batch_size, s) } -> std::convertible_to<bool>; }) {
    return optimizer.step_stays_finite(p, g, batch_size, s);
  } else {
    return true;
  }
}

/** The number of units of layer I: its outputs, one bias each. */
template <class Params, std::size_t I>
inline constexpr std::size_t units_of_layer =
    std::tuple_size_v<std::remove_cvref_t<decltype(std::declval<Params&>().template layer<I>().biases)>>;

/** The number of units of a network: the sum of its layers' outputs. */
template <class Params>
inline constexpr std::size_t unit_count = []<std::size_t... I>(std::index_sequence<I...>) {
  return (units_of_layer<Params, I> + ... + 0);
}(std::make_index_sequence<Params::layer_count>{});

/** Marks in `learned` the units whose summed bias gradient (the sum of their dz) is not zero. */
template <class Params, std::size_t N>
constexpr void mark_learning_units(const Params& gradients, std::array<bool, N>& learned) {
  std::size_t unit = 0;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          for (const auto db : gradients.template layer<I>().biases) {
            learned[unit] |= db != decltype(db){0};  // no branch: the loop stays cheap
            ++unit;
          }
        }(),
        ...);
  }(std::make_index_sequence<Params::layer_count>{});
}

template <class Callback>
constexpr epoch_action call_epoch_callback(Callback& on_epoch, const epoch_stats& stats) {
  if constexpr (std::is_void_v<std::invoke_result_t<Callback&, const epoch_stats&>>) {
    on_epoch(stats);
    return epoch_action::proceed;
  } else {
    return on_epoch(stats);
  }
}

}  // namespace detail

namespace detail {

/** A seeded permutation of [0, n) without storage: position k maps to (a·k + c) mod n with a
    coprime to n. Not every permutation can occur, but consecutive samples of a batch come from
    all over the data, and the order changes every epoch. a·k + c is computed in 64 bits, where it
    cannot wrap for n up to 2^32 (a, k, c < n); for larger n it may, and the order is then not
    sure to be a permutation. */
struct affine_order {
  std::uint64_t n = 1, a = 1, c = 0;

  constexpr affine_order() = default;
  constexpr affine_order(std::uint64_t size, random_engine& rng) : n{size} {
    if (n < 2) return;
    do {
      a = 1 + rng.below(n - 1);
    } while (gcd(a, n) != 1);
    c = rng.below(n);
  }
  constexpr std::size_t operator[](std::size_t k) const { return static_cast<std::size_t>((a * k + c) % n); }

  static constexpr std::uint64_t gcd(std::uint64_t x, std::uint64_t y) {
    while (y != 0) {
      const std::uint64_t r = x % y;
      x = y;
      y = r;
    }
    return x;
  }
};

template <class Net, class L>
constexpr void evaluate(const Net& model, std::span<const typename Net::input> inputs,
                        std::span<const typename Net::output> targets, L loss, typename Net::trace& t,
                        epoch_stats& stats) {
  using T = typename Net::scalar;
  T cost{};
  std::size_t correct = 0;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const auto& a = model.forward(inputs[k], t);
    cost += loss.template value<typename Net::output_activation>(t.template layer<Net::layer_count - 1>().z, a,
                                                                  targets[k]);
    correct += is_correct(a, targets[k]) ? 1 : 0;
  }
  const T n = static_cast<T>(inputs.size());
  stats.validated = true;
  stats.validation_cost = static_cast<double>(cost / n);
  stats.validation_accuracy = static_cast<double>(static_cast<T>(correct) / n);
}

template <class Net>
constexpr train_status check_data(std::span<const typename Net::input> inputs,
                                  std::span<const typename Net::output> targets, std::size_t& bad_sample) {
  if (inputs.size() != targets.size()) return train_status::size_mismatch;
  if (inputs.empty()) return train_status::empty_data;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    if (!all_finite(inputs[k]) || !all_finite(targets[k])) {
      bad_sample = k;
      return train_status::non_finite_data;
    }
  }
  return train_status::completed;
}

/** The training loop behind every train overload; `val` and `best` are null without validation. */
template <class Net, class L, class O, class Callback>
constexpr train_report run_training(Net& model, std::span<const typename Net::input> inputs,
                                    std::span<const typename Net::output> targets, const validation<Net>* val,
                                    L loss, const O& optimizer, train_options options, Callback& on_epoch,
                                    training_workspace<Net, O>& work, typename Net::params* best) {
  using T = typename Net::scalar;
  using out_activation = typename Net::output_activation;
  train_report report{};
  report.status = check_data<Net>(inputs, targets, report.bad_sample);
  if (report.status == train_status::completed && val != nullptr && !val->inputs.empty()) {
    report.status = check_data<Net>(val->inputs, val->targets, report.bad_sample);
    if (report.status != train_status::completed) report.bad_sample_set = data_set::validation;
  }
  if (report.status != train_status::completed) return report;

  if constexpr (!std::is_empty_v<decltype(work.block)>) work.block.correct = {};  // a diverged run leaves counts
  const std::size_t n = inputs.size();
  const std::size_t batch = options.batch_size == full_batch || options.batch_size > n ? n : options.batch_size;
  random_engine shuffle_rng{options.shuffle_seed};
  const bool validating = val != nullptr && !val->inputs.empty();
  double best_cost = 0;
  std::size_t epochs_without_progress = 0;

  for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
    const affine_order order = options.shuffle ? affine_order{n, shuffle_rng} : affine_order{};
    const auto sample_at = [&](std::size_t position) { return options.shuffle ? order[position] : position; };
    T cost_sum{};
    std::size_t correct = 0;
    std::array<bool, unit_count<typename Net::params>> learned{};  // a byte per unit, on the stack
    for (std::size_t begin = 0; begin < n; begin += batch) {
      const std::size_t end = begin + batch < n ? begin + batch : n;
      work.gradients = {};
      T batch_cost{};
      std::size_t position = begin;
      if constexpr (!std::is_empty_v<decltype(work.block)>) {
        // Whole blocks of samples at once (lanes.hpp); the rest of the batch, and everything at
        // compile time (cheaper for the compiler), one sample at a time below.
        if (!std::is_constant_evaluated()) {
#ifdef CTNN_AVX2_AT_RUN_TIME
          if (runs_avx2())
            position = train_blocks_avx2(model, work.block, inputs, targets, sample_at, position, end, loss, work.gradients);
          else
#endif
            position = train_blocks<vector_bytes>(model, work.block, inputs, targets, sample_at, position, end, loss,
                                                  work.gradients);
          if (position > begin) batch_cost = collect_lanes(work.block, work.gradients);  // small batches skip it
        }
      }
      for (; position < end; ++position) {
        const std::size_t k = sample_at(position);
        const auto& a = model.forward(inputs[k], work.trace);
        const auto& z = work.trace.template layer<Net::layer_count - 1>().z;
        batch_cost += loss.template value<out_activation>(z, a, targets[k]);
        correct += is_correct(a, targets[k]) ? 1 : 0;
        model.backward(inputs[k], work.trace, loss.template delta<out_activation>(z, a, targets[k]), work.gradients);
      }
      // A step of finite gradients can still overflow (a huge learning rate): it is checked before it
      // is taken, since undoing it would need a copy of the parameters.
      if (!math::is_finite(batch_cost) || !all_finite_params(work.gradients) ||
          (options.check_steps &&
           !step_stays_finite(optimizer, model.parameters(), work.gradients, end - begin, work.optimizer_state))) {
        report.status = train_status::diverged;  // this batch's step is not taken: the last finite weights stay
        return report;
      }
      mark_learning_units(work.gradients, learned);
      optimizer.step(model.parameters(), work.gradients, end - begin, work.optimizer_state);
      cost_sum += batch_cost;
    }
    if constexpr (!std::is_empty_v<decltype(work.block)>) {
      for (auto& lane_correct : work.block.correct) {
        correct += lane_correct;
        lane_correct = 0;
      }
    }
    report.epochs_completed = epoch;
    report.last = {epoch, static_cast<double>(cost_sum / static_cast<T>(n)),
                   static_cast<double>(static_cast<T>(correct) / static_cast<T>(n))};
    for (const bool unit_learned : learned) report.last.zero_gradient_units += unit_learned ? 0 : 1;
    if (validating) {
      evaluate(model, val->inputs, val->targets, loss, work.trace, report.last);
      if (report.best_epoch == 0 || report.last.validation_cost < best_cost - val->min_delta) {
        best_cost = report.last.validation_cost;
        report.best_epoch = epoch;
        epochs_without_progress = 0;
        if (best != nullptr) *best = model.parameters();
      } else {
        ++epochs_without_progress;
      }
    }
    if (call_epoch_callback(on_epoch, report.last) == epoch_action::stop) {
      report.status = train_status::stopped;
      break;
    }
    if (validating && val->patience > 0 && epochs_without_progress >= val->patience) {
      report.status = train_status::early_stopped;
      break;
    }
  }
  // Restore the best epoch (none when no epoch ran: *best was never set).
  if (best != nullptr && validating && val->patience > 0 && report.best_epoch != 0) model.parameters() = *best;
  return report;
}

}  // namespace detail

/** Trains `model` on (inputs[k], targets[k]) with `loss` and `optimizer`, the reference's
    train_network: each epoch, for each batch, forward and backward every sample, then one
    optimizer step with the batch's mean gradient. Calls on_epoch(const epoch_stats&) after
    each epoch; it may return epoch_action::stop. Allocates nothing; the data may live in flash. */
template <class Net, Loss L, class O, class Callback>
  requires Optimizer<O, typename Net::params> && std::invocable<Callback&, const epoch_stats&>
constexpr train_report train(Net& model, std::span<const typename Net::input> inputs,
                             std::span<const typename Net::output> targets, L loss, const O& optimizer,
                             train_options options, Callback&& on_epoch, training_workspace<Net, O>& work) {
  return detail::run_training(model, inputs, targets, static_cast<const validation<Net>*>(nullptr), loss, optimizer,
                              options, on_epoch, work, static_cast<typename Net::params*>(nullptr));
}

/** Trains as above and evaluates `held_out` after every epoch (epoch_stats::validation_cost and
    validation_accuracy). With held_out.patience > 0 it stops once the validation cost has not
    improved for that many epochs, and leaves the model with the parameters of its best epoch
    (report.best_epoch), also when it runs all its epochs. Keeps a copy of the parameters for that
    in `best` (its value on entry is not read), which, like `work`, may be in static storage. */
template <class Net, Loss L, class O, class Callback>
  requires Optimizer<O, typename Net::params> && std::invocable<Callback&, const epoch_stats&>
constexpr train_report train(Net& model, std::span<const typename Net::input> inputs,
                             std::span<const typename Net::output> targets, const validation<Net>& held_out, L loss,
                             const O& optimizer, train_options options, Callback&& on_epoch,
                             training_workspace<Net, O>& work, typename Net::params& best) {
  return detail::run_training(model, inputs, targets, &held_out, loss, optimizer, options, on_epoch, work, &best);
}

/** As above, with the workspace and the copy of the best parameters on the stack. */
template <class Net, Loss L, class O, class Callback>
  requires Optimizer<O, typename Net::params> && std::invocable<Callback&, const epoch_stats&>
constexpr train_report train(Net& model, std::span<const typename Net::input> inputs,
                             std::span<const typename Net::output> targets, const validation<Net>& held_out, L loss,
                             const O& optimizer, train_options options, Callback&& on_epoch) {
  training_workspace<Net, O> work{};
  typename Net::params best{};
  return train(model, inputs, targets, held_out, loss, optimizer, options, on_epoch, work, best);
}

/** As above, with the workspace on the stack. */
template <class Net, Loss L, class O, class Callback>
  requires Optimizer<O, typename Net::params> && std::invocable<Callback&, const epoch_stats&>
constexpr train_report train(Net& model, std::span<const typename Net::input> inputs,
                             std::span<const typename Net::output> targets, L loss, const O& optimizer,
                             train_options options, Callback&& on_epoch) {
  training_workspace<Net, O> work{};
  return train(model, inputs, targets, loss, optimizer, options, on_epoch, work);
}

/** As above, without a callback. */
template <class Net, Loss L, class O>
  requires Optimizer<O, typename Net::params>
constexpr train_report train(Net& model, std::span<const typename Net::input> inputs,
                             std::span<const typename Net::output> targets, L loss, const O& optimizer,
                             train_options options) {
  return train(model, inputs, targets, loss, optimizer, options, [](const epoch_stats&) {});
}

}  // namespace ctnn
