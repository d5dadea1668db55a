// ctnn/host/command_line.hpp - "--name value" command lines, each value checked as it is read.
//
// Host only (stdio). The examples' options are read this way:
//
//   constexpr ctnn::host::flag<options> flags[] = {
//       {"--epochs", "a whole number from 1 to 1000000",
//        [](std::string_view v, options& o) { return ctnn::host::parse_number(v, o.epochs) && o.epochs >= 1; }},
//   };
//   if (!ctnn::host::parse_command_line("blobs", argc, argv, flags, o)) return 2;
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdio>
#include <iterator>
#include <string_view>
#include <system_error>

namespace ctnn::host {

/** Parses all of `text` as a number into `value`; false if it is not one (or has anything after it). */
template <class Number>
bool parse_number(std::string_view text, Number& value) {
  const char* const end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  return error == std::errc{} && stop == end;
}

/** A command-line flag: its name, what it accepts (for the error message), and how it sets the options. */
template <class Options>
struct flag {
  std::string_view name;
  std::string_view accepts;
  bool (*set)(std::string_view value, Options& o);
};

/** Reads "--name value" pairs from the command line into `o`. Returns false after printing why to
    stderr, as "program: unknown option '--x' (try --help)", "program: --epochs needs a value: ..."
    or "program: --epochs needs a whole number ..., not 'abc'". */
template <class Options, std::size_t N>
bool parse_command_line(std::string_view program, int argc, char** argv, const flag<Options> (&flags)[N], Options& o) {
  const int program_length = static_cast<int>(program.size());
  for (int k = 1; k < argc; ++k) {
    const flag<Options>* match =
        std::find_if(std::begin(flags), std::end(flags), [&](const flag<Options>& f) { return f.name == argv[k]; });
    if (match == std::end(flags)) {
      std::fprintf(stderr, "%.*s: unknown option '%s' (try --help)\n", program_length, program.data(), argv[k]);
      return false;
    }
    const int accepts_length = static_cast<int>(match->accepts.size());
    if (++k == argc) {
      std::fprintf(stderr, "%.*s: %s needs a value: %.*s\n", program_length, program.data(), argv[k - 1],
                   accepts_length, match->accepts.data());
      return false;
    }
    if (!match->set(argv[k], o)) {
      std::fprintf(stderr, "%.*s: %s needs %.*s, not '%s'\n", program_length, program.data(), argv[k - 1],
                   accepts_length, match->accepts.data(), argv[k]);
      return false;
    }
  }
  return true;
}

}  // namespace ctnn::host
