// Writes the headers that test_exported_header.cpp includes: the build compiles them, which is the test
// that write_parameters_header's output is valid C++ and reads back to the same bits.
//
// usage: export_header_fixture exported_params.hpp exported_edge_float.hpp exported_edge_double.hpp
#include <cstdio>

#include "ctnn/host/export_header.hpp"
#include "export_header_fixture.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s exported_params.hpp exported_edge_float.hpp exported_edge_double.hpp\n", argv[0]);
    return 2;
  }
  // The main header spells the whole type, so it needs no include but ctnn's.
  const fixture::net model{ctnn::he{}, fixture::seed};
  const ctnn::host::io_result results[] = {
      ctnn::host::write_parameters_header(
          model, argv[1], "exported_params",
          "ctnn::network<float, ctnn::dense<2, 3, ctnn::relu>, ctnn::dense<3, 1, ctnn::sigmoid>>"),
      // The edge headers name the type by an alias, so they exercise the include and namespace options.
      ctnn::host::write_parameters_header(fixture::edge_network<float>(), argv[2], "float_params",
                                          "fixture::float_edge_net",
                                          {.include = "export_header_fixture.hpp", .name_space = "edge"}),
      ctnn::host::write_parameters_header(fixture::edge_network<double>(), argv[3], "double_params",
                                          "fixture::double_edge_net",
                                          {.include = "export_header_fixture.hpp", .name_space = "edge::wide"}),
  };
  int status = 0;
  for (const auto& result : results) {
    if (!result.ok) {
      std::fprintf(stderr, "export_header_fixture: %s\n", result.message.c_str());
      status = 1;
    }
  }
  return status;
}
