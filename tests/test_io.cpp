// Parameters to bytes and back: the exact format, round trips (also at compile time), and every
// kind of corrupt or mismatched blob rejected with its own status, leaving the network unchanged.
#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>

#include "ctnn/ctnn.hpp"
#include "ctnn/io.hpp"
#include "param_compare.hpp"

namespace {

using ctnn_test::bit_identical;

namespace io = ctnn::io;

template <class T>
using small_net = ctnn::network<T, ctnn::dense<2, 3, ctnn::relu>, ctnn::dense<3, 1, ctnn::sigmoid>>;
template <class T>
using deep_net = ctnn::network<T, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 4, ctnn::leaky_relu>,
                               ctnn::dense<4, 3, ctnn::tanh>, ctnn::dense<3, 1, ctnn::sigmoid>>;

template <class Net>
using blob_of = std::array<std::byte, io::serialized_size<Net>>;

/** Makes a network whose every parameter (biases too) differs, with the awkward values among them. */
template <class Net>
Net awkward_network(std::uint64_t seed) {
  using T = typename Net::scalar;
  Net m{ctnn::he{}, seed};
  ctnn::random_engine rng{seed + 1};
  ctnn::for_each_array([&](auto& a) {
    for (auto& x : a) x += static_cast<T>(rng.uniform(-1, 1));
  }, m.parameters());
  auto& w = m.parameters().template layer<0>().weights;
  w[0] = T(-0.0);
  w[1] = std::numeric_limits<T>::denorm_min();
  w[2] = std::numeric_limits<T>::max();
  w[3] = std::numeric_limits<T>::lowest();
  w[4] = std::numeric_limits<T>::min();
  w[5] = T(0.1);
  return m;
}

template <class Net>
blob_of<Net> blob_from(const Net& m) {
  blob_of<Net> blob{};
  const auto result = io::write(m, blob);
  REQUIRE(result.status == io::status::ok);
  REQUIRE(result.bytes_written == blob.size());
  return blob;
}

/** Reads `bytes` into a network with other parameters; checks the status and that nothing changed. */
template <class Net>
void check_rejected(std::span<const std::byte> bytes, io::status expected) {
  Net m = awkward_network<Net>(99);
  const Net before = m;
  const io::status got = io::read(m, bytes);
  CHECK(io::to_string(got) == std::string_view{io::to_string(expected)});  // names, not numbers, in a failure
  CHECK(bit_identical(m.parameters(), before.parameters()));
}

template <class Net>
void put_crc(blob_of<Net>& blob) {
  const std::uint32_t crc = io::crc32(std::span<const std::byte>{blob}.subspan(io::header_size));
  for (std::size_t k = 0; k < 4; ++k) blob[20 + k] = static_cast<std::byte>(crc >> (8 * k));
}

constexpr std::array<std::byte, 9> bytes_of(const char (&text)[10]) {
  std::array<std::byte, 9> out{};
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = static_cast<std::byte>(text[k]);
  return out;
}

/** Writes, reads back into a zero network, and tells whether the result equals the original: at compile time. */
template <class Net>
constexpr bool round_trips_at_compile_time(std::uint64_t seed) {
  Net original{ctnn::he{}, seed};
  original.parameters().template layer<0>().biases[0] = typename Net::scalar(-0.25);
  std::array<std::byte, io::serialized_size<Net>> blob{};
  if (!io::write(original, blob).ok()) return false;
  Net copy{};
  return io::read(copy, blob) == io::status::ok && copy == original;
}

}  // namespace

TEST_CASE("io: CRC-32 is the IEEE one", "[io]") {
  STATIC_REQUIRE(io::crc32(bytes_of("123456789")) == 0xcbf43926u);  // the standard check value
  STATIC_REQUIRE(io::crc32({}) == 0u);
}

TEST_CASE("io: sizes are compile-time figures", "[io]") {
  STATIC_REQUIRE(io::serialized_size<small_net<float>> == 24 + (2 * 3 + 3 + 3 * 1 + 1) * 4);
  STATIC_REQUIRE(io::serialized_size<small_net<double>> == 24 + (2 * 3 + 3 + 3 * 1 + 1) * 8);
  STATIC_REQUIRE(io::serialized_size<const small_net<float>> == io::serialized_size<small_net<float>>);
  STATIC_REQUIRE(io::Serializable<deep_net<double>>);
  STATIC_REQUIRE(!io::Serializable<int>);
  STATIC_REQUIRE(!io::Serializable<ctnn::network<long double, ctnn::dense<1, 1, ctnn::relu>>>);
}

