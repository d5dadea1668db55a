// Inference on the device: a network trained on the host is compiled in as constexpr data, so
// its weights sit in flash and the firmware only runs predict. The build runs train_model
// (a host program) to make trained_model.hpp and expected_outputs.hpp; this program checks
// its outputs against the host's and prints them as fixed point.
#include "board.hpp"
#include "expected_outputs.hpp"
#include "model.hpp"
#include "trained_model.hpp"

namespace {

// In flash: constexpr, and nothing to initialise at start-up.
constexpr model::net classifier{model::trained_params};

// Target and host run the same float operations: the cross toolchain files build the target
// with -ffp-contract=off (no a*b+c fused into one vfma), and exp is ctnn's own float code on
// both (math.hpp), not a C library's. Measured, the outputs are bit-identical; the check allows
// 1e-6 relative (at least 8 ulp of float), which also covers a build that fuses a*b+c (README,
// On a microcontroller).
constexpr float tolerance = 1e-6f;

float relative_difference(float a, float b) {
  const float diff = a > b ? a - b : b - a;
  const float scale = a > 0 ? a : -a;
  return scale > 0 ? diff / scale : diff;
}

}  // namespace

int main() {
  int mismatches = 0;
  float worst = 0;
  for (std::size_t k = 0; k < model::samples.size(); ++k) {
    const float p = classifier.predict(model::samples[k])[0];
    const float difference = relative_difference(model::expected_outputs[k], p);
    worst = difference > worst ? difference : worst;
    board::print("sample %u: class %u  ", static_cast<unsigned>(k), static_cast<unsigned>(ctnn::classify(std::array{p})));
    board::print_fixed4("p ", p, "  ");
    board::print_fixed4("host ", model::expected_outputs[k], "");
    board::print("  relative difference %ld e-9\n", static_cast<long>(difference * 1e9f));
    if (difference > tolerance) ++mismatches;
  }
  board::print("largest relative difference to the host: %ld e-9\n", static_cast<long>(worst * 1e9f));
  board::print("params in flash: %u bytes\n", static_cast<unsigned>(model::net::params_bytes));
  if (mismatches != 0) {
    board::print("%d outputs differ from the host's by more than 1e-6\n", mismatches);
    return 1;
  }
  return board::heap_untouched() ? 0 : 3;
}
