// ctnn/host/file.hpp - the result of host I/O, and writing a whole file safely.
//
// Host only: uses std::string and the file system; never included by the core.
#pragma once

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace ctnn::host {

/** The outcome of a host I/O operation: ok, or a message saying what went wrong and where.
    [[nodiscard]]: a write whose failure nobody looks at is a file silently missing. */
struct [[nodiscard]] io_result {
  bool ok = true;
  std::string message;  // empty when ok; otherwise e.g. "out/history.csv: cannot create: No such file or directory"
};

namespace detail {

/** Returns a failed io_result naming `path`, what failed, and the system's reason (if known). */
inline io_result io_failure(const std::filesystem::path& path, std::string_view what, std::error_code error) {
  std::string message = path.string();
  message += ": ";
  message += what;
  if (error) {
    message += ": ";
    message += error.message();
  }
  return {false, std::move(message)};
}

/** Returns errno as an error code. Streams do not promise to set errno, but the
    common C libraries do; where it is 0 the message just leaves the reason out. */
inline std::error_code last_errno() { return {errno, std::generic_category()}; }

}  // namespace detail

/** Writes `contents` to `path`, whole or not at all.

    The bytes go to "<path>.tmp" first, which is then renamed over `path`: a reader
    never sees half a file, and a failed write leaves any earlier file untouched.
    I/O failures are returned, never thrown. The directory must exist. */
inline io_result write_text_file(const std::filesystem::path& path, std::string_view contents) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  std::error_code ignored;
  errno = 0;
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  if (!out) return detail::io_failure(path, "cannot create", detail::last_errno());
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();  // flushes: a full disk shows up here, not at the write
  if (!out) {
    const std::error_code error = detail::last_errno();
    std::filesystem::remove(temporary, ignored);
    return detail::io_failure(path, "cannot write", error);
  }
  std::error_code renamed;
  std::filesystem::rename(temporary, path, renamed);
  if (renamed) {
    std::filesystem::remove(temporary, ignored);
    return detail::io_failure(path, "cannot replace", renamed);
  }
  return {};
}

}  // namespace ctnn::host
