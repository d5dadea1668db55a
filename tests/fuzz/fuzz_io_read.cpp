// libFuzzer target for ctnn::io::read: whatever the bytes, read returns a status, never crashes or
// reads out of bounds (ASan, UBSan), and is all or nothing: a rejected blob leaves the network
// unchanged bit for bit, and an accepted one writes back to exactly the bytes that were read.
//
// Each input is tried twice for each of two networks (float 3-5-3-1, double 2-3-2): as it is, and
// with a correct CRC-32 patched into its header, so that mutations get past the checksum and reach
// the finiteness check and the decoder instead of stopping at bad_checksum.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

#include "ctnn/ctnn.hpp"
#include "fuzz_targets.hpp"
#include "../param_compare.hpp"

namespace {

using ctnn_test::bit_identical;

namespace io = ctnn::io;

[[noreturn]] void fail() { __builtin_trap(); }

template <class Net>
void check_read(std::span<const std::byte> bytes) {
  Net net{ctnn::he{}, 42};  // parameters that a read must either keep or replace entirely
  net.parameters().template layer<0>().biases[0] = typename Net::scalar(-0.5);
  const Net before = net;
  const io::status status = io::read(net, bytes);
  if (status != io::status::ok) {
    if (!bit_identical(net.parameters(), before.parameters())) fail();  // a rejected input changed the network
    if (io::to_string(status)[0] == '\0') fail();
    return;
  }
  if (bytes.size() < io::serialized_size<Net>) fail();  // accepted fewer bytes than a blob has
  std::array<std::byte, io::serialized_size<Net>> out{};
  const io::write_result written = io::write(net, out);
  if (!written.ok() || written.bytes_written != out.size()) fail();
  if (std::memcmp(out.data(), bytes.data(), out.size()) != 0) fail();  // no exact round trip
}

template <class Net>
void check_with_fixed_crc(std::span<const std::byte> bytes) {
  if (bytes.size() < io::serialized_size<Net>) return;
  std::vector<std::byte> copy(bytes.begin(), bytes.end());
  const std::uint32_t crc = io::crc32(std::span<const std::byte>{copy}.subspan(io::header_size, io::payload_size<Net>));
  for (std::size_t k = 0; k < 4; ++k) copy[20 + k] = static_cast<std::byte>(crc >> (8 * k));
  check_read<Net>(copy);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A vector of exactly `size` bytes, so ASan sees any read past the end of the input.
  const std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(data),
                                     reinterpret_cast<const std::byte*>(data) + size);
  check_read<ctnn_fuzz::float_net>(bytes);
  check_read<ctnn_fuzz::double_net>(bytes);
  check_with_fixed_crc<ctnn_fuzz::float_net>(bytes);
  check_with_fixed_crc<ctnn_fuzz::double_net>(bytes);
  return 0;
}
