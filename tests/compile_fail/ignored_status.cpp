// Built three times: as is it must compile; with CTNN_EXPECT_FAIL=1 it ignores train's report and
// with CTNN_EXPECT_FAIL=2 a read's status, and the compiler must say that both are [[nodiscard]]
// (the failing builds add -Werror=unused-result: tests/CMakeLists.txt).
#include <array>
#include <cstddef>

#include "ctnn/ctnn.hpp"

using net = ctnn::network<float, ctnn::dense<2, 1, ctnn::sigmoid>>;

int main() {
  net m{};
  const std::array<net::input, 1> x{{{0, 1}}};
  const std::array<net::output, 1> y{{{1}}};
  const std::array<std::byte, ctnn::io::serialized_size<net>> blob{};
#if CTNN_EXPECT_FAIL == 1
  ctnn::train(m, x, y, ctnn::binary_cross_entropy{}, ctnn::sgd{}, {.epochs = 1});
  return 0;
#elif CTNN_EXPECT_FAIL == 2
  ctnn::io::read(m, blob);
  return 0;
#else
  const ctnn::train_report report = ctnn::train(m, x, y, ctnn::binary_cross_entropy{}, ctnn::sgd{}, {.epochs = 1});
  const ctnn::io::status status = ctnn::io::read(m, blob);  // all zeros: bad_magic
  return report.ok() && status == ctnn::io::status::bad_magic ? 0 : 1;
#endif
}
