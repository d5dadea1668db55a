// Built four times: as is it must compile; with CTNN_EXPECT_FAIL=1 it ignores train's report, with
// 2 a read's status and with 3 a write's result, and the compiler must say that each is
// [[nodiscard]] (the failing builds add -Werror=unused-result: tests/CMakeLists.txt).
#include <array>
#include <cstddef>

#include "ctnn/ctnn.hpp"

using net = ctnn::network<float, ctnn::dense<2, 1, ctnn::sigmoid>>;

int main() {
  net m{};
  const std::array<net::input, 1> x{{{0, 1}}};
  const std::array<net::output, 1> y{{{1}}};
  const std::array<std::byte, ctnn::io::serialized_size<net>> blob{};
  std::array<std::byte, ctnn::io::serialized_size<net>> out{};
#if CTNN_EXPECT_FAIL == 1
  ctnn::train(m, x, y, ctnn::binary_cross_entropy{}, ctnn::sgd{}, {.epochs = 1});
  return 0;
#elif CTNN_EXPECT_FAIL == 2
  ctnn::io::read(m, blob);
  return 0;
#elif CTNN_EXPECT_FAIL == 3
  ctnn::io::write(m, out);
  return 0;
#else
  const ctnn::train_report report = ctnn::train(m, x, y, ctnn::binary_cross_entropy{}, ctnn::sgd{}, {.epochs = 1});
  const ctnn::io::status status = ctnn::io::read(m, blob);  // all zeros: bad_magic
  const ctnn::io::write_result written = ctnn::io::write(m, out);
  return report.ok() && status == ctnn::io::status::bad_magic && written.ok() ? 0 : 1;
#endif
}
