// ctnn/host/detail/text.hpp - numbers to text without the locale, for the host helpers.
#pragma once

#include <charconv>
#include <cstddef>
#include <string>
#include <system_error>

namespace ctnn::host::detail {

/** Appends `value` in the shortest form that reads back as the same double.
    std::to_chars, unlike printf, ignores the locale: a CSV never gets "0,5". */
inline void append_shortest(std::string& out, double value) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, error == std::errc{} ? end : buffer);
}

/** Appends `value` with exactly `decimals` digits after the point. */
inline void append_fixed(std::string& out, double value, int decimals) {
  char buffer[352];  // room for any finite double in fixed notation with up to 30 decimals
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  out.append(buffer, error == std::errc{} ? end : buffer);
}

/** Appends `value` in decimal. */
inline void append_integer(std::string& out, std::size_t value) {
  char buffer[24];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, error == std::errc{} ? end : buffer);
}

}  // namespace ctnn::host::detail
