// The networks that export_header_fixture.cpp exports and test_exported_header.cpp compiles back in.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>

#include "ctnn/ctnn.hpp"

namespace fixture {

/** The network of the main exported header: He-initialised with seed 7. */
using net = ctnn::network<float, ctnn::dense<2, 3, ctnn::relu>, ctnn::dense<3, 1, ctnn::sigmoid>>;
inline constexpr std::uint64_t seed = 7;

/** A network for the values where printing goes wrong: signed zero, subnormals, the extremes, values
    without a short decimal form, whole numbers (which need ".0" before a suffix). */
template <class T>
using edge_net = ctnn::network<T, ctnn::dense<2, 5, ctnn::identity>, ctnn::dense<5, 2, ctnn::leaky_relu>>;

template <class T>
constexpr edge_net<T> edge_network() {
  using limits = std::numeric_limits<T>;
  using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  const T above_one = std::bit_cast<T>(std::bit_cast<U>(T{1}) + 1);  // 1 + one ulp
  const T values[] = {T(-0.0), T(0.0),        limits::denorm_min(), -limits::denorm_min(), limits::min(),
                      limits::max(), limits::lowest(), T(0.1),      T(1) / T(3),           above_one,
                      T(3),          T(-1e10),   T(123456789),         T(2.5e-7),             T(-0.5)};
  edge_net<T> m{};
  std::size_t k = 0;
  ctnn::for_each_array([&](auto& a) {
    for (auto& x : a) x = values[k++ % (sizeof values / sizeof values[0])];
  }, m.parameters());
  return m;
}

using float_edge_net = edge_net<float>;
using double_edge_net = edge_net<double>;

}  // namespace fixture
