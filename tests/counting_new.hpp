#pragma once
#include <cstddef>

/** Returns how many times the global operator new has run in this program. */
std::size_t allocation_count();
