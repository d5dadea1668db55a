// tests/param_compare.hpp - comparing parameter sets in tests: byte for byte, and finiteness.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "ctnn/network.hpp"

namespace ctnn_test {

/** Tells whether two values have the same bits (operator== calls -0 and +0 equal, and NaN unequal
    to itself); at compile time too for float and double. */
template <class T>
constexpr bool same_bits(T a, T b) {
  if constexpr (sizeof(T) == sizeof(std::uint32_t) || sizeof(T) == sizeof(std::uint64_t)) {
    using U = std::conditional_t<sizeof(T) == sizeof(std::uint32_t), std::uint32_t, std::uint64_t>;
    return std::bit_cast<U>(a) == std::bit_cast<U>(b);
  } else {
    // x86's long double: 10 bytes of value in 16; the other 6 are padding, whose contents the
    // compiler leaves unspecified (they differed under ASan in an AVX2 build).
    constexpr std::size_t value_bytes = std::numeric_limits<T>::digits == 64 ? 10 : sizeof(T);
    return std::memcmp(&a, &b, value_bytes) == 0;
  }
}
static_assert(same_bits(1.5f, 1.5f) && !same_bits(0.0f, -0.0f) && !same_bits(1.0, 1.0 + 0x1p-52));

/** Tells whether two parameter sets have the same bytes (operator== would call -0 and +0 equal,
    and NaN unequal to itself), at compile time too. */
template <class Params>
constexpr bool bit_identical(const Params& a, const Params& b) {
  bool same = true;
  ctnn::for_each_array(
      [&](const auto& x, const auto& y) {
        for (std::size_t k = 0; k < x.size(); ++k) same = same && same_bits(x[k], y[k]);
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
