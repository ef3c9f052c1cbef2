// Portable pseudo-random numbers: the xoshiro256** 1.0 generator (Blackman &
// Vigna), SplitMix64 (Steele, Lea & Flood) to seed it, and the polar-method
// normal. Every variate is computed by hand, because the std:: distributions
// differ between standard libraries and would break bit-for-bit
// reproducibility: the same seed gives the same numbers on every platform.
//
// Header-only (target hs_prng), shared by forecast/, simulator/ and clients/;
// each keeps its own seeding scheme (how a seed and a stream become the four
// state words) and the variates only it needs. Not thread-safe: one generator
// per thread.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

namespace horizonscale::numerics {

// The SplitMix64 step as a function: a bijective mix of the 64 bits of
// `z` + 0x9E3779B97F4A7C15 (so Mix64(s) is the first output of SplitMix64(s)).
inline uint64_t Mix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// SplitMix64: expands a 64-bit seed into a sequence of state words.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  // The next 64 pseudo-random bits.
  uint64_t Next() {
    const uint64_t result = Mix64(state_);
    state_ += 0x9E3779B97F4A7C15ull;
    return result;
  }

 private:
  uint64_t state_;
};

// xoshiro256** 1.0: fast, 256-bit state, passes BigCrush.
class Xoshiro256StarStar {
 public:
  // The generator with state `state` (not all zero: the all-zero state only
  // ever gives zeros).
  explicit Xoshiro256StarStar(const std::array<uint64_t, 4>& state) : s_(state) {}

  // The generator whose state is the first four outputs of SplitMix64(seed),
  // as its authors recommend.
  static Xoshiro256StarStar FromSplitMix64(uint64_t seed) {
    SplitMix64 mix(seed);
    std::array<uint64_t, 4> state;
    for (uint64_t& word : state) word = mix.Next();
    return Xoshiro256StarStar(state);
  }

  // The next 64 pseudo-random bits.
  uint64_t Next() {
    const uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }

  // Uniform on [0, 1), a multiple of 2^-53 (the top 53 bits of one draw).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  std::array<uint64_t, 4> s_;
};

// Standard normal variates by Marsaglia's polar method: two per accepted pair
// of uniforms, the second kept for the next call.
class PolarNormal {
 public:
  // One standard normal variate; `generator` (anything with a Uniform() on
  // [0, 1), such as Xoshiro256StarStar) supplies the uniforms when no spare
  // value is left.
  template <class Generator>
  double Next(Generator& generator) {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0, v = 0, s = 0;
    do {
      u = 2 * generator.Uniform() - 1;
      v = 2 * generator.Uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double scale = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * scale;
    has_spare_ = true;
    return u * scale;
  }

 private:
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace horizonscale::numerics
