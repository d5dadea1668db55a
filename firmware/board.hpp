// board.hpp - what the firmware examples need from the board: text out and a heap check.
// On the target, printing is snprintf into a buffer plus semihosting, never stdio streams
// (newlib's allocate). On the host (the same example built as a normal program) it is printf.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>

#if defined(__arm__)
#include "semihost.hpp"
extern "C" std::size_t heap_used();  // startup.cpp: bytes handed out by _sbrk, 0 if malloc never ran
#endif

namespace board {

/** Prints printf-formatted text (at most 160 characters a call). */
[[gnu::format(printf, 1, 2)]] inline void print(const char* format, ...) {
  char line[160];
  std::va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
#if defined(__arm__)
  semihost::write0(line);
#else
  std::fputs(line, stdout);
#endif
}

/** Returns x scaled by 10^4 and rounded, to print a real number without float printf (+12 KB in newlib-nano). */
inline std::int32_t fixed4(float x) { return static_cast<std::int32_t>(x * 10000.0f + (x < 0 ? -0.5f : 0.5f)); }

/** Prints `label`, x with four decimals ("-1.2345"), then `end`. */
inline void print_fixed4(const char* label, float x, const char* end = "\n") {
  const std::int32_t f = fixed4(x);
  const std::int32_t a = f < 0 ? -f : f;
  print("%s%s%ld.%04ld%s", label, f < 0 ? "-" : "", static_cast<long>(a / 10000), static_cast<long>(a % 10000), end);
}

/** Tells whether the heap is untouched; prints the figure. On the host, malloc use is checked by
    tests/test_no_alloc.cpp instead, and this reports true. */
inline bool heap_untouched() {
#if defined(__arm__)
  print("heap used: %u bytes\n", static_cast<unsigned>(heap_used()));
  return heap_used() == 0;
#else
  return true;
#endif
}

}  // namespace board
