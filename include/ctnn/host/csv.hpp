// ctnn/host/csv.hpp - labelled data from a numeric CSV file: binary labels, class labels
// (one-hot targets) or real-valued targets (regression).
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

/** Samples read from a CSV file: `inputs[k]` has Features numbers, `targets[k]` its Targets.
    When ok is false, message says where and what (e.g.
    "data.csv:7:9: expected a number in field 3, found 'abc'") and both vectors are empty. */
template <std::floating_point T, std::size_t Features, std::size_t Targets>
struct [[nodiscard]] csv_data {
  bool ok = false;
  std::string message;
  std::vector<std::array<T, Features>> inputs;
  std::vector<std::array<T, Targets>> targets;
};

/** What parse_classification_csv gives: N features and one 0/1 label a sample. */
template <std::floating_point T, std::size_t N>
using classification_data = csv_data<T, N, 1>;

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

/** What follows the features in a row. */
enum class target_kind {
  binary_label,  // one field, 0 or 1: the target {0} or {1}
  class_label,   // one field, a whole number c in [0, Targets): the one-hot target with a 1 at c
  values,        // Targets fields of finite numbers: the target as it stands (regression)
};

/** The number of fields after the features. */
template <target_kind Kind, std::size_t Targets>
inline constexpr std::size_t target_fields = Kind == target_kind::values ? Targets : 1;

/** Appends "1 feature" or "N features" (with `noun` for "feature"). */
inline void append_count(std::string& out, std::size_t count, std::string_view noun) {
  append_integer(out, count);
  out += ' ';
  out += noun;
  if (count != 1) out += 's';
}

/** Appends what the fields after the features must hold, e.g. "a label 0 or 1". */
template <target_kind Kind, std::size_t Targets>
void append_target_description(std::string& out) {
  if constexpr (Kind == target_kind::binary_label) {
    out += "a label 0 or 1";
  } else if constexpr (Kind == target_kind::class_label) {
    out += "a class from 0 to ";
    append_integer(out, Targets - 1);
  } else if constexpr (Targets == 1) {
    out += "a target";
  } else {
    append_count(out, Targets, "target");
  }
}

/** Returns the message for a row with the wrong number of fields. */
template <target_kind Kind, std::size_t Targets>
std::string field_count_message(std::string_view source, std::size_t line, std::string_view text,
                                const std::vector<csv_field>& fields, std::size_t features) {
  constexpr std::size_t after = target_fields<Kind, Targets>;
  // Point at the first extra field, or at the end of a short line.
  const std::size_t column = fields.size() > features + after ? fields[features + after].column : text.size() + 1;
  std::string message = csv_location(source, line, column);
  message += "expected ";
  append_integer(message, features + after);
  message += " comma-separated fields (";
  append_count(message, features, "feature");
  message += ", then ";
  append_target_description<Kind, Targets>(message);
  message += "), found ";
  append_integer(message, fields.size());
  if (fields.size() == features) {
    if constexpr (Kind != target_kind::values) message += ": the label is missing";
    else if constexpr (Targets == 1) message += ": the target is missing";
    else message += ": the targets are missing";
  }
  return message;
}

