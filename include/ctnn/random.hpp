// ctnn/random.hpp - a constexpr pseudo-random generator that gives the same numbers everywhere.
//
// SplitMix64 (Steele, Lea, Flood 2014): 64-bit integer arithmetic only, so the
// integer stream is identical on every compiler and target. uniform() is exact
// integer-to-double arithmetic; normal() uses ctnn::math::portable (+ - * / only),
// never the platform's libm, so it too is the same at compile time and at run
// time (with the same floating-point contraction setting: see README).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>

#include "ctnn/math.hpp"

namespace ctnn {

/** Generates a reproducible stream of pseudo-random numbers from a 64-bit seed. */
class random_engine {
 public:
  constexpr explicit random_engine(std::uint64_t seed) : state_{seed} {}

  /** Returns the next 64 random bits. */
  constexpr std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /** Returns a number uniform in [0, 1) with 53 random bits. */
  constexpr double uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }

  /** Returns a number uniform in [low, high). */
  constexpr double uniform(double low, double high) { return low + (high - low) * uniform(); }

  /** Returns an integer uniform in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 for n < 2^32). */
  constexpr std::uint64_t below(std::uint64_t n) { return ((next() >> 32) * n) >> 32; }

  /** Returns a standard normal number (Marsaglia's polar method). */
  constexpr double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0, v = 0, s = 0;
    do {
      u = uniform(-1.0, 1.0);
      v = uniform(-1.0, 1.0);
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = math::portable::sqrt(-2.0 * math::portable::log(s) / s);
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
  }

 private:
  std::uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

/** He initialisation for ReLU layers: weights ~ N(0, 2 / fan_in), biases 0 (He et al. 2015). */
struct he {
  static constexpr double weight(random_engine& rng, std::size_t fan_in, std::size_t /*fan_out*/) {
    return rng.normal() * math::portable::sqrt(2.0 / static_cast<double>(fan_in));
  }
};

/** Xavier/Glorot initialisation for tanh and sigmoid layers: weights ~ U(-r, r),
    r = sqrt(6 / (fan_in + fan_out)), biases 0 (Glorot and Bengio 2010). */
struct xavier {
  static constexpr double weight(random_engine& rng, std::size_t fan_in, std::size_t fan_out) {
    const double r = math::portable::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
    return rng.uniform(-r, r);
  }
};

/** A weight initialisation scheme: draws one weight of a layer with the given fan-in and fan-out.
    Satisfied by he, xavier. */
template <class I>
concept Initializer = requires(random_engine& rng, std::size_t n) {
  { I::weight(rng, n, n) } -> std::same_as<double>;
};

}  // namespace ctnn
