// ctnn/io.hpp - a network's parameters to bytes and back: a small, checked format for flash, files and links.
//
// A blob is a 24-byte header and a payload. Every integer and every scalar is little-endian IEEE 754,
// whatever the host, so a blob written on a PC loads on a Cortex-M and the reverse.
//
//   offset  bytes  field
//        0      4  magic "CTNN"
//        4      2  format version (format_version)
//        6      1  scalar type code: 1 float (binary32), 2 double (binary64)
//        7      1  size of the scalar in bytes (4 or 8): a second guard on the type code
//        8      8  topology signature: a hash of the layer count and of each layer's inputs,
//                  outputs and activation_id (see topology_signature)
//       16      4  payload length in bytes
//       20      4  CRC-32 of the payload (IEEE 802.3 polynomial, the value of zlib's crc32)
//       24      -  payload: for each layer in order, weight(i, o) for i = 0..In-1 and, within i,
//                  o = 0..Out-1 (input-major), then biases[0..Out-1]
//
// The payload order is fixed by weight(i, o), not by the layer's storage, so a change of the
// storage layout cannot silently transpose saved weights.
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctnn/activation.hpp"
#include "ctnn/dense.hpp"
#include "ctnn/network.hpp"

namespace ctnn::io {

/** Says what went wrong reading or writing parameters, or that nothing did; [[nodiscard]]: a
    failed read leaves the network as it was, and only the status tells. */
enum class [[nodiscard]] status : std::uint8_t {
  ok,
  buffer_too_small,     // write: the span is shorter than serialized_size<Net>; nothing was written
  bad_magic,            // read: the bytes are not a ctnn blob
  unsupported_version,  // read: a ctnn blob of a format version this library does not read
  wrong_scalar_type,    // read: the blob holds doubles and the network floats, or the reverse
  wrong_topology,       // read: the blob is of other layer sizes or activations
  wrong_length,         // read: the declared payload length is not the network's, or the input ends early
  bad_checksum,         // read: the payload is corrupt
  non_finite_value,     // read: a parameter in the blob is NaN or infinite; write: one in the network is
};

/** Returns a short English description of a status. */
constexpr const char* to_string(status s) {
  switch (s) {
    case status::ok: return "ok";
    case status::buffer_too_small: return "the buffer is too small for the parameters";
    case status::bad_magic: return "not a ctnn parameter blob (bad magic)";
    case status::unsupported_version: return "unsupported ctnn blob format version";
    case status::wrong_scalar_type: return "the blob's scalar type is not the network's";
    case status::wrong_topology: return "the blob's layer sizes or activations are not the network's";
    case status::wrong_length: return "the blob's length is wrong or the blob is truncated";
    case status::bad_checksum: return "the blob's payload fails its checksum";
    case status::non_finite_value: return "a parameter is NaN or infinite";
  }
  return "unknown status";
}

/** Reports the outcome of write: a status, and how many bytes at the start of the span hold the
    blob (0 unless ok). [[nodiscard]] as status is: a span too small for the blob gets nothing. */
struct [[nodiscard]] write_result {
  io::status status = io::status::ok;
  std::size_t bytes_written = 0;

