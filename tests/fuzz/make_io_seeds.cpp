// Writes the seed corpus of fuzz_io_read into the folder given as its argument: valid blobs of both
// fuzzed networks and one of each kind of invalid blob. (The committed corpus/io was made by it:
// `fuzz_make_io_seeds tests/fuzz/corpus/io`.)
#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "ctnn/ctnn.hpp"
#include "fuzz_targets.hpp"

namespace {

namespace io = ctnn::io;

bool save(const std::string& folder, const char* name, std::span<const std::byte> bytes) {
  const std::string path = folder + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

template <class Net>
std::vector<std::byte> blob_of(const Net& net) {
  std::vector<std::byte> blob(io::serialized_size<Net>);
  if (!io::write(net, blob).ok()) std::abort();
  return blob;
}

template <class Net>
void fix_crc(std::vector<std::byte>& blob) {
  const std::uint32_t crc = io::crc32(std::span<const std::byte>{blob}.subspan(io::header_size, io::payload_size<Net>));
  for (std::size_t k = 0; k < 4; ++k) blob[20 + k] = static_cast<std::byte>(crc >> (8 * k));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FOLDER\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  using ctnn_fuzz::double_net;
  using ctnn_fuzz::float_net;
  bool ok = true;

  const float_net f{ctnn::he{}, 1};
  const double_net d{ctnn::xavier{}, 2};
  const auto good_float = blob_of(f);
  const auto good_double = blob_of(d);
  ok = ok && save(dir, "valid_float_3_5_3_1", good_float);
  ok = ok && save(dir, "valid_double_2_3_2", good_double);
  ok = ok && save(dir, "valid_float_zero", blob_of(float_net{}));

  auto page = good_float;  // a blob followed by the rest of a flash page
  page.resize(page.size() + 64, std::byte{0xff});
  ok = ok && save(dir, "valid_float_in_flash_page", page);

  ok = ok && save(dir, "truncated_header", std::span{good_float}.first(13));
  ok = ok && save(dir, "truncated_payload", std::span{good_float}.first(good_float.size() - 3));
  ok = ok && save(dir, "empty", {});

  auto bad = good_float;
  bad[0] = std::byte{'X'};
  ok = ok && save(dir, "bad_magic", bad);
  bad = good_float;
  bad[4] = std::byte{2};
  ok = ok && save(dir, "version_2", bad);
  bad = good_float;
  bad[30] ^= std::byte{0x10};
  ok = ok && save(dir, "bad_checksum", bad);
  bad = good_float;
  bad[16] = std::byte{0};  // payload length 0
  ok = ok && save(dir, "wrong_length", bad);

  bad = good_float;  // a NaN parameter with a checksum that matches it
  for (std::size_t k = 0; k < 4; ++k) bad[io::header_size + 4 + k] = std::byte{0xff};
  fix_crc<float_net>(bad);
  ok = ok && save(dir, "nan_with_good_crc", bad);
  bad = good_double;  // +inf in the last double
  const std::size_t last = good_double.size() - 8;
  for (std::size_t k = 0; k < 6; ++k) bad[last + k] = std::byte{0};
  bad[last + 6] = std::byte{0xf0};
  bad[last + 7] = std::byte{0x7f};
  fix_crc<double_net>(bad);
  ok = ok && save(dir, "inf_with_good_crc", bad);

  // right scalar type and length, other topology (same 168-byte payload as 3-5-3-1 in float)
  using other = ctnn::network<float, ctnn::dense<3, 5, ctnn::tanh>, ctnn::dense<5, 3, ctnn::relu>,
                              ctnn::dense<3, 1, ctnn::sigmoid>>;
  ok = ok && save(dir, "other_topology", blob_of(other{ctnn::he{}, 3}));
  // a float blob where a double one is expected and the reverse are covered by the two valid blobs

  if (!ok) {
    std::perror(dir.c_str());
    return 1;
  }
  return 0;
}
