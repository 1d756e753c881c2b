// Minute rollups folded from raw samples (docs/storage.md, "Minute rollups"). Minute rollups are
// persisted only for the time whose raw samples are gone: a bucket starting before the sensor's
// minute boundary B (the end of the bucket holding its oldest kept raw sample) is read from
// rollup_head/rollup_block; a bucket starting at or after B is folded from the raw samples with
// the same RollupEngine, so both give the same records field by field.
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <limits>

#include "store/record_blocks.h"
#include "store/sqlite_store.h"

namespace cw::store::detail {

namespace {

constexpr TimeMs kMaxTime = std::numeric_limits<TimeMs>::max();
constexpr std::array<Level, 1> kMinuteOnly = {Level::kMinute};

// The start of the first minute bucket at or after t (saturating).
TimeMs ceil_minute(TimeMs t) {
  const TimeMs f = floor_to(t, kMinuteMs);
  if (f == t) return t;
  return f > kMaxTime - kMinuteMs ? kMaxTime : f + kMinuteMs;
}

// The single integer a query returns, or nullopt when it is NULL or returns no row.
Result<std::optional<std::int64_t>> query_opt(Db& db, const char* sql, SensorId id,
                                              std::optional<TimeMs> arg = std::nullopt) {
  Status st;
  Stmt* s = db.prepare(sql, &st);
  if (!s) return st;
  s->bind(1, id);
  if (arg) s->bind(2, *arg);
  int rc = 0;
  std::optional<std::int64_t> out;
  if (s->step(&rc)) {
    if (!s->col_is_null(0)) out = s->col_int(0);
  } else {
    st = sqlite_status(rc, db.raw(), sql);
  }
  s->reset();
  if (!st) return st;
  return out;
}

}  // namespace

TimeMs minute_boundary_of(std::optional<TimeMs> oldest_raw) {
  return oldest_raw ? floor_to(*oldest_raw, kMinuteMs) + kMinuteMs : kNoMinuteBoundary;
}

Result<std::optional<TimeMs>> oldest_kept_raw(Db& db, SensorId id, TimeMs cutoff) {
  // Blocks do not overlap, are older than the head and are kept whole: the first block ending
  // at or after the cutoff holds the oldest kept sample; without one, the head does.
  auto block = query_opt(db,
                         "SELECT t_first FROM raw_block WHERE sensor = ?1 AND t_last >= ?2 "
                         "ORDER BY t_last LIMIT 1",
                         id, cutoff);
  if (!block || *block) return block;
  return query_opt(db, "SELECT min(t) FROM raw_head WHERE sensor = ?1 AND t >= ?2", id, cutoff);
}

Result<TimeMs> minute_boundary(Db& db, SensorId id) {
  auto oldest = oldest_kept_raw(db, id, std::numeric_limits<TimeMs>::min());
  if (!oldest) return oldest.status();
  return minute_boundary_of(*oldest);
}

// The time of a sample at or before the last raw sample before t (nullopt: none before t).
// Folding may start at any sample up to the seed: buckets after the seed do not depend on it.
Result<std::optional<TimeMs>> seed_lower_bound(Db& db, SensorId id, TimeMs t) {
  auto straddling = query_opt(db,
                              "SELECT t_first FROM raw_block WHERE sensor = ?1 AND t_last >= ?2 "
                              "ORDER BY t_last LIMIT 1",
                              id, t);
  if (!straddling) return straddling.status();
  if (*straddling && **straddling < t) return *straddling;
  auto block =
      query_opt(db, "SELECT max(t_last) FROM raw_block WHERE sensor = ?1 AND t_last < ?2", id, t);
  if (!block) return block.status();
  auto head = query_opt(db, "SELECT max(t) FROM raw_head WHERE sensor = ?1 AND t < ?2", id, t);
  if (!head) return head.status();
  if (*block && *head) return std::optional<TimeMs>(std::max(**block, **head));
  return *block ? *block : *head;
}

Status fold_minutes(Db& db, const RollupEngine& engine, TimeMs max_gap_ms, SensorId id, TimeMs from,
                    TimeMs to, std::vector<Rollup>* out) {
  const TimeMs first = ceil_minute(from);
  if (first >= to) return Status::ok();
  const TimeMs stop = ceil_minute(to);  // buckets starting before `to` end by then
  auto seed = seed_lower_bound(db, id, first);
  if (!seed) return seed.status();
  RollupState state;
  std::vector<LevelRollup> closed;
  bool done = false;
  auto keep = [&](const Rollup& r) {
    if (r.start >= first && r.start < to) out->push_back(r);
  };
  CW_RETURN_IF_ERROR(
      scan_raw_in(db, id, seed->value_or(first), kMaxTime, [&](std::span<const Sample> chunk) {
        for (const Sample& s : chunk) {
          closed.clear();
          engine.add(state, max_gap_ms, s, &closed, kMinuteOnly);
          for (const LevelRollup& c : closed) keep(c.bucket);
          if (s.t >= stop) {  // every requested bucket is closed
            done = true;
            return false;
          }
        }
        return true;
      }));
  if (!done && state.last) keep(state.open[level_index(Level::kMinute)]);
  return Status::ok();
}

Result<TimeMs> sensor_max_gap(Db& db, SensorId id) {
  auto gap = query_opt(db, "SELECT max_gap_ms FROM sensor WHERE id = ?1", id);
  if (!gap) return gap.status();
  if (!*gap) return not_found("no sensor " + std::to_string(id));
  return **gap;
}

// Writes the minute rollups of [rt.minute_from, boundary) from the raw samples still there
// into blocks; the open bucket stays in the head. Called by retention before it deletes them.
Status SqliteStore::materialise_minutes(SensorId id, const SensorRuntime& rt, TimeMs boundary) {
  if (rt.minute_from >= boundary || rt.minute_from == kNoMinuteBoundary) return Status::ok();
  std::vector<Rollup> rows;
  CW_RETURN_IF_ERROR(
      fold_minutes(writer_, engine_, rt.max_gap_ms, id, rt.minute_from, boundary, &rows));
  std::vector<LevelRollup> buckets;
  for (const Rollup& r : rows) buckets.push_back({Level::kMinute, r});
  CW_RETURN_IF_ERROR(write_rollups(id, buckets));
  const TimeMs open = rt.rollup.last ? rt.rollup.open[level_index(Level::kMinute)].start : boundary;
  return compact_rollups(id, Level::kMinute, std::min(open, boundary));
}

}  // namespace cw::store::detail
