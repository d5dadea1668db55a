// ctnn/metrics.hpp - classification from outputs, and accuracy.
#pragma once

#include <array>
#include <cstddef>
#include <span>

namespace ctnn {

/** Returns the class an output stands for: for one output, 1 if it is at least 0.5,
    else 0; for several, the index of the largest (the first of equals). */
template <class T, std::size_t N>
constexpr std::size_t classify(const std::array<T, N>& output) {
  if constexpr (N == 1) {
    return output[0] >= T{0.5} ? 1 : 0;
  } else {
    std::size_t best = 0;
    for (std::size_t k = 1; k < N; ++k)
      if (output[k] > output[best]) best = k;
    return best;
  }
}

/** Tells whether an output names the same class as its target. */
template <class T, std::size_t N>
constexpr bool is_correct(const std::array<T, N>& output, const std::array<T, N>& target) {
  return classify(output) == classify(target);
}

/** Returns the fraction of samples the network classifies correctly (0 for no samples). */
template <class Net>
constexpr double accuracy(const Net& model, std::span<const typename Net::input> inputs,
                          std::span<const typename Net::output> targets) {
  const std::size_t n = inputs.size() < targets.size() ? inputs.size() : targets.size();
  if (n == 0) return 0.0;
  std::size_t correct = 0;
  for (std::size_t k = 0; k < n; ++k) correct += is_correct(model.predict(inputs[k]), targets[k]) ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(n);
}

}  // namespace ctnn
