// size_probe.cpp - the firmware figures of the README, built by firmware/figures.sh in variants:
//   CTNN_PROBE_NET   0 = baseline without a network, 1 = 3-5-3-1, 2 = 16-32-32-1
//   CTNN_PROBE_TRAIN 0 = inference only, 1 = inference and mini-batch training
// It prints the stack high-water mark of predict and of a training step, measured by painting
// the stack before the call, and the constexpr RAM figures; figures.sh adds the sizes.
#include <cstdint>

#include "board.hpp"

#if CTNN_PROBE_NET != 0
#include <ctnn/ctnn.hpp>
#endif

namespace {

/** Fills the free stack below the caller's frame with a pattern, runs f, and returns how many
    bytes below that point f wrote: its real stack use, whatever was inlined. */
template <class F>
[[gnu::noinline]] std::uint32_t stack_used_by(F f) {
  constexpr std::uint32_t pattern = 0xC7A5C7A5u;
  constexpr std::uint32_t window_words = 2048;  // 8 KiB: the linker script keeps at least that free
  std::uint32_t* sp = nullptr;
  __asm volatile("mov %0, sp" : "=r"(sp));
  volatile std::uint32_t* const bottom = sp - window_words;
  for (std::uint32_t k = 16; k < window_words; ++k) bottom[k - 16] = pattern;  // keep clear of our own frame
  f();
  std::uint32_t untouched = 0;
  while (untouched < window_words - 16 && bottom[untouched] == pattern) ++untouched;
  return (window_words - untouched) * 4;
}

#if CTNN_PROBE_NET == 1
using net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::relu>,
                          ctnn::dense<3, 1, ctnn::sigmoid>>;
constexpr std::size_t features = 3;
#elif CTNN_PROBE_NET == 2
using net = ctnn::network<float, ctnn::dense<16, 32, ctnn::relu>, ctnn::dense<32, 32, ctnn::relu>,
                          ctnn::dense<32, 1, ctnn::sigmoid>>;
constexpr std::size_t features = 16;
#endif

#if CTNN_PROBE_NET != 0
struct data {
  std::array<net::input, 64> inputs;
  std::array<net::output, 64> targets;
};
constexpr data make_data() {
  data d{};
  ctnn::make_two_blobs<float, features>(d.inputs, d.targets, 2.0, 1);
  return d;
}
constexpr data samples = make_data();  // flash

// Weights drawn by the compiler: no initialisation code on the target.
#if CTNN_PROBE_TRAIN
constinit net model{ctnn::he{}, 1};  // trained in place: RAM, initialised from flash
ctnn::training_workspace<net, ctnn::sgd> work;
#else
constexpr net model{ctnn::he{}, 1};  // inference only: the weights stay in flash
#endif
volatile float sink;
#endif

}  // namespace

int main() {
#if CTNN_PROBE_NET == 0
  // The same kind of output as the other variants, without any network.
  const std::uint32_t used = stack_used_by([] { board::print("%s\n", "baseline"); });
  board::print("predict stack %u\n", static_cast<unsigned>(used));
#else
  const std::uint32_t predict_stack = stack_used_by([] { sink = model.predict(samples.inputs[7])[0]; });
  board::print("predict stack %u\n", static_cast<unsigned>(predict_stack));
  board::print("params bytes %u\n", static_cast<unsigned>(net::params_bytes));
#if CTNN_PROBE_TRAIN
  // One training step: one mini-batch of 16 samples, forward, backward, update.
  const std::uint32_t train_stack = stack_used_by([] {
    const std::span<const net::input> x{samples.inputs.data(), 16};
    const std::span<const net::output> y{samples.targets.data(), 16};
    // Measured for its stack, not its outcome.
    static_cast<void>(ctnn::train(model, x, y, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.1},
                                  {.epochs = 1}, [](const ctnn::epoch_stats&) {}, work));
  });
  board::print("train step stack %u\n", static_cast<unsigned>(train_stack));
  board::print("workspace bytes %u\n", static_cast<unsigned>(ctnn::training_workspace<net, ctnn::sgd>::bytes));
#endif
#endif
  return board::heap_untouched() ? 0 : 3;
}