TEST_CASE("io: the bytes are exactly the documented format, whatever the host", "[io]") {
  using net = ctnn::network<float, ctnn::dense<1, 1, ctnn::identity>>;
  net m{};
  m.parameters().layer<0>().weights = {1.0f};
  m.parameters().layer<0>().biases = {-2.0f};
  // Made by Python's struct and zlib.crc32 from the layout in io.hpp, not by ctnn.
  constexpr std::array<unsigned, 32> golden{
      0x43, 0x54, 0x4e, 0x4e,                          // "CTNN"
      0x01, 0x00,                                      // version 1
      0x01, 0x04,                                      // float, 4 bytes
      0x65, 0xd1, 0xd8, 0x5f, 0x0e, 0xb8, 0xcd, 0xfd,  // topology signature
      0x08, 0x00, 0x00, 0x00,                          // payload length
      0x56, 0x26, 0x87, 0xc3,                          // CRC-32 of the payload
      0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0,  // 1.0f, -2.0f
  };
  const auto blob = blob_from(m);
  REQUIRE(blob.size() == golden.size());
  for (std::size_t k = 0; k < golden.size(); ++k) CHECK(static_cast<unsigned>(blob[k]) == golden[k]);
}

TEST_CASE("io: the payload is input-major by weight(i, o), then biases, layer by layer", "[io]") {
  using net = ctnn::network<double, ctnn::dense<2, 3, ctnn::identity>, ctnn::dense<3, 1, ctnn::identity>>;
  net m{};
  m.parameters().layer<0>().weight(1, 0) = 1.5;  // payload scalar 1 * 3 + 0 = 3
  m.parameters().layer<0>().biases[2] = -0.0;    // scalar 6 + 2 = 8
  m.parameters().layer<1>().weight(2, 0) = 1.5;  // scalar 9 + 2 = 11
  const auto blob = blob_from(m);
  const auto scalar = [&](std::size_t index) {
    std::uint64_t bits = 0;
    for (std::size_t k = 0; k < 8; ++k) bits |= std::uint64_t(blob[io::header_size + 8 * index + k]) << (8 * k);
    return bits;
  };
  for (std::size_t index = 0; index < net::parameter_count; ++index) {
    INFO("scalar " << index);
    if (index == 3 || index == 11)
      CHECK(scalar(index) == 0x3ff8000000000000u);  // 1.5
    else if (index == 8)
      CHECK(scalar(index) == 0x8000000000000000u);  // -0.0
    else
      CHECK(scalar(index) == 0u);
  }
}

TEST_CASE("io: the topology signature is stable and tells activations apart", "[io]") {
  // Computed by an independent FNV-1a in Python from the rule in io.hpp: a change here orphans saved blobs.
  STATIC_REQUIRE(io::topology_signature<ctnn::network<double, ctnn::dense<2, 3, ctnn::leaky_relu>,
                                                      ctnn::dense<3, 1, ctnn::sigmoid>>> == 0xb06d468b5efa956au);
  STATIC_REQUIRE(io::topology_signature<small_net<float>> == io::topology_signature<small_net<double>>);
  STATIC_REQUIRE(io::activation_id<ctnn::basic_leaky_relu<1, 100>>::value ==
                 io::activation_id<ctnn::basic_leaky_relu<2, 200>>::value);
  STATIC_REQUIRE(io::activation_id<ctnn::basic_leaky_relu<1, 100>>::value !=
                 io::activation_id<ctnn::basic_leaky_relu<1, 10>>::value);
}

TEMPLATE_TEST_CASE("io: write then read gives bit-identical parameters", "[io]", float, double) {
  using net = deep_net<TestType>;
  const net original = awkward_network<net>(3);
  const auto blob = blob_from(original);
  net copy{};
  REQUIRE(io::read(copy, blob) == io::status::ok);
  CHECK(copy == original);
  CHECK(bit_identical(copy.parameters(), original.parameters()));
}

TEST_CASE("io: a round trip at compile time", "[io][constexpr]") {
  STATIC_REQUIRE(round_trips_at_compile_time<small_net<float>>(7));
  STATIC_REQUIRE(round_trips_at_compile_time<deep_net<double>>(8));
}

