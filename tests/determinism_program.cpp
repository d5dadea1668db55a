// Trains small networks with fixed seeds and prints the CRC-32 of each one's parameter blob
// (ctnn::io::write), one line per run. tests/CMakeLists.txt builds it at -O0 and at -O2, and
// determinism_compare.cmake requires the two to print the same lines: same compiler, same
// target, any optimisation level, bit-identical weights.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <vector>

#include "ctnn/ctnn.hpp"

namespace {

template <class T>
using blobs_net = ctnn::network<T, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::tanh>,
                                ctnn::dense<3, 1, ctnn::sigmoid>>;
template <class T>
using classifier_net = ctnn::network<T, ctnn::dense<4, 16, ctnn::leaky_relu>, ctnn::dense<16, 3, ctnn::softmax>>;

template <class Net, class Loss, class Optimizer>
void run(const char* name, std::span<const typename Net::input> xs, std::span<const typename Net::output> ys,
         Loss loss, const Optimizer& optimizer, ctnn::train_options options) {
  Net m{ctnn::he{}, 1};
  const auto report = ctnn::train(m, xs, ys, loss, optimizer, options);
  std::array<std::byte, ctnn::io::serialized_size<Net>> blob{};
  const bool written = ctnn::io::write(m, blob).ok();
  std::printf("%-32s %s epochs %zu cost %a crc32 %08x\n", name, ctnn::to_string(report.status),
              report.epochs_completed, report.last.cost, written ? static_cast<unsigned>(ctnn::io::crc32(blob)) : 0u);
}

template <class T>
void run_all(const char* type) {
  std::vector<typename blobs_net<T>::input> xs(512);
  std::vector<typename blobs_net<T>::output> ys(512);
  ctnn::make_two_blobs<T, 3>(xs, ys, 1.5, 2);
  std::vector<typename classifier_net<T>::input> cx(300);
  std::vector<typename classifier_net<T>::output> cy(300);
  ctnn::random_engine rng{5};
  for (std::size_t k = 0; k < cx.size(); ++k) {
    const std::size_t c = k % 3;
    for (std::size_t f = 0; f < 4; ++f) cx[k][f] = static_cast<T>(rng.normal() + (f == c ? 2.0 : 0.0));
    cy[k] = {T(c == 0), T(c == 1), T(c == 2)};
  }
  char name[64];
  std::snprintf(name, sizeof name, "%s sgd full batch", type);
  run<blobs_net<T>>(name, xs, ys, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.5}, {.epochs = 40});
  std::snprintf(name, sizeof name, "%s sgd batch 16 shuffled", type);
  run<blobs_net<T>>(name, xs, ys, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.1},
                    {.epochs = 20, .batch_size = 16, .shuffle = true, .shuffle_seed = 9});
  std::snprintf(name, sizeof name, "%s momentum softmax", type);
  run<classifier_net<T>>(name, cx, cy, ctnn::categorical_cross_entropy{},
                         ctnn::momentum{.learning_rate = 0.05, .nesterov = true}, {.epochs = 20, .batch_size = 10});
  std::snprintf(name, sizeof name, "%s adam softmax", type);
  run<classifier_net<T>>(name, cx, cy, ctnn::categorical_cross_entropy{}, ctnn::adam{.learning_rate = 0.01},
                         {.epochs = 20, .batch_size = 25});
}

}  // namespace

int main() {
  run_all<float>("float");
  run_all<double>("double");
  return 0;
}
