// ctnn/host/history.hpp - the per-epoch figures of a training run, kept and written as CSV.
//
// Host only: uses std::vector and files; never included by the core.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "ctnn/host/detail/text.hpp"
#include "ctnn/host/file.hpp"
#include "ctnn/train.hpp"

namespace ctnn::host {

/** Collects the figures of every epoch of a training run; pass it to ctnn::train as the callback.

    ctnn::host::history progress;
    const ctnn::train_report report = ctnn::train(model, inputs, targets, loss, sgd, options, progress);
    const ctnn::host::io_result written = progress.write_csv("history.csv");  // check written.ok

    Pitfall: pass a named history. train calls the callback it is given, so a
    temporary (ctnn::host::history{}) records into an object that is gone afterwards. */
class history {
 public:
  /** Records one epoch; this is what makes a history a train callback. */
  void operator()(const epoch_stats& stats) { epochs_.push_back(stats); }

  /** Returns the recorded epochs in the order they ran. */
  const std::vector<epoch_stats>& epochs() const noexcept { return epochs_; }

  /** Returns the number of recorded epochs. */
  std::size_t size() const noexcept { return epochs_.size(); }

  /** Tells whether no epoch has been recorded. */
  bool empty() const noexcept { return epochs_.empty(); }

  /** Forgets every recorded epoch, e.g. before training again. */
  void clear() noexcept { epochs_.clear(); }

  /** Writes the header "epoch,cost,accuracy" and one row per epoch to `path`, whole or not at all.
      Numbers are written in the shortest form that reads back exactly. I/O failures are
      returned (ok false, with a message naming the file), never thrown. */
  io_result write_csv(const std::filesystem::path& path) const {
    // Validation columns only when training had validation data: a plain history keeps three.
    bool validated = false;
    for (const epoch_stats& s : epochs_) validated = validated || s.validated;
    std::string text = validated ? "epoch,cost,accuracy,validation_cost,validation_accuracy\n" : "epoch,cost,accuracy\n";
    text.reserve(text.size() + epochs_.size() * 80);
    for (const epoch_stats& s : epochs_) {
      detail::append_integer(text, s.epoch);
      text += ',';
      detail::append_shortest(text, s.cost);
      text += ',';
      detail::append_shortest(text, s.accuracy);
      if (validated) {
        text += ',';
        if (s.validated) detail::append_shortest(text, s.validation_cost);
        text += ',';
        if (s.validated) detail::append_shortest(text, s.validation_accuracy);
      }
      text += '\n';
    }
    return write_text_file(path, text);
  }

 private:
  std::vector<epoch_stats> epochs_;
};

}  // namespace ctnn::host
