// Built twice: as is it must compile; with CTNN_EXPECT_FAIL it must fail with the message below.
#include "ctnn/network.hpp"

#ifdef CTNN_EXPECT_FAIL
using net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<4, 1, ctnn::sigmoid>>;  // 5 feeds 4
#else
using net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 1, ctnn::sigmoid>>;
#endif

int main() {
  const net m{};
  return m.predict({1, 2, 3})[0] > 0.5f ? 1 : 0;
}
