// ctnn/host/csv.hpp - binary classification data from a numeric CSV file.
//
// Host only: uses std::vector, std::string and files; never included by the core.
#pragma once

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "ctnn/host/detail/text.hpp"
#include "ctnn/host/file.hpp"

namespace ctnn::host {

/** What the CSV readers make of the first non-blank line. */
enum class csv_header {
  detect,   // a header if any of its fields is not a number, else data
  present,  // a header, skipped unread
  absent,   // data
};

/** Samples read from a CSV file: `inputs[k]` has N features, `targets[k]` its 0/1 label.
    When ok is false, message says where and what (e.g.
    "data.csv:7:9: expected a number in field 3, found 'abc'") and both vectors are empty. */
template <std::floating_point T, std::size_t N>
struct [[nodiscard]] classification_data {
  bool ok = false;
  std::string message;
  std::vector<std::array<T, N>> inputs;
  std::vector<std::array<T, 1>> targets;
};

namespace detail {

/** One comma-separated field, without the blanks around it. */
struct csv_field {
  std::string_view text;
  std::size_t column;  // 1-based position in the line of the field's first character
};

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/** Splits `line` at commas into `fields`, trimming blanks. Quoting is not supported: a numeric file needs none. */
inline void split_csv_line(std::string_view line, std::vector<csv_field>& fields) {
  fields.clear();
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = line.find(',', begin);
    std::size_t end = comma == std::string_view::npos ? line.size() : comma;
    std::size_t first = begin;
    while (first < end && is_blank(line[first])) ++first;
    while (end > first && is_blank(line[end - 1])) --end;
    fields.push_back({line.substr(first, end - first), first + 1});
    if (comma == std::string_view::npos) return;
    begin = comma + 1;
  }
}

/** Why a field is not a usable number. */
enum class number_error { none, empty, not_a_number, out_of_range, not_finite };

/** Parses all of `text` as a finite double into `value`. std::from_chars ignores the
    locale, so "0.5" means one half everywhere. */
inline number_error parse_number(std::string_view text, double& value) {
  if (text.empty()) return number_error::empty;
  // from_chars rejects a leading '+', which some writers put before positive numbers; allow one.
  if (text.front() == '+' && text.size() > 1 && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  const char* const end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc::result_out_of_range) return number_error::out_of_range;
  if (error != std::errc{} || stop != end) return number_error::not_a_number;
  if (!std::isfinite(value)) return number_error::not_finite;
  return number_error::none;
}

/** Appends `text` in single quotes, cut short and with unprintable bytes as '?', so a binary
    file cannot fill a terminal. */
inline void append_quoted(std::string& out, std::string_view text) {
  constexpr std::size_t longest = 40;
  out += '\'';
  for (std::size_t k = 0; k < text.size() && k < longest; ++k) {
    const auto c = static_cast<unsigned char>(text[k]);
    out += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
  }
  if (text.size() > longest) out += "...";
  out += '\'';
}

/** Returns "source:line:column: " for a message. */
inline std::string csv_location(std::string_view source, std::size_t line, std::size_t column) {
  std::string location{source};
  location += ':';
  append_integer(location, line);
  location += ':';
  append_integer(location, column);
  location += ": ";
  return location;
}

/** Returns the message for a field that is not a usable number (`error` is not none). */
inline std::string number_message(std::string_view source, std::size_t line, const csv_field& field,
                                  std::size_t field_number, number_error error) {
  std::string message = csv_location(source, line, field.column);
  switch (error) {
    case number_error::empty: message += "expected a number in field "; break;
    case number_error::not_finite: message += "expected a finite number in field "; break;
    case number_error::out_of_range: message += "number out of range in field "; break;
    default: message += "expected a number in field "; break;
  }
  append_integer(message, field_number);
  if (error == number_error::empty) {
    message += ", found an empty field";
  } else {
    message += error == number_error::out_of_range ? ": " : ", found ";
    append_quoted(message, field.text);
  }
  return message;
}

/** Returns the message for a row with the wrong number of fields. */
inline std::string field_count_message(std::string_view source, std::size_t line, std::string_view text,
                                       const std::vector<csv_field>& fields, std::size_t features) {
  // Point at the first extra field, or at the end of a short line.
  const std::size_t column = fields.size() > features + 1 ? fields[features + 1].column : text.size() + 1;
  std::string message = csv_location(source, line, column);
  message += "expected ";
  append_integer(message, features + 1);
  message += " comma-separated fields (";
  append_integer(message, features);
  message += " features, then a label 0 or 1), found ";
  append_integer(message, fields.size());
  if (fields.size() == features) message += ": the label is missing";
  return message;
}

/** Parses all of `text` as a finite number that T can hold. */
template <std::floating_point T>
number_error parse_field(std::string_view text, T& value) {
  double parsed = 0;
  const number_error error = parse_number(text, parsed);
  if (error != number_error::none) return error;
  // A double beyond T's range would become infinite in T: say so here rather than let training reject it.
  if (std::abs(parsed) > static_cast<double>(std::numeric_limits<T>::max())) return number_error::out_of_range;
  value = static_cast<T>(parsed);
  return number_error::none;
}

/** Returns a failed result with `message` and no samples. */
template <std::floating_point T, std::size_t N>
classification_data<T, N> failed_csv(std::string message) {
  classification_data<T, N> result;
  result.message = std::move(message);
  return result;
}

/** Returns read(), or a failure if it runs out of memory: the CSV functions promise not to throw. */
template <std::floating_point T, std::size_t N, class Read>
classification_data<T, N> without_throwing(Read read) {
#if defined(__cpp_exceptions)
  try {
    return read();
  } catch (const std::bad_alloc&) {
    return failed_csv<T, N>("out of memory");  // short enough that std::string needs no allocation
  }
#else
  return read();
#endif
}

/** Parses `text` as parse_classification_csv does, but may throw std::bad_alloc. */
template <std::floating_point T, std::size_t N>
classification_data<T, N> parse_csv(std::string_view text, std::string_view source, csv_header header) {
  static_assert(N > 0, "ctnn::host::parse_classification_csv: a sample needs at least one feature");
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte order mark, as spreadsheets write

  classification_data<T, N> data;
  std::vector<csv_field> fields;
  bool first_row = true;
  std::size_t line_number = 0;
  for (std::size_t begin = 0; begin < text.size();) {
    const std::size_t newline = text.find('\n', begin);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline;
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    ++line_number;
    // The '\r' of a CRLF line end is not a character of the line: left in, it would count in
    // the column of a message at the end of the line ("1,2\r" would say column 5, not 4).
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    bool blank = true;
    for (const char c : line) blank = blank && is_blank(c);
    if (blank) continue;

    split_csv_line(line, fields);
    if (first_row) {
      first_row = false;
      if (header == csv_header::present) continue;
      if (header == csv_header::detect) {
        bool numeric = true;
        double ignored = 0;
        for (const csv_field& f : fields) numeric = numeric && parse_number(f.text, ignored) == number_error::none;
        if (!numeric) continue;
      }
    }

    if (fields.size() != N + 1) return failed_csv<T, N>(field_count_message(source, line_number, line, fields, N));
    std::array<T, N> features{};
    T label{};
    for (std::size_t k = 0; k <= N; ++k) {
      const number_error error = parse_field(fields[k].text, k < N ? features[k] : label);
      if (error != number_error::none)
        return failed_csv<T, N>(number_message(source, line_number, fields[k], k + 1, error));
    }
    if (label != T{0} && label != T{1}) {
      std::string message = csv_location(source, line_number, fields[N].column);
      message += "expected a label 0 or 1 in field ";
      append_integer(message, N + 1);
      message += ", found ";
      append_quoted(message, fields[N].text);
      return failed_csv<T, N>(std::move(message));
    }
    data.inputs.push_back(features);
    data.targets.push_back({label});
  }

  if (data.inputs.empty()) {
    std::string message{source};
    message += first_row ? ": no data rows: the file is empty" : ": no data rows, only a header line";
    return failed_csv<T, N>(std::move(message));
  }
  data.ok = true;
  return data;
}

}  // namespace detail

