#include "ingest/legacy_rules.h"

#include <cstring>

namespace cw::ingest {

LegacyTimer classify_timer(const LegacyMemo& memo, const std::uint8_t plain[protocol::kLegacyFrame],
                           std::uint32_t timer_ms) {
  if (!memo.has_prev) return LegacyTimer::kNext;
  if (std::memcmp(plain, memo.last_plain.data(), protocol::kLegacyFrame) == 0)
    return LegacyTimer::kDuplicate;
  if (timer_ms > memo.last_timer_ms) return LegacyTimer::kNext;
  if (timer_ms < kLegacyRestartWindowMs && timer_ms < memo.last_timer_ms)
    return LegacyTimer::kRestart;
  return LegacyTimer::kBack;  // includes an equal timer with other content
}

bool legacy_shape_ok(const protocol::LegacyReading& r) {
  return r.battery_mv <= kLegacyMaxBatteryMv;
}

std::int64_t integrate_energy(LegacyMemo& memo, std::int64_t register_wh, std::int32_t prev_w,
                              TimeMs prev_t, std::int32_t w, TimeMs t, TimeMs max_gap_ms) {
  const TimeMs dt = t - prev_t;
  if (prev_t <= 0 || dt <= 0 || dt > max_gap_ms) return register_wh;
  // (prev_w + w) / 2 * dt, kept in W·ms; the half W·ms of an odd sum is dropped (< 1e-9 Wh).
  memo.energy_rem_wms += (std::int64_t{prev_w} + w) * dt / 2;
  const std::int64_t whole = memo.energy_rem_wms / kHourMs;  // 1 Wh = 3,600,000 W·ms
  memo.energy_rem_wms -= whole * kHourMs;
  return register_wh + whole;
}

}  // namespace cw::ingest
