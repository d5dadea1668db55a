// libFuzzer target for the CSV readers of ctnn/host/csv.hpp: each input goes to all three, with
// shapes that read the same three-field rows of the seed corpus differently:
//   parse_classification_csv<float, 3>  three features and a 0/1 label
//   parse_labelled_csv<float, 2, 3>     two features and a class 0..2 (one-hot target)
//   parse_regression_csv<double, 1, 2>  one feature and two targets, the header given as present
// Whatever the text, each returns (no crash, no leak, no sanitizer report, no exception), and its
// answer is consistent:
// - rejected: a non-empty message that starts with the source name and names a line that exists
//   ("fuzz.csv:LINE:COLUMN: ..."), or says the text has no data rows; and no samples;
// - accepted: as many targets as inputs, at least one, every number finite, and every target what
//   the reader promises (a 0/1 label; a one-hot vector; any finite value).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ctnn/host/csv.hpp"

namespace {

[[noreturn]] void fail() { __builtin_trap(); }

constexpr std::string_view source = "fuzz.csv";

/** Reads a positive decimal number at the start of `text`, and moves past it and a ':'. */
bool take_number(std::string_view& text, std::size_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end == text.data() || value == 0) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  if (text.empty() || text.front() != ':') return false;
  text.remove_prefix(1);
  return true;
}

/** Checks a result as the file comment says; `target_ok` judges one accepted target. */
template <class Data, class TargetCheck>
void check(const Data& result, std::string_view text, TargetCheck target_ok) {
  if (!result.ok) {
    if (!result.inputs.empty() || !result.targets.empty()) fail();
    std::string_view message = result.message;
    if (message == "out of memory") return;  // the one message without a place (std::bad_alloc caught)
    if (message.substr(0, source.size() + 1) != "fuzz.csv:") fail();
    message.remove_prefix(source.size() + 1);
    if (message.substr(0, 13) == " no data rows") return;
    std::size_t line = 0, column = 0;
    if (!take_number(message, line) || !take_number(message, column)) fail();  // no "LINE:COLUMN:"
    const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    if (line > lines) fail();  // names a line the text does not have
    if (message.size() < 2 || message[0] != ' ') fail();  // and says something after it
    return;
  }
  if (result.inputs.empty() || result.inputs.size() != result.targets.size()) fail();
  for (const auto& x : result.inputs)
    for (const auto v : x)
      if (!std::isfinite(v)) fail();
  for (const auto& y : result.targets) {
    for (const auto v : y)
      if (!std::isfinite(v)) fail();
    if (!target_ok(y)) fail();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace host = ctnn::host;

  check(host::parse_classification_csv<float, 3>(text, source), text,
        [](const auto& y) { return y[0] == 0.0f || y[0] == 1.0f; });
  check(host::parse_labelled_csv<float, 2, 3>(text, source), text, [](const auto& y) {
    // one-hot: exactly one 1, the rest 0
    const auto ones = std::count(y.begin(), y.end(), 1.0f);
    const auto zeros = std::count(y.begin(), y.end(), 0.0f);
    return ones == 1 && zeros == 2;
  });
  check(host::parse_regression_csv<double, 1, 2>(text, source, host::csv_header::present), text,
        [](const auto&) { return true; });
  return 0;
}