/** Returns the message for a label field that is not what Kind accepts. */
template <target_kind Kind, std::size_t Targets>
std::string label_message(std::string_view source, std::size_t line, const csv_field& field, std::size_t field_number) {
  std::string message = csv_location(source, line, field.column);
  message += "expected ";
  append_target_description<Kind, Targets>(message);
  message += " in field ";
  append_integer(message, field_number);
  if (field.text.empty()) {
    message += ", found an empty field";
  } else {
    message += ", found ";
    append_quoted(message, field.text);
  }
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

/** Parses all of `text` as a class, a whole number in [0, classes) ("2.0" counts as 2); false if it is not one. */
inline bool parse_class(std::string_view text, std::size_t classes, std::size_t& value) {
  double parsed = 0;
  if (parse_number(text, parsed) != number_error::none) return false;
  // The range is checked before the conversion, which would be undefined for a huge number.
  if (!(parsed >= 0 && parsed < static_cast<double>(classes)) || parsed != std::floor(parsed)) return false;
  value = static_cast<std::size_t>(parsed);
  return true;
}

/** Returns a failed result with `message` and no samples. */
template <class Data>
Data failed_csv(std::string message) {
  Data result;
  result.message = std::move(message);
  return result;
}

/** Returns read(), or a failure if it runs out of memory: the CSV functions promise not to throw. */
template <class Data, class Read>
Data without_throwing(Read read) {
#if defined(__cpp_exceptions)
  try {
    return read();
  } catch (const std::bad_alloc&) {
    return failed_csv<Data>("out of memory");  // short enough that std::string needs no allocation
  }
#else
  return read();
#endif
}

/** Parses `text` as the public parse_*_csv functions do, but may throw std::bad_alloc. */
template <std::floating_point T, std::size_t Features, std::size_t Targets, target_kind Kind>
csv_data<T, Features, Targets> parse_csv(std::string_view text, std::string_view source, csv_header header) {
  using data_type = csv_data<T, Features, Targets>;
  constexpr std::size_t fields_per_row = Features + target_fields<Kind, Targets>;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte order mark, as spreadsheets write

  data_type data;
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

    if (fields.size() != fields_per_row)
      return failed_csv<data_type>(field_count_message<Kind, Targets>(source, line_number, line, fields, Features));
    std::array<T, Features> features{};
    for (std::size_t k = 0; k < Features; ++k) {
      const number_error error = parse_field(fields[k].text, features[k]);
      if (error != number_error::none)
        return failed_csv<data_type>(number_message(source, line_number, fields[k], k + 1, error));
    }

    std::array<T, Targets> target{};
    const csv_field& label = fields[Features];
    if constexpr (Kind == target_kind::values) {
      for (std::size_t k = 0; k < Targets; ++k) {
        const number_error error = parse_field(fields[Features + k].text, target[k]);
        if (error != number_error::none)
          return failed_csv<data_type>(number_message(source, line_number, fields[Features + k], Features + k + 1, error));
      }
    } else if constexpr (Kind == target_kind::binary_label) {
      const number_error error = parse_field(label.text, target[0]);
      if (error != number_error::none)
        return failed_csv<data_type>(number_message(source, line_number, label, Features + 1, error));
      if (target[0] != T{0} && target[0] != T{1})
        return failed_csv<data_type>(label_message<Kind, Targets>(source, line_number, label, Features + 1));
    } else {
      // Any problem with a class, a word as much as a number out of range, gets the one message
      // that says what a class is: "expected a class from 0 to 2 in field 5, found 'setosa'".
      std::size_t c = 0;
      if (!parse_class(label.text, Targets, c))
        return failed_csv<data_type>(label_message<Kind, Targets>(source, line_number, label, Features + 1));
      target[c] = T{1};
    }
    data.inputs.push_back(features);
    data.targets.push_back(target);
  }

  if (data.inputs.empty()) {
    std::string message{source};
    message += first_row ? ": no data rows: the file is empty" : ": no data rows, only a header line";
    return failed_csv<data_type>(std::move(message));
  }
  data.ok = true;
  return data;
}

/** Reads the file at `path` and parses it with parse_csv; messages start with the path. */
template <std::floating_point T, std::size_t Features, std::size_t Targets, target_kind Kind>
csv_data<T, Features, Targets> read_csv(const std::filesystem::path& path, csv_header header) {
  using data_type = csv_data<T, Features, Targets>;
  return without_throwing<data_type>([&] {
    const auto fail = [&](std::string_view what, std::error_code why) {
      return failed_csv<data_type>(io_failure(path, what, why).message);
    };
    std::error_code ignored;
    // A directory opens as a stream on POSIX and then reads as empty: catch it first.
    if (std::filesystem::is_directory(path, ignored))
      return fail("cannot read", std::make_error_code(std::errc::is_a_directory));
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot open", last_errno());
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) return fail("cannot read", last_errno());
    return parse_csv<T, Features, Targets, Kind>(text, path.string(), header);
  });
}

}  // namespace detail

// Every reader below takes these rules. Blank lines are skipped; lines may end in "\r\n"; blanks
// around fields are ignored; a UTF-8 byte order mark is skipped. Quoting is not supported.
// With csv_header::detect (the default), the first non-blank line is skipped as a header if
// any of its fields is not a number: "x1,x2,label" is one, and so is the first line of
// scikit-learn's data files, "569,30,malignant,benign" (its class names are not numbers).
// Pitfall: a first data row with a typo is then skipped as a header, silently; pass
// csv_header::present or csv_header::absent when you know which the file has.
//
// Never throws: any problem (no rows, a wrong field count, a field that is not a finite number
// or that the scalar type cannot hold, a bad label, even running out of memory) gives ok false,
// no samples, and a message "source:line:column: ..." naming the first bad field. The read_*
// functions read a file (messages start with its path; a file that cannot be read is a failure
// too); the parse_* functions parse text, named `source` in messages.

