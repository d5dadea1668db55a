// tests/param_compare.hpp - comparing parameter sets in tests: byte for byte, and finiteness.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "ctnn/network.hpp"

namespace ctnn_test {

/** Tells whether two parameter sets have the same bytes (operator== would call -0 and +0 equal,
    and NaN unequal to itself), at compile time too. */
template <class Params>
constexpr bool bit_identical(const Params& a, const Params& b) {
  bool same = true;
  ctnn::for_each_array(
      [&](const auto& x, const auto& y) {
        using T = typename std::remove_cvref_t<decltype(x)>::value_type;
        using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
        for (std::size_t k = 0; k < x.size(); ++k) same = same && std::bit_cast<U>(x[k]) == std::bit_cast<U>(y[k]);
      },
      a, b);
  return same;
}

/** Tells whether every parameter is finite. */
template <class Params>
bool finite_everywhere(const Params& p) {
  bool finite = true;
  ctnn::for_each_array(
      [&](const auto& values) {
        for (const auto v : values) finite = finite && std::isfinite(v);
      },
      p);
  return finite;
}

}  // namespace ctnn_test
