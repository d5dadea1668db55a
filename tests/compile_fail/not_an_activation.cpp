// Built twice: as is it must compile; with CTNN_EXPECT_FAIL it must fail on the Activation concept.
#include "ctnn/network.hpp"

#ifdef CTNN_EXPECT_FAIL
struct softsign {  // has value() but no derivative(): not an Activation
  template <class T>
  static constexpr T value(T z) { return z / (1 + (z < 0 ? -z : z)); }
};
#else
struct softsign {
  template <class T>
  static constexpr T value(T z) { return z / (1 + (z < 0 ? -z : z)); }
  template <class T>
  static constexpr T derivative(T z, T) { return 1 / ((1 + (z < 0 ? -z : z)) * (1 + (z < 0 ? -z : z))); }
};
#endif

using net = ctnn::network<float, ctnn::dense<3, 5, softsign>, ctnn::dense<5, 1, ctnn::sigmoid>>;

int main() {
  const net m{};
  return m.predict({1, 2, 3})[0] > 0.5f ? 1 : 0;
}
