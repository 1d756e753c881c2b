// Incremental rollups (docs/storage.md, "Rollup rules"): a pure fold of a sensor's samples into
// minute, hour and local-day buckets. No I/O: the store persists what it returns.
//
// Rules, for a sample s following p:
// - s.power_w is held over (p.t, s.t] when s.t - p.t <= max_gap_ms: that time is covered and adds
//   to covered_ms and sum_wms, split across bucket edges by time. A longer interval is a gap.
// - count/min/max come from the samples whose t is in the bucket.
// - the register is interpolated linearly at each bucket edge inside (p.t, s.t], rounded to mWh;
//   a bucket's energy is E(end) - E(start), so consecutive buckets telescope exactly. Energy that
//   crosses a gap also counts in gap_energy_mwh.
// - a bucket closed with no sample, no energy and no power integral is dropped.
// The open bucket of a level always holds the last sample; its start-edge energy is implicit
// (last.energy_wh * 1000 - open.energy_mwh), so {last sample, open buckets} is the whole state
// and can be rebuilt from what the store persisted.
//
// Thread-safety: RollupEngine is immutable after construction; states belong to the caller.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "core/calendar.h"
#include "core/sample.h"

namespace cw::store {

inline constexpr std::array<Level, 3> kRollupLevels = {Level::kMinute, Level::kHour, Level::kDay};
inline std::size_t level_index(Level l) {
  return static_cast<std::size_t>(l) - 1;
}

struct RollupState {
  std::optional<Sample> last;
  std::array<Rollup, 3> open{};  // by level_index; meaningful when last is set
  friend bool operator==(const RollupState&, const RollupState&) = default;
};

struct LevelRollup {
  Level level = Level::kMinute;
  Rollup bucket;
  friend bool operator==(const LevelRollup&, const LevelRollup&) = default;
};

class RollupEngine {
 public:
  explicit RollupEngine(Calendar calendar) : calendar_(std::move(calendar)) {}

  // The empty bucket of level that contains t.
  Rollup bucket_at(Level level, TimeMs t) const;

  // Folds s (s.t > state.last->t, energy not lower) into state; appends the buckets it closed.
  // Only the given levels are folded (the others' open buckets are left as they are): reads that
  // fold one level from raw samples skip the work of the others.
  void add(RollupState& state, TimeMs max_gap_ms, const Sample& s, std::vector<LevelRollup>* closed,
           std::span<const Level> levels = kRollupLevels) const;

  // The open buckets of state, one per level (empty when state has no sample).
  std::vector<LevelRollup> open_buckets(const RollupState& state) const;

 private:
  Calendar calendar_;
};

// The register value at edge (p.t < edge <= s.t), in mWh, rounded to nearest.
std::int64_t interpolate_mwh(const Sample& p, const Sample& s, TimeMs edge);

}  // namespace cw::store