/** Parses CSV text of binary classification samples: each row has N numbers, the features,
    then a label 0 or 1 ("1.0" counts as 1), read as a target {0} or {1} for one sigmoid output. */
template <std::floating_point T, std::size_t N>
classification_data<T, N> parse_classification_csv(std::string_view text, std::string_view source = "<text>",
                                                   csv_header header = csv_header::detect) {
  static_assert(N > 0, "ctnn::host::parse_classification_csv: a sample needs at least one feature");
  return detail::without_throwing<classification_data<T, N>>(
      [&] { return detail::parse_csv<T, N, 1, detail::target_kind::binary_label>(text, source, header); });
}

/** Reads the file at `path` with parse_classification_csv. */
template <std::floating_point T, std::size_t N>
classification_data<T, N> read_classification_csv(const std::filesystem::path& path,
                                                  csv_header header = csv_header::detect) {
  static_assert(N > 0, "ctnn::host::read_classification_csv: a sample needs at least one feature");
  return detail::read_csv<T, N, 1, detail::target_kind::binary_label>(path, header);
}

/** Parses CSV text of multi-class samples: each row has Features numbers, then a class, a whole
    number from 0 to Classes - 1 ("2.0" counts as 2), read as a one-hot target of Classes values
    (1 at the class, 0 elsewhere), the target of a softmax output with categorical_cross_entropy.
    ctnn::classify(target) gives the class back. */
template <std::floating_point T, std::size_t Features, std::size_t Classes>
csv_data<T, Features, Classes> parse_labelled_csv(std::string_view text, std::string_view source = "<text>",
                                                  csv_header header = csv_header::detect) {
  static_assert(Features > 0, "ctnn::host::parse_labelled_csv: a sample needs at least one feature");
  static_assert(Classes >= 2, "ctnn::host::parse_labelled_csv: a classifier needs at least two classes");
  return detail::without_throwing<csv_data<T, Features, Classes>>(
      [&] { return detail::parse_csv<T, Features, Classes, detail::target_kind::class_label>(text, source, header); });
}

/** Reads the file at `path` with parse_labelled_csv. */
template <std::floating_point T, std::size_t Features, std::size_t Classes>
csv_data<T, Features, Classes> read_labelled_csv(const std::filesystem::path& path,
                                                 csv_header header = csv_header::detect) {
  static_assert(Features > 0, "ctnn::host::read_labelled_csv: a sample needs at least one feature");
  static_assert(Classes >= 2, "ctnn::host::read_labelled_csv: a classifier needs at least two classes");
  return detail::read_csv<T, Features, Classes, detail::target_kind::class_label>(path, header);
}

/** Parses CSV text of regression samples: each row has Features numbers, then Outputs numbers,
    the target values, kept as they are (scale them yourself if they are large). */
template <std::floating_point T, std::size_t Features, std::size_t Outputs = 1>
csv_data<T, Features, Outputs> parse_regression_csv(std::string_view text, std::string_view source = "<text>",
                                                    csv_header header = csv_header::detect) {
  static_assert(Features > 0, "ctnn::host::parse_regression_csv: a sample needs at least one feature");
  static_assert(Outputs > 0, "ctnn::host::parse_regression_csv: a sample needs at least one target");
  return detail::without_throwing<csv_data<T, Features, Outputs>>(
      [&] { return detail::parse_csv<T, Features, Outputs, detail::target_kind::values>(text, source, header); });
}

/** Reads the file at `path` with parse_regression_csv. */
template <std::floating_point T, std::size_t Features, std::size_t Outputs = 1>
csv_data<T, Features, Outputs> read_regression_csv(const std::filesystem::path& path,
                                                   csv_header header = csv_header::detect) {
  static_assert(Features > 0, "ctnn::host::read_regression_csv: a sample needs at least one feature");
  static_assert(Outputs > 0, "ctnn::host::read_regression_csv: a sample needs at least one target");
  return detail::read_csv<T, Features, Outputs, detail::target_kind::values>(path, header);
}

}  // namespace ctnn::host
