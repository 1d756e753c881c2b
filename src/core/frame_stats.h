// How the base judged each frame it received. Counted per sensor (and globally for frames that
// name no known sensor), shown in GET /api/v1/sensors and in logs.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace cw {

enum class Verdict : std::uint8_t {
  kAccepted = 0,
  kMalformed,      // not a frame: bad length, bad framing
  kWrongVersion,   // a version or type this base does not speak
  kUnknownSensor,  // names a sensor this base has not paired
  kForged,         // authentication tag does not verify (wrong key, tampering, noise)
  kReplayed,       // frame counter not above the last accepted one (replay, duplicate, reorder)
  kOutOfRange,     // authentic but implausible values (power, energy jump)
  kStoreFailed,    // authentic and valid, but the store refused it (disk full...)
  kCount
};

inline constexpr std::size_t kVerdictCount = static_cast<std::size_t>(Verdict::kCount);

// Stable names used on the wire: "accepted", "malformed", ...
std::string_view verdict_name(Verdict v);

struct FrameStats {
  std::array<std::uint64_t, kVerdictCount> by_verdict{};
  std::uint64_t lost = 0;  // frames never received, inferred from gaps in the frame counter

  std::uint64_t& operator[](Verdict v) { return by_verdict[static_cast<std::size_t>(v)]; }
  std::uint64_t operator[](Verdict v) const { return by_verdict[static_cast<std::size_t>(v)]; }
  void add(const FrameStats& o) {
    for (std::size_t i = 0; i < kVerdictCount; ++i) by_verdict[i] += o.by_verdict[i];
    lost += o.lost;
  }
  friend bool operator==(const FrameStats&, const FrameStats&) = default;
};

}  // namespace cw
