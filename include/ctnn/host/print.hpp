// ctnn/host/print.hpp - training progress as one line of text per epoch.
//
// Host only: uses <cstdio>; never included by the core.
#pragma once

#include <cstdio>

#include "ctnn/train.hpp"

namespace ctnn::host {

/** Prints one epoch's figures to stdout as "epoch 7  cost 0.4123  accuracy 0.9312".

    It is a train callback as it stands: ctnn::train(model, inputs, targets, loss, sgd, options,
    ctnn::host::print_epoch). (One function, no overloads or default arguments, so that its
    name can be passed like that.) */
inline void print_epoch(const epoch_stats& stats) {
  std::printf("epoch %zu  cost %.4f  accuracy %.4f\n", stats.epoch, stats.cost, stats.accuracy);
}

}  // namespace ctnn::host