TEMPLATE_TEST_CASE("io: read ignores bytes after the blob (e.g. the rest of a flash page)", "[io]", float, double) {
  using net = small_net<TestType>;
  const net original = awkward_network<net>(4);
  std::array<std::byte, io::serialized_size<net> + 100> page{};
  page.fill(std::byte{0xff});  // erased flash
  REQUIRE(io::write(original, page).bytes_written == io::serialized_size<net>);
  net copy{};
  CHECK(io::read(copy, page) == io::status::ok);
  CHECK(bit_identical(copy.parameters(), original.parameters()));
}

TEMPLATE_TEST_CASE("io: a wrong magic is bad_magic", "[io]", float, double) {
  using net = small_net<TestType>;
  for (std::size_t k = 0; k < 4; ++k) {
    auto blob = blob_from(awkward_network<net>(1));
    blob[k] ^= std::byte{0x20};
    check_rejected<net>(blob, io::status::bad_magic);
  }
}

TEMPLATE_TEST_CASE("io: another format version is unsupported_version", "[io]", float, double) {
  using net = small_net<TestType>;
  for (const unsigned version : {0u, 2u, 0x100u, 0xffffu}) {
    auto blob = blob_from(awkward_network<net>(1));
    blob[4] = static_cast<std::byte>(version & 0xff);
    blob[5] = static_cast<std::byte>(version >> 8);
    check_rejected<net>(blob, io::status::unsupported_version);
  }
}

TEST_CASE("io: a blob of another scalar type is wrong_scalar_type", "[io]") {
  SECTION("double blob, float network of the same topology") {
    check_rejected<small_net<float>>(blob_from(awkward_network<small_net<double>>(1)), io::status::wrong_scalar_type);
  }
  SECTION("float blob, double network of the same topology") {
    check_rejected<small_net<double>>(blob_from(awkward_network<small_net<float>>(1)), io::status::wrong_scalar_type);
  }
  SECTION("a type code that disagrees with the scalar's size") {
    auto blob = blob_from(awkward_network<small_net<float>>(1));
    blob[7] = std::byte{8};
    check_rejected<small_net<float>>(blob, io::status::wrong_scalar_type);
    blob = blob_from(awkward_network<small_net<float>>(1));
    blob[6] = std::byte{2};
    check_rejected<small_net<float>>(blob, io::status::wrong_scalar_type);
  }
}

