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
#include "param_compare.hpp"

namespace {

using ctnn_test::bit_identical;

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
