// The base's rules for legacy CitizenWatt v1 frames (protocol/legacy_v1.h), as pure functions the
// pipeline applies (Pipeline::judge_legacy). Documented in docs/protocol.md, "Legacy v1 frames".
//
// A v1 frame has no MAC, no counter and no sensor id, so these rules are plausibility, not
// security: they stop the radio's own duplicates, stale frames and noise, not an attacker.
#pragma once

#include <array>
#include <cstdint>

#include "core/time.h"
#include "protocol/legacy_v1.h"

namespace cw::ingest {

// A timer below this after a higher one means the sensor restarted (boot, or millis() wrapped
// after 49.7 days): accepted, with the reboot flag.
inline constexpr std::uint32_t kLegacyRestartWindowMs = 10 * 60 * 1000;
// The AVR runs at 5.5 V at most: a larger Vcc means the wrong key or noise.
inline constexpr std::uint16_t kLegacyMaxBatteryMv = 6000;

// What the pipeline remembers of a legacy sensor between frames. In memory only: after a base
// restart the first frame is judged without a timer history.
struct LegacyMemo {
  bool has_prev = false;
  std::array<std::uint8_t, protocol::kLegacyFrame> last_plain{};
  std::uint32_t last_timer_ms = 0;
  std::int64_t energy_rem_wms = 0;  // integrated energy not yet a whole Wh, W·ms
};

enum class LegacyTimer {
  kNext,       // timer went up (or no history): a new measurement
  kRestart,    // timer back near 0: the sensor rebooted or millis() wrapped
  kDuplicate,  // the very plaintext of the last accepted frame: a replay or a radio duplicate
  kBack,       // timer went back and not near 0: a stale or replayed frame
};

LegacyTimer classify_timer(const LegacyMemo& memo, const std::uint8_t plain[protocol::kLegacyFrame],
                           std::uint32_t timer_ms);

// Whether a decrypted block looks like a reading at all (used to tell which legacy key, if any,
// a frame was sealed with).
bool legacy_shape_ok(const protocol::LegacyReading& r);

// The energy register the base builds for a legacy sensor: the trapezoid between the previous
// sample (prev_w at prev_t) and this one (w at t), added to register_wh and the memo's
// remainder. Nothing is added across a gap longer than max_gap_ms, nor without a previous sample:
// the energy of a silence is unknown. Returns the new register, Wh.
std::int64_t integrate_energy(LegacyMemo& memo, std::int64_t register_wh, std::int32_t prev_w,
                              TimeMs prev_t, std::int32_t w, TimeMs t, TimeMs max_gap_ms);

}  // namespace cw::ingest
