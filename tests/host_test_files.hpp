// Scratch files for the host helper tests (test_host_csv.cpp, test_host_history.cpp): the tests
// write what they read, so they need no fixture path and run from any directory.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

namespace ctnn_test {

/** A fresh directory under the system's temporary one, removed with everything in it at the end of the test. */
struct temporary_directory {
  std::filesystem::path path;
  explicit temporary_directory(std::string_view purpose) {
    // ctest may run several test cases of one executable at once (ctest -j): the clock alone could
    // give two of them the same name, so a random number goes in too.
    const auto tick = std::chrono::steady_clock::now().time_since_epoch().count();
    std::string name = "ctnn_test_host_";
    name += purpose;
    name += '_' + std::to_string(tick) + '_' + std::to_string(std::random_device{}());
    path = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path);
  }
  ~temporary_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  temporary_directory(const temporary_directory&) = delete;
  temporary_directory& operator=(const temporary_directory&) = delete;
};

/** Returns the whole file at `path` (empty if it cannot be read). */
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/** Writes `contents` to `path` byte for byte (no newline translation). */
inline void write_file(const std::filesystem::path& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
}

}  // namespace ctnn_test
