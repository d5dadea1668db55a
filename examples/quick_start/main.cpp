// The README's first snippet: a network is a type, its memory is a constant, training is one call.
#include <cstdio>

#include <ctnn/ctnn.hpp>

// 3 inputs -> 5 relu -> 3 relu -> 1 sigmoid: the reference's network.
using net = ctnn::network<float,
                          ctnn::dense<3, 5, ctnn::relu>,
                          ctnn::dense<5, 3, ctnn::relu>,
                          ctnn::dense<3, 1, ctnn::sigmoid>>;

// Memory is part of the type: check it against a RAM budget at compile time.
static_assert(net::params_bytes == 42 * sizeof(float));
// (On a host with vector registers the workspace also holds a block of samples trained at once.)
static_assert(ctnn::training_workspace<net, ctnn::sgd>::bytes < 8192);

// Does not compile: layer 0 has 5 outputs, layer 1 takes 4 inputs. The error says
// "the output size of layer Index must equal the input size of layer Index+1" and names 0, 5, 4.
// using broken = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<4, 1, ctnn::sigmoid>>;

int main() {
  // Two blobs around (-2,-2,-2) and (2,2,2); the data may as well be const arrays in flash.
  static std::array<net::input, 1000> inputs;
  static std::array<net::output, 1000> targets;
  ctnn::make_two_blobs<float, 3>(inputs, targets, 2.0, /*seed=*/1);

  net model{ctnn::he{}, /*seed=*/42};
  const ctnn::train_report report =
      ctnn::train(model, inputs, targets, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.5f},
                  {.epochs = 20, .batch_size = 32});
  if (!report.ok()) {
    std::printf("training failed: %s\n", ctnn::to_string(report.status));
    return 1;
  }
  std::printf("accuracy %.3f after %zu epochs\n", ctnn::accuracy(model, inputs, targets), report.epochs_completed);
  std::printf("p(class 1 | 1.5, 2.5, 1.0) = %.3f\n", model.predict({1.5f, 2.5f, 1.0f})[0]);

  std::printf("\nmemory of %s (bytes)\n", "3-5-3-1, float");
  std::printf("  parameters         %4zu\n", net::params_bytes);
  std::printf("  trace (forward)    %4zu\n", net::trace_bytes);
  std::printf("  gradients          %4zu\n", net::gradients_bytes);
  std::printf("  training workspace %4zu  (gradients + trace + sgd state + block of samples)\n",
              ctnn::training_workspace<net, ctnn::sgd>::bytes);
  std::printf("    of which block   %4zu  (samples trained at once: none on a microcontroller)\n",
              ctnn::training_workspace<net, ctnn::sgd>::block_bytes);
  return 0;
}
