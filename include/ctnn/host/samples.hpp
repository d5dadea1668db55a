// ctnn/host/samples.hpp - samples in host memory, and a seeded training / held-out split.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "ctnn/random.hpp"

namespace ctnn::host {

/** Inputs and their targets, in host memory: inputs[k] goes with targets[k]. */
template <class Input, class Target>
struct samples {
  std::vector<Input> inputs;
  std::vector<Target> targets;
};

/** Shuffles `all` with `seed` (Fisher-Yates, ctnn::random_engine: the same split on every
    platform) and returns a training split and a held-out split of the last `held_out` samples. */
template <class Input, class Target>
std::pair<samples<Input, Target>, samples<Input, Target>> shuffle_and_split(const samples<Input, Target>& all,
                                                                            std::size_t held_out, std::uint64_t seed) {
  std::vector<std::size_t> order(all.inputs.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  random_engine rng{seed};
  for (std::size_t k = order.size(); k > 1; --k) std::swap(order[k - 1], order[rng.below(k)]);
  std::pair<samples<Input, Target>, samples<Input, Target>> split;
  for (std::size_t k = 0; k < order.size(); ++k) {
    samples<Input, Target>& to = k < order.size() - held_out ? split.first : split.second;
    to.inputs.push_back(all.inputs[order[k]]);
    to.targets.push_back(all.targets[order[k]]);
  }
  return split;
}

}  // namespace ctnn::host