  /** Tells whether the blob was written. */
  constexpr bool ok() const { return status == io::status::ok; }
};

/** Marks the start of every blob: its first four bytes. */
inline constexpr std::array<std::byte, 4> magic{std::byte{'C'}, std::byte{'T'}, std::byte{'N'}, std::byte{'N'}};
/** Names the format version this library writes, and the only one it reads. */
inline constexpr std::uint16_t format_version = 1;
/** Counts the bytes before the payload. */
inline constexpr std::size_t header_size = 24;

/** Names an activation in the topology signature, so that a blob saved from a network with one
    activation is refused by a network with another.

    Specialize it for an activation of your own, with a value of 256 or more whose top byte (bits
    56-63) is not 3 (0 to 255, and leaky ReLU's ids below, are ctnn's):
      template <> struct ctnn::io::activation_id<my_swish> : std::integral_constant<std::uint64_t, 0x5717> {};
    Pitfall: activations without a specialization all share id 0, so the signature cannot tell them apart. */
template <class Act>
struct activation_id : std::integral_constant<std::uint64_t, 0> {};

template <>
struct activation_id<identity> : std::integral_constant<std::uint64_t, 1> {};
template <>
struct activation_id<relu> : std::integral_constant<std::uint64_t, 2> {};
template <>
struct activation_id<sigmoid> : std::integral_constant<std::uint64_t, 4> {};
template <>
struct activation_id<tanh> : std::integral_constant<std::uint64_t, 5> {};
template <>
struct activation_id<softmax> : std::integral_constant<std::uint64_t, 6> {};

/** Gives leaky ReLU an id made from its slope in lowest terms, so that basic_leaky_relu<1, 100> and
    <2, 200>, which compute the same function, load each other's blobs, and other slopes do not: the
    numerator in bits 24-55, the denominator below bit 24 (a larger one would overlap the numerator
    and two slopes could share an id, so it does not compile). */
template <int Numerator, int Denominator>
struct activation_id<basic_leaky_relu<Numerator, Denominator>>
    : std::integral_constant<std::uint64_t,
                             (std::uint64_t{3} << 56) ^
                                 (std::uint64_t{static_cast<std::uint32_t>(
                                      Numerator / std::gcd(Numerator, Denominator))}
                                  << 24) ^
                                 static_cast<std::uint64_t>(Denominator / std::gcd(Numerator, Denominator))> {
  static_assert(Denominator / std::gcd(Numerator, Denominator) < (1 << 24),
                "ctnn::io: a leaky ReLU slope's denominator, in lowest terms, must be below 2^24 "
                "to have an id of its own");
};

namespace detail {

template <class L>
inline constexpr bool is_dense = false;
template <std::size_t In, std::size_t Out, Activation Act>
inline constexpr bool is_dense<dense<In, Out, Act>> = true;

/** Tells what io needs to know about a network type; `serializable` is false for anything else. */
template <class Net>
struct network_traits {
  static constexpr bool serializable = false;
};
template <std::floating_point T, Layer... Layers>
struct network_traits<network<T, Layers...>> {
  using layers = std::tuple<Layers...>;
  // Only IEEE float and double have the byte images the format promises; and only dense
  // layers have the weight(i, o) that fixes the payload order.
  static constexpr bool serializable =
      (std::is_same_v<T, float> || std::is_same_v<T, double>) && std::numeric_limits<T>::is_iec559 &&
      (is_dense<Layers> && ...);
};

}  // namespace detail

/** A network io can write and read: a ctnn::network of ctnn::dense layers in float or double.
    Satisfied by network<float, dense<...>...> and network<double, dense<...>...>. */
template <class Net>
concept Serializable = detail::network_traits<std::remove_cv_t<Net>>::serializable;

namespace detail {

template <class T>
using bits_of = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
inline constexpr std::uint8_t scalar_code = std::is_same_v<T, float> ? 1 : 2;

/** Stores `value` little-endian at out[at..]: shifts, not memcpy, so the host's byte order never matters. */
template <std::unsigned_integral U>
constexpr void store(std::span<std::byte> out, std::size_t at, U value) {
  for (std::size_t k = 0; k < sizeof(U); ++k) out[at + k] = static_cast<std::byte>((value >> (8 * k)) & 0xffu);
}

/** Loads a little-endian U from in[at..]. */
template <std::unsigned_integral U>
constexpr U load(std::span<const std::byte> in, std::size_t at) {
  U value = 0;
  for (std::size_t k = 0; k < sizeof(U); ++k) value |= static_cast<U>(static_cast<U>(in[at + k]) << (8 * k));
  return value;
}

/** Tells whether the IEEE image `bits` of a T is finite. Tests the exponent bits rather than the
    value, so it holds under -ffast-math and never makes a NaN in a constant expression. */
template <class T>
constexpr bool is_finite_image(bits_of<T> bits) {
  constexpr bits_of<T> exponent = std::bit_cast<bits_of<T>>(std::numeric_limits<T>::infinity());
  return (bits & exponent) != exponent;
}

/** Mixes the 8 bytes of `value` into a 64-bit FNV-1a hash. */
constexpr std::uint64_t fnv1a(std::uint64_t hash, std::uint64_t value) {
  for (int k = 0; k < 8; ++k) {
    hash ^= (value >> (8 * k)) & 0xffu;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

template <class Net>
constexpr std::uint64_t compute_signature() {
  using layers = typename network_traits<std::remove_cv_t<Net>>::layers;
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    std::uint64_t hash = fnv1a(0xcbf29ce484222325ULL, sizeof...(I));
    ((hash = fnv1a(fnv1a(fnv1a(hash, std::tuple_element_t<I, layers>::inputs), std::tuple_element_t<I, layers>::outputs),
                   activation_id<typename std::tuple_element_t<I, layers>::activation>::value)),
     ...);
    return hash;
  }(std::make_index_sequence<std::tuple_size_v<layers>>{});
}

/** Calls f on every parameter of `p`, a Net::params (const or not), in payload order. */
template <class Net, class Params, class F>
constexpr void for_each_parameter(Params& p, F&& f) {
  using layers = typename network_traits<std::remove_cv_t<Net>>::layers;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          using L = std::tuple_element_t<I, layers>;
          auto& layer = p.template layer<I>();
          for (std::size_t i = 0; i < L::inputs; ++i)
            for (std::size_t o = 0; o < L::outputs; ++o) f(layer.weight(i, o));
          for (auto& b : layer.biases) f(b);
        }(),
        ...);
  }(std::make_index_sequence<std::tuple_size_v<layers>>{});
}

inline constexpr std::array<std::uint32_t, 256> crc32_table = [] {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xedb88320u ^ (c >> 1) : c >> 1;  // reflected 0x04c11db7
    table[n] = c;
  }
  return table;
}();

}  // namespace detail

/** Computes the CRC-32 (IEEE 802.3, reflected, as zlib's crc32 and Ethernet) of `bytes`.
    Table-driven: the table costs 1 KiB of read-only memory and saves 8 steps per byte. */
