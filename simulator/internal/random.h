// Portable pseudo-random numbers for the simulator: xoshiro256** seeded
// through SplitMix64, with the few variates the simulator needs computed by
// hand (std:: distributions differ between standard libraries, which would
// break bit-for-bit reproducibility). Internal to hs_simulator.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace horizonscale::simulator::internal {

// SplitMix64 (Steele, Lea & Flood): expands a 64-bit seed into state words.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  // The next 64 pseudo-random bits.
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

// Independent random streams of one run. Each consumer draws from its own
// stream, so that e.g. a different plan (which changes how many service times
// are drawn and when) leaves the arrival sequence unchanged: common random
// numbers across plans.
enum class Stream : uint64_t { kArrivals = 1, kService = 2, kNoise = 3 };

// Ziggurat of the standard exponential density e^{−x} with 256 layers of
// equal area v (Marsaglia & Tsang 2000: r = 7.697117470131487,
// v = 3.949659822581572e-3). Layer i in [1, 255] is the rectangle
// [0, x[i]] × [e^{−x[i]}, e^{−x[i+1]}]; layer 0 is [0, r] × [0, e^{−r}] plus
// the tail beyond r, with the virtual width x[0] = v / e^{−r}. Built once at
// start-up (libm exp/log, as elsewhere in the simulator).
struct ExponentialZiggurat {
  ExponentialZiggurat() noexcept;
  double x[257];  // decreasing, x[1] = r, x[256] = 0
  double f[257];  // e^{−x[i]}
};
extern const ExponentialZiggurat kExponentialZiggurat;

// xoshiro256** 1.0 (Blackman & Vigna): fast, 256-bit state, passes BigCrush.
class Rng {
 public:
  // The stream `stream` of seed `seed`: the state is four SplitMix64 outputs
  // of a seed derived from both (never all zero).
  Rng(uint64_t seed, Stream stream) {
    SplitMix64 mix(SplitMix64(seed).Next() ^
                   (static_cast<uint64_t>(stream) * 0xD1B54A32D192ED03ull));
    for (uint64_t& word : s_) word = mix.Next();
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

  // Uniform on [0, 1), a multiple of 2^-53.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform on (0, 1], a multiple of 2^-53 (safe to take the log of).
  double UniformPositive() { return static_cast<double>((Next() >> 11) + 1) * 0x1.0p-53; }

  // Standard exponential variate (mean 1), by the ziggurat: one 64-bit draw
  // gives the layer (low 8 bits) and an independent uniform (high 53 bits);
  // ~98.9 % of the draws return at the first comparison, the rest fall back
  // on an exact rejection test or, in the tail, r − ln U (memorylessness).
  double Exponential() {
    const ExponentialZiggurat& z = kExponentialZiggurat;
    for (;;) {
      const uint64_t bits = Next();
      const unsigned layer = static_cast<unsigned>(bits & 0xFF);
      const double x = static_cast<double>(bits >> 11) * 0x1.0p-53 * z.x[layer];
      if (x < z.x[layer + 1]) return x;
      if (layer == 0) return z.x[1] - std::log(UniformPositive());
      if (z.f[layer] + (z.f[layer + 1] - z.f[layer]) * Uniform() < std::exp(-x)) return x;
    }
  }

 private:
  uint64_t s_[4];
};

// Standard normal variates by Marsaglia's polar method (two per accepted
// pair; the second is kept for the next call).
class NormalSampler {
 public:
  // One standard normal variate drawn from `rng`.
  double Next(Rng& rng) {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0, v = 0, s = 0;
    do {
      u = 2 * rng.Uniform() - 1;
      v = 2 * rng.Uniform() - 1;
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

}  // namespace horizonscale::simulator::internal
