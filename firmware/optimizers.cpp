// The stateful optimizers on the device: momentum (plain and Nesterov, with weight decay) and
// adam train the blobs network of examples/firmware_training from samples in flash. The exit
// code is the verdict: each run must report ok, classify every training sample and at least 99%
// of the held-out ones, and leave the heap untouched. Their steps are detail::elementwise's plain
// loop here (no vector registers), with check_steps' dry run on (train's default).
#include <ctnn/ctnn.hpp>

#include "board.hpp"

namespace {

using net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::relu>,
                          ctnn::dense<3, 1, ctnn::sigmoid>>;
constexpr std::size_t sample_count = 256;

struct blob_data {
  std::array<net::input, sample_count> inputs;
  std::array<net::output, sample_count> targets;
};

constexpr blob_data make_blob_data(std::uint64_t seed) {
  blob_data d{};
  ctnn::make_two_blobs<float, 3>(d.inputs, d.targets, 2.0, seed);
  return d;
}
constexpr blob_data train_blobs = make_blob_data(1);
constexpr blob_data test_blobs = make_blob_data(2);

net model;
ctnn::training_workspace<net, ctnn::momentum> momentum_work;
ctnn::training_workspace<net, ctnn::adam> adam_work;

/** Trains a fresh model with `optimizer`; returns 0 if it meets the verdict above, else `failure`. */
template <class Optimizer>
int train_and_check(const char* name, const Optimizer& optimizer, ctnn::training_workspace<net, Optimizer>& work,
                    int failure) {
  model.initialize(ctnn::he{}, 42);
  work = {};  // no velocity or moments from an earlier run
  const ctnn::train_report report =
      ctnn::train(model, train_blobs.inputs, train_blobs.targets, ctnn::binary_cross_entropy{}, optimizer,
                  {.epochs = 20, .batch_size = 16}, [](const ctnn::epoch_stats&) {}, work);
  const double train_accuracy = ctnn::accuracy(model, train_blobs.inputs, train_blobs.targets);
  const double test_accuracy = ctnn::accuracy(model, test_blobs.inputs, test_blobs.targets);
  board::print("%s: %s after %u epochs, ", name, ctnn::to_string(report.status),
               static_cast<unsigned>(report.epochs_completed));
  board::print_fixed4("training accuracy ", static_cast<float>(train_accuracy), ", ");
  board::print_fixed4("held-out ", static_cast<float>(test_accuracy));
  return report.ok() && train_accuracy == 1.0 && test_accuracy >= 0.99 ? 0 : failure;
}

}  // namespace

int main() {
  if (const int failed = train_and_check("momentum", ctnn::momentum{.learning_rate = 0.1}, momentum_work, 1))
    return failed;
  if (const int failed = train_and_check(
          "nesterov momentum, weight decay 0.001",
          ctnn::momentum{.learning_rate = 0.1, .nesterov = true, .weight_decay = 0.001}, momentum_work, 2))
    return failed;
  if (const int failed = train_and_check("adam", ctnn::adam{.learning_rate = 0.01}, adam_work, 3)) return failed;
  return board::heap_untouched() ? 0 : 4;
}
