#include "store/rollup_engine.h"

#include <algorithm>

#include "core/int128.h"

namespace cw::store {

namespace {

// Adds the piece [from, to) of an interval to bucket b.
void add_piece(Rollup& b, TimeMs from, TimeMs to, std::int64_t energy_mwh, bool covered,
               std::int32_t power_w) {
  b.energy_mwh += energy_mwh;
  if (covered) {
    b.covered_ms += to - from;
    b.sum_wms += std::int64_t(power_w) * (to - from);
  } else {
    b.gap_energy_mwh += energy_mwh;
  }
}

bool worth_keeping(const Rollup& b) {
  return b.count > 0 || b.energy_mwh != 0 || b.sum_wms != 0;
}

}  // namespace

std::int64_t interpolate_mwh(const Sample& p, const Sample& s, TimeMs edge) {
  const Int128 de = Int128(s.energy_wh - p.energy_wh) * 1000;
  const Int128 dt = s.t - p.t;
  const Int128 num = de * (edge - p.t);
  // Round half away from zero; energy never decreases in practice, but stay exact if it did.
  const Int128 q = num >= 0 ? (num + dt / 2) / dt : -((-num + dt / 2) / dt);
  return p.energy_wh * 1000 + std::int64_t(q);
}

Rollup RollupEngine::bucket_at(Level level, TimeMs t) const {
  Rollup b;
  switch (level) {
    case Level::kMinute:
      b.start = floor_to(t, kMinuteMs);
      b.end = b.start + kMinuteMs;
      break;
    case Level::kHour:
      b.start = calendar_.floor(t, Period::kHour);
      b.end = b.start + kHourMs;
      break;
    case Level::kDay:
    case Level::kRaw:
      b.start = calendar_.floor(t, Period::kDay);
      b.end = calendar_.next(t, Period::kDay);
      break;
  }
  return b;
}

void RollupEngine::add(RollupState& st, TimeMs max_gap_ms, const Sample& s,
                       std::vector<LevelRollup>* closed, std::span<const Level> levels) const {
  if (!st.last) {
    for (Level l : levels) st.open[level_index(l)] = bucket_at(l, s.t);
  } else {
    const Sample& p = *st.last;
    const bool covered = s.t - p.t <= max_gap_ms;
    for (Level l : levels) {
      Rollup& o = st.open[level_index(l)];
      TimeMs cursor = p.t;
      std::int64_t e_cursor = p.energy_wh * 1000;
      while (s.t >= o.end) {  // the interval crosses the bucket's end edge
        const std::int64_t e_edge = interpolate_mwh(p, s, o.end);
        add_piece(o, cursor, o.end, e_edge - e_cursor, covered, s.power_w);
        if (worth_keeping(o)) closed->push_back({l, o});
        cursor = o.end;
        e_cursor = e_edge;
        o = bucket_at(l, cursor);
      }
      add_piece(o, cursor, s.t, s.energy_wh * 1000 - e_cursor, covered, s.power_w);
    }
  }
  for (Level l : levels) {
    Rollup& o = st.open[level_index(l)];
    o.min_w = o.count > 0 ? std::min(o.min_w, s.power_w) : s.power_w;
    o.max_w = o.count > 0 ? std::max(o.max_w, s.power_w) : s.power_w;
    ++o.count;
  }
  st.last = s;
}

std::vector<LevelRollup> RollupEngine::open_buckets(const RollupState& st) const {
  std::vector<LevelRollup> out;
  if (!st.last) return out;
  for (Level l : kRollupLevels) out.push_back({l, st.open[level_index(l)]});
  return out;
}

}  // namespace cw::store
