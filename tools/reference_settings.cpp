// The reference's own demonstration settings, re-implemented with ctnn, over many seeds: two blobs
// of standard deviation 1 whose centres are drawn uniformly from [-10, 10]^3 (scikit-learn's
// make_blobs defaults), 10,000 samples, no standardisation, He-initialised 3-5-3-1 network,
// learning rate 0.01, 50 full-batch epochs. Seed s draws the centres, the samples and the weights.
// Prints how many seeds end with training accuracy exactly 1, how many below 0.9, and how many
// stopped with a train_status other than completed (README, "The reference's own settings do not
// converge reliably"). Run by tools/seed_sweep.sh, or:
//   g++ -std=c++20 -O2 -Iinclude tools/reference_settings.cpp -o /tmp/reference_settings && /tmp/reference_settings 1000
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <ctnn/ctnn.hpp>

using net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::relu>,
                          ctnn::dense<3, 1, ctnn::sigmoid>>;

int main(int argc, char** argv) {
  const long seeds = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 1000;
  if (seeds < 1) {
    std::fprintf(stderr, "usage: reference_settings [seeds, at least 1]\n");
    return 2;
  }
  constexpr std::size_t samples = 10'000;
  std::vector<net::input> inputs(samples);
  std::vector<net::output> targets(samples);
  long perfect = 0, below_0_9 = 0, failed = 0;
  for (long seed = 1; seed <= seeds; ++seed) {
    ctnn::random_engine rng{static_cast<std::uint64_t>(seed)};
    net::input centres[2];
    for (auto& centre : centres)
      for (auto& c : centre) c = static_cast<float>(rng.uniform(-10.0, 10.0));
    for (std::size_t k = 0; k < samples; ++k) {
      const std::size_t label = k % 2;  // half of each class, as make_blobs
      for (std::size_t f = 0; f < 3; ++f) inputs[k][f] = static_cast<float>(centres[label][f] + rng.normal());
      targets[k] = {static_cast<float>(label)};
    }
    net model{ctnn::he{}, rng.next()};
    const ctnn::train_report report = ctnn::train(model, inputs, targets, ctnn::binary_cross_entropy{},
                                                  ctnn::sgd{.learning_rate = 0.01}, {.epochs = 50});
    if (!report.ok()) {
      ++failed;
      continue;
    }
    const double accuracy = ctnn::accuracy(model, inputs, targets);
    perfect += accuracy == 1.0;
    below_0_9 += accuracy < 0.9;
  }
  std::printf("reference settings, seeds 1 to %ld: training accuracy exactly 1 for %ld, below 0.9 for %ld, "
              "training failed for %ld\n",
              seeds, perfect, below_0_9, failed);
  return 0;
}
