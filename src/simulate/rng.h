// Small, fast, seedable randomness for the simulator (not for keys). SplitMix64: one multiply
// chain per draw, and a stateless hash so per-day choices are a pure function of (seed, day).
#pragma once

#include <cstdint>

namespace cw::simulate {

constexpr std::uint64_t mix64(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Uniform in [0, 1) from 53 random bits.
constexpr double to_unit(std::uint64_t bits) {
  return double(bits >> 11) * 0x1.0p-53;
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ull;
    return mix64(state_);
  }
  double uniform() { return to_unit(next()); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

 private:
  std::uint64_t state_;
};

// A reproducible stream for (seed, salt, index): the same day always gets the same choices,
// wherever a generation starts.
inline Rng stream(std::uint64_t seed, std::uint64_t salt, std::int64_t index) {
  return Rng(mix64(mix64(seed ^ (salt * 0xD1B54A32D192ED03ull)) + std::uint64_t(index)));
}

}  // namespace cw::simulate