TEMPLATE_TEST_CASE("io: a blob of another topology is wrong_topology", "[io]", float, double) {
  using T = TestType;
  const auto blob = blob_from(awkward_network<small_net<T>>(1));
  SECTION("other layer sizes") {
    check_rejected<ctnn::network<T, ctnn::dense<2, 4, ctnn::relu>, ctnn::dense<4, 1, ctnn::sigmoid>>>(
        blob, io::status::wrong_topology);
  }
  SECTION("another layer") {
    check_rejected<ctnn::network<T, ctnn::dense<2, 3, ctnn::relu>, ctnn::dense<3, 1, ctnn::sigmoid>,
                                 ctnn::dense<1, 1, ctnn::identity>>>(blob, io::status::wrong_topology);
  }
  SECTION("another activation, same sizes and so the same payload length") {
    check_rejected<ctnn::network<T, ctnn::dense<2, 3, ctnn::tanh>, ctnn::dense<3, 1, ctnn::sigmoid>>>(
        blob, io::status::wrong_topology);
    check_rejected<ctnn::network<T, ctnn::dense<2, 3, ctnn::leaky_relu>, ctnn::dense<3, 1, ctnn::sigmoid>>>(
        blob, io::status::wrong_topology);
  }
  SECTION("a flipped bit in the signature field") {
    for (std::size_t bit = 0; bit < 64; ++bit) {
      auto copy = blob;
      copy[8 + bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
      check_rejected<small_net<T>>(copy, io::status::wrong_topology);
    }
  }
}

TEMPLATE_TEST_CASE("io: a wrong length field is wrong_length", "[io]", float, double) {
  using net = small_net<TestType>;
  for (const std::uint32_t length : {0u, 4u, 8u, std::uint32_t(io::payload_size<net> - sizeof(TestType)),
                                     std::uint32_t(io::payload_size<net> + sizeof(TestType)), 0xffffffffu}) {
    auto blob = blob_from(awkward_network<net>(1));
    for (std::size_t k = 0; k < 4; ++k) blob[16 + k] = static_cast<std::byte>(length >> (8 * k));
    check_rejected<net>(blob, io::status::wrong_length);
  }
}

TEMPLATE_TEST_CASE("io: a blob cut short at any length is rejected and changes nothing", "[io]", float, double) {
  using net = deep_net<TestType>;
  const auto blob = blob_from(awkward_network<net>(1));
  for (std::size_t size = 0; size < blob.size(); ++size) {
    INFO("truncated to " << size << " of " << blob.size() << " bytes");
    check_rejected<net>(std::span<const std::byte>{blob}.first(size), io::status::wrong_length);
  }
}

TEMPLATE_TEST_CASE("io: any one flipped bit in the payload or checksum is bad_checksum", "[io]", float, double) {
  using net = small_net<TestType>;
  const auto blob = blob_from(awkward_network<net>(1));
  std::size_t flips = 0;
  for (std::size_t byte = 20; byte < blob.size(); ++byte) {
    if (byte >= 20 + 4 && byte < io::header_size) continue;
    for (unsigned bit = 0; bit < 8; ++bit) {
      auto copy = blob;
      copy[byte] ^= static_cast<std::byte>(1u << bit);
      INFO("byte " << byte << " bit " << bit);
      check_rejected<net>(copy, io::status::bad_checksum);
      ++flips;
    }
  }
  CHECK(flips == 8 * (4 + io::payload_size<net>));
}

TEMPLATE_TEST_CASE("io: NaN or infinity in a blob with a valid checksum is non_finite_value", "[io]", float, double) {
  using T = TestType;
  using net = deep_net<T>;
  using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  for (const T bad : {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::signaling_NaN(),
                      std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity()}) {
    for (const std::size_t index : {std::size_t{0}, std::size_t{17}, net::parameter_count - 1}) {
      auto blob = blob_from(awkward_network<net>(1));
      const U bits = std::bit_cast<U>(bad);
      for (std::size_t k = 0; k < sizeof(T); ++k)
        blob[io::header_size + index * sizeof(T) + k] = static_cast<std::byte>(bits >> (8 * k));
      put_crc<net>(blob);
      INFO("scalar " << index);
      check_rejected<net>(blob, io::status::non_finite_value);
    }
  }
}

TEMPLATE_TEST_CASE("io: write to a short buffer is buffer_too_small and writes nothing", "[io]", float, double) {
  using net = small_net<TestType>;
  const net m = awkward_network<net>(1);
  constexpr std::size_t size = io::serialized_size<net>;
  for (std::size_t room = 0; room < size; ++room) {
    std::array<std::byte, size + 8> buffer{};
    buffer.fill(std::byte{0xa5});
    const auto result = io::write(m, std::span<std::byte>{buffer}.first(room));
    INFO("room for " << room << " of " << size << " bytes");
    CHECK(result.status == io::status::buffer_too_small);
    CHECK(result.bytes_written == 0);
    CHECK(!result.ok());
    for (const std::byte b : buffer) CHECK(b == std::byte{0xa5});
  }
}

TEMPLATE_TEST_CASE("io: write leaves the bytes after the blob alone", "[io]", float, double) {
  using net = small_net<TestType>;
  constexpr std::size_t size = io::serialized_size<net>;
  std::array<std::byte, size + 8> buffer{};
  buffer.fill(std::byte{0xa5});
  CHECK(io::write(awkward_network<net>(1), buffer).bytes_written == size);
  for (std::size_t k = size; k < buffer.size(); ++k) CHECK(buffer[k] == std::byte{0xa5});
}

TEMPLATE_TEST_CASE("io: write refuses a network holding NaN or infinity, writing nothing", "[io]", float, double) {
  using T = TestType;
  using net = small_net<T>;
  for (const T bad : {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity()}) {
    net m = awkward_network<net>(1);
    m.parameters().template layer<1>().biases[0] = bad;
    std::array<std::byte, io::serialized_size<net>> buffer{};
    buffer.fill(std::byte{0xa5});
    const auto result = io::write(m, buffer);
    CHECK(result.status == io::status::non_finite_value);
    CHECK(result.bytes_written == 0);
    for (const std::byte b : buffer) CHECK(b == std::byte{0xa5});
  }
}

TEST_CASE("io: every status has its own description", "[io]") {
  constexpr std::array all{io::status::ok,           io::status::buffer_too_small,    io::status::bad_magic,
                           io::status::unsupported_version, io::status::wrong_scalar_type, io::status::wrong_topology,
                           io::status::wrong_length, io::status::bad_checksum,        io::status::non_finite_value};
  for (std::size_t a = 0; a < all.size(); ++a)
    for (std::size_t b = a + 1; b < all.size(); ++b)
      CHECK(std::string_view{io::to_string(all[a])} != std::string_view{io::to_string(all[b])});
  STATIC_REQUIRE(std::string_view{io::to_string(io::status::ok)} == "ok");
}
