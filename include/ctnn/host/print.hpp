// ctnn/host/print.hpp - training progress: one line per epoch, or a progress bar on a terminal.
//
// Host only: uses <cstdio>, <chrono> and POSIX isatty; never included by the core.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>

#include <unistd.h>

#include "ctnn/train.hpp"

namespace ctnn::host {

/** Prints one epoch's figures to stdout as "epoch 7  cost 0.4123  accuracy 0.9312", with
    "  validation cost ... accuracy ..." after them when the epoch was validated, and
    "  units not learning N" when N units had a zero gradient all epoch (epoch_stats::zero_gradient_units).

    It is a train callback as it stands: report = ctnn::train(model, inputs, targets, loss, sgd,
    options, ctnn::host::print_epoch). (One function, no overloads or default arguments, so that its
    name can be passed like that.) */
inline void print_epoch(const epoch_stats& stats) {
  std::printf("epoch %zu  cost %.4f  accuracy %.4f", stats.epoch, stats.cost, stats.accuracy);
  if (stats.validated)
    std::printf("  validation cost %.4f  accuracy %.4f", stats.validation_cost, stats.validation_accuracy);
  // Said only when it happens: a dead ReLU hides behind a good accuracy.
  if (stats.zero_gradient_units > 0) std::printf("  units not learning %zu", stats.zero_gradient_units);
  std::printf("\n");
}

/** A train callback that shows progress: on a terminal, one line redrawn in place with a bar,
    the latest figures and the estimated time left; otherwise (a pipe, a file, CI logs) the
    plain per-epoch lines of print_epoch, which a log can be searched for.

      ctnn::host::progress show{options.epochs};
      const auto report = ctnn::train(model, inputs, targets, loss, sgd, options, show);  // show by name: it keeps the clock */
class progress {
 public:
  explicit progress(std::size_t total_epochs)
      : total_{total_epochs}, terminal_{isatty(fileno(stdout)) == 1}, start_{std::chrono::steady_clock::now()} {}

  void operator()(const epoch_stats& stats) {
    if (!terminal_) {
      print_epoch(stats);
      return;
    }
    constexpr std::size_t width = 30;
    const std::size_t done = total_ == 0 ? width : (stats.epoch * width + total_ / 2) / total_;
    char bar[width + 1];
    for (std::size_t k = 0; k < width; ++k) bar[k] = k < done ? '#' : '.';
    bar[width] = '\0';
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double left = stats.epoch == 0 || stats.epoch >= total_
                            ? 0.0
                            : elapsed / static_cast<double>(stats.epoch) * static_cast<double>(total_ - stats.epoch);
    // \r returns to the line start; the trailing spaces erase a longer previous line.
    std::printf("\r[%s] epoch %zu/%zu  cost %.4f  accuracy %.4f  ETA %.1f s   ", bar, stats.epoch, total_, stats.cost,
                stats.accuracy, left);
    if (stats.zero_gradient_units > 0) std::printf("units not learning %zu   ", stats.zero_gradient_units);
    if (stats.epoch >= total_) std::printf("\n");
    std::fflush(stdout);
  }

  /** Ends the progress line (after training stopped before its last epoch). */
  void finish() const {
    if (terminal_) std::printf("\n");
  }

 private:
  std::size_t total_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ctnn::host
