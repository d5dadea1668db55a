// Times 64-128-128-10's forward pass plus descend step, one sample at a time, with its parameters at
// each offset of 0, 16, 32 and 48 bytes from a cache line that the network type's alignment allows
// (best of 7 rounds of 2,000 samples each): where the memory lies, for docs/speed.md.
// Build it against a source tree's include directory and run it, e.g. for the plain -O2 build:
//   g++ -std=c++20 -O2 -I<tree>/include tools/placement_offsets.cpp -o /tmp/placement && /tmp/placement
// (a tree before commit 3580dd3 aligns these rows to 16 bytes in such a build and so allows every offset).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <vector>

#include <ctnn/ctnn.hpp>

using net = ctnn::network<float, ctnn::dense<64, 128, ctnn::relu>, ctnn::dense<128, 128, ctnn::relu>,
                          ctnn::dense<128, 10, ctnn::sigmoid>>;

int main() {
  constexpr int samples = 2000;
  std::vector<net::input> inputs(256);
  ctnn::random_engine rng{1};
  for (auto& x : inputs)
    for (auto& v : x) v = static_cast<float>(rng.uniform(-2, 2));
  void* buffer = std::aligned_alloc(64, sizeof(net) + 64);
  auto* trace = new net::trace{};
  for (const std::size_t offset : {0, 16, 32, 48}) {
    if (offset % alignof(net) != 0) {
      std::printf("offset %2zu: not allowed (the network is aligned to %zu bytes)\n", offset, alignof(net));
      continue;
    }
    net* model = new (static_cast<char*>(buffer) + offset) net{ctnn::he{}, 7};
    double best = 1e300;
    for (int round = 0; round < 7; ++round) {
      const auto start = std::chrono::steady_clock::now();
      for (int k = 0; k < samples; ++k) {
        const net::input& x = inputs[k % inputs.size()];
        const net::output& a = model->forward(x, *trace);
        net::output delta;
        for (std::size_t o = 0; o < delta.size(); ++o) delta[o] = a[o] - (o == 0 ? 1.0f : 0.0f);
        model->descend(x, *trace, delta, 0.001f);
      }
      const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
      if (ns / samples < best) best = ns / samples;
    }
    std::printf("offset %2zu: forward + descend %6.0f ns a sample\n", offset, best);
    model->~net();
  }
  delete trace;
  std::free(buffer);
  return 0;
}