/** Parses CSV text of binary classification samples: each row has N numbers, the features,
    then a label 0 or 1 ("1.0" counts as 1). `source` names the text in messages (a file name).

    Blank lines are skipped; lines may end in "\r\n"; blanks around fields are ignored.
    With csv_header::detect (the default), the first non-blank line is skipped as a header
    if any of its fields is not a number. Pitfall: a first data row with a typo is then
    skipped as a header, silently; pass csv_header::absent for a file that has none.

    Never throws: any problem (no rows, a wrong field count, a field that is not a finite
    number, a label other than 0 or 1, even running out of memory) gives ok false and a
    message "source:line:column: ..." naming the first bad field. */
template <std::floating_point T, std::size_t N>
classification_data<T, N> parse_classification_csv(std::string_view text, std::string_view source = "<text>",
                                                   csv_header header = csv_header::detect) {
  return detail::without_throwing<T, N>([&] { return detail::parse_csv<T, N>(text, source, header); });
}

/** Reads the file at `path` with parse_classification_csv; messages start with the path.
    Returns ok false, never throws, when the file cannot be read. */
template <std::floating_point T, std::size_t N>
classification_data<T, N> read_classification_csv(const std::filesystem::path& path,
                                                  csv_header header = csv_header::detect) {
  return detail::without_throwing<T, N>([&] {
    const auto fail = [&](std::string_view what, std::error_code why) {
      return detail::failed_csv<T, N>(detail::io_failure(path, what, why).message);
    };
    std::error_code ignored;
    // A directory opens as a stream on POSIX and then reads as empty: catch it first.
    if (std::filesystem::is_directory(path, ignored))
      return fail("cannot read", std::make_error_code(std::errc::is_a_directory));
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot open", detail::last_errno());
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) return fail("cannot read", detail::last_errno());
    return detail::parse_csv<T, N>(text, path.string(), header);
  });
}

}  // namespace ctnn::host
