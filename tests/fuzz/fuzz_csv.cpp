// libFuzzer target for ctnn::host::parse_classification_csv<float, 3>: whatever the text, it
// returns (no crash, no leak, no sanitizer report, no exception), and its answer is consistent:
// - rejected: a non-empty message that starts with the source name and names a line that exists
//   ("fuzz.csv:LINE:COLUMN: ..."), or says the text has no data rows; and no samples;
// - accepted: as many targets as inputs, at least one, every feature finite, every label 0 or 1.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ctnn/host/csv.hpp"

namespace {

[[noreturn]] void fail() { __builtin_trap(); }

/** Reads a positive decimal number at the start of `text`, and moves past it and a ':'. */
bool take_number(std::string_view& text, std::size_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end == text.data() || value == 0) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  if (text.empty() || text.front() != ':') return false;
  text.remove_prefix(1);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view source = "fuzz.csv";
  const auto result = ctnn::host::parse_classification_csv<float, 3>(text, source);

  if (!result.ok) {
    if (!result.inputs.empty() || !result.targets.empty()) fail();
    std::string_view message = result.message;
    if (message == "out of memory") return 0;  // the one message without a place (std::bad_alloc caught)
    if (message.substr(0, source.size() + 1) != "fuzz.csv:") fail();
    message.remove_prefix(source.size() + 1);
    if (message.substr(0, 13) == " no data rows") return 0;
    std::size_t line = 0, column = 0;
    if (!take_number(message, line) || !take_number(message, column)) fail();  // no "LINE:COLUMN:"
    const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    if (line > lines) fail();  // names a line the text does not have
    if (message.size() < 2 || message[0] != ' ') fail();  // and says something after it
    return 0;
  }

  if (result.inputs.empty() || result.inputs.size() != result.targets.size()) fail();
  for (const auto& x : result.inputs)
    for (const float v : x)
      if (!std::isfinite(v)) fail();
  for (const auto& y : result.targets)
    if (y[0] != 0.0f && y[0] != 1.0f) fail();
  return 0;
}