constexpr std::uint32_t crc32(std::span<const std::byte> bytes) {
  std::uint32_t c = 0xffffffffu;
  for (const std::byte b : bytes) c = detail::crc32_table[(c ^ static_cast<std::uint32_t>(b)) & 0xffu] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

/** Identifies a network's topology: a hash of its layer count and each layer's inputs, outputs
    and activation_id. The scalar type is not part of it; the header says that separately. */
template <Serializable Net>
inline constexpr std::uint64_t topology_signature = detail::compute_signature<Net>();

/** Counts the payload bytes of a Net's blob. */
template <Serializable Net>
inline constexpr std::size_t payload_size = Net::parameter_count * sizeof(typename Net::scalar);

/** Counts the bytes of a Net's blob, so a buffer can be sized at compile time:
      std::array<std::byte, ctnn::io::serialized_size<net>> blob; */
template <Serializable Net>
inline constexpr std::size_t serialized_size = header_size + payload_size<Net>;

/** Writes `net`'s parameters into the start of `out` as a blob; returns ok and the blob's size.

    Writes nothing (and says why) if `out` is too small or a parameter is NaN or infinite:
    such a blob could not be read back. Bytes of `out` after the blob are left as they were. */
template <Serializable Net>
constexpr write_result write(const Net& net, std::span<std::byte> out) {
  using T = typename Net::scalar;
  using bits = detail::bits_of<T>;
  static_assert(payload_size<Net> <= 0xffffffffu, "ctnn::io: the payload length must fit its 32-bit header field");
  if (out.size() < serialized_size<Net>) return {status::buffer_too_small, 0};

  bool finite = true;
  detail::for_each_parameter<Net>(net.parameters(),
                                  [&](const T& x) { finite = finite && detail::is_finite_image<T>(std::bit_cast<bits>(x)); });
  if (!finite) return {status::non_finite_value, 0};

  for (std::size_t k = 0; k < magic.size(); ++k) out[k] = magic[k];
  detail::store(out, 4, format_version);
  out[6] = static_cast<std::byte>(detail::scalar_code<T>);
  out[7] = static_cast<std::byte>(sizeof(T));
  detail::store(out, 8, topology_signature<Net>);
  detail::store(out, 16, static_cast<std::uint32_t>(payload_size<Net>));
  std::size_t at = header_size;
  detail::for_each_parameter<Net>(net.parameters(), [&](const T& x) {
    detail::store(out, at, std::bit_cast<bits>(x));
    at += sizeof(T);
  });
  detail::store(out, 20, crc32(out.subspan(header_size, payload_size<Net>)));
  return {status::ok, serialized_size<Net>};
}

/** Reads a blob written by write into `net`'s parameters; returns ok, or the first thing wrong.

    All or nothing: on any status but ok, `net` is unchanged. Bytes after the blob are ignored,
    so `in` may be a whole flash page. The checks, in order: magic, version, scalar type,
    topology, length (the declared one and the input's), checksum, finiteness. The input's length
    is also checked before the magic (4 bytes), before the version (6) and before the scalar type
    (the 24-byte header): an input shorter than that gives wrong_length there, so a valid magic and
    version followed by less than a whole header give wrong_length, not wrong_scalar_type. */
template <Serializable Net>
constexpr status read(Net& net, std::span<const std::byte> in) {
  using T = typename Net::scalar;
  using bits = detail::bits_of<T>;
  // Magic and version first, each as soon as its bytes are there: a header of another format
  // version may be laid out differently, so nothing after them is interpreted until they match.
  if (in.size() < magic.size()) return status::wrong_length;
  for (std::size_t k = 0; k < magic.size(); ++k)
    if (in[k] != magic[k]) return status::bad_magic;
  if (in.size() < 6) return status::wrong_length;
  if (detail::load<std::uint16_t>(in, 4) != format_version) return status::unsupported_version;
  if (in.size() < header_size) return status::wrong_length;
  if (in[6] != static_cast<std::byte>(detail::scalar_code<T>) || in[7] != static_cast<std::byte>(sizeof(T)))
    return status::wrong_scalar_type;
  if (detail::load<std::uint64_t>(in, 8) != topology_signature<Net>) return status::wrong_topology;
  if (detail::load<std::uint32_t>(in, 16) != payload_size<Net> || in.size() < serialized_size<Net>)
    return status::wrong_length;
  const std::span<const std::byte> payload = in.subspan(header_size, payload_size<Net>);
  if (crc32(payload) != detail::load<std::uint32_t>(in, 20)) return status::bad_checksum;
  for (std::size_t at = 0; at < payload.size(); at += sizeof(T))
    if (!detail::is_finite_image<T>(detail::load<bits>(payload, at))) return status::non_finite_value;

  // Every check has passed, so decoding cannot fail: the parameters change all together or not
  // at all, without a second params-sized value on the stack (a big network's would not fit a
  // small one).
  std::size_t at = 0;
  detail::for_each_parameter<Net>(net.parameters(), [&](T& x) {
    x = std::bit_cast<T>(detail::load<bits>(payload, at));
    at += sizeof(T);
  });
  return status::ok;
}

}  // namespace ctnn::io
