// Compiles in the headers that export_header_fixture wrote with ctnn::host::write_parameters_header:
// that this file builds is half the test; the other half is that the values read back bit for bit.
#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <type_traits>

#include "export_header_fixture.hpp"
#include "exported_edge_double.hpp"
#include "exported_edge_float.hpp"
#include "exported_params.hpp"

namespace {

/** Tells whether two parameter sets have the same bytes (operator== calls -0 and +0 equal), at compile time too. */
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

// A network built from the exported parameters by the compiler: what firmware keeps in flash.
constexpr fixture::net from_header{exported_params};
constexpr fixture::net::input probe{0.5f, -1.0f};

}  // namespace

TEST_CASE("exported header: the parameters are the exported network's, bit for bit", "[export_header]") {
  STATIC_REQUIRE(std::is_same_v<std::remove_cv_t<decltype(exported_params)>, fixture::net::params>);
  // The compile-time He draw is the portable one, so this compares with the very values exported.
  STATIC_REQUIRE(bit_identical(exported_params, fixture::net{ctnn::he{}, fixture::seed}.parameters()));
  const fixture::net at_run_time{ctnn::he{}, fixture::seed};
  CHECK(bit_identical(exported_params, at_run_time.parameters()));
}

TEST_CASE("exported header: a constexpr network is built from it", "[export_header]") {
  STATIC_REQUIRE(from_header.predict(probe)[0] > 0.0f);
  STATIC_REQUIRE(from_header.predict(probe)[0] < 1.0f);
  STATIC_REQUIRE(from_header == fixture::net{ctnn::he{}, fixture::seed});
  const fixture::net at_run_time{ctnn::he{}, fixture::seed};
  CHECK(from_header.predict(probe) == at_run_time.predict(probe));
}

TEST_CASE("exported header: awkward values survive printing and parsing, bit for bit", "[export_header]") {
  // -0, subnormals, the extremes, 0.1, 1/3, 1 + ulp, whole numbers: see fixture::edge_network.
  STATIC_REQUIRE(bit_identical(edge::float_params, fixture::edge_network<float>().parameters()));
  STATIC_REQUIRE(bit_identical(edge::wide::double_params, fixture::edge_network<double>().parameters()));
  CHECK(bit_identical(edge::float_params, fixture::edge_network<float>().parameters()));
  CHECK(bit_identical(edge::wide::double_params, fixture::edge_network<double>().parameters()));
}
