// The SQLite implementation of Store (docs/storage.md). Internal: callers use
// open_sqlite_store() from store.h.
//
// Concurrency: one writer connection, used only under write_mu_ (commits, sensor edits,
// retention); reads lease connections from a pool and run in read transactions, so they see
// whole committed batches and never wait for a commit in progress (WAL mode).
// In-memory state (per-sensor rollup state, head sizes) is guarded by write_mu_ and changes only
// after a transaction has committed, so a failed commit leaves it exactly as it was.
#pragma once

#include <limits>
#include <map>
#include <mutex>
#include <string>

#include "store/read_pool.h"
#include "store/rollup_engine.h"
#include "store/sqlite_handle.h"
#include "store/store.h"

namespace cw::store::detail {

inline constexpr TimeMs kNoMinuteBoundary = std::numeric_limits<TimeMs>::max();

// What the writer keeps in memory of a sensor.
struct SensorRuntime {
  TimeMs max_gap_ms = 0;
  RollupState rollup;           // last sample and open buckets
  std::uint32_t head_rows = 0;  // samples in raw_head, not yet in a block
  // Minute buckets starting before this are persisted, later ones are folded from raw samples
  // (sqlite_minutes.cc); kNoMinuteBoundary while the sensor has no raw sample.
  TimeMs minute_from = kNoMinuteBoundary;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, Calendar calendar, SqliteOptions options, Db writer);
  // Gives every free page back to the file system before the last connection closes.
  ~SqliteStore() override;

  // Loads the sensors' runtime state from the database.
  Status load();

  Result<Sensor> add_sensor(const NewSensor& s) override;
  Result<std::vector<Sensor>> sensors() override;
  Result<Sensor> sensor(SensorId id) override;
  Status rename_sensor(SensorId id, const std::string& name) override;
  Status set_key(SensorId id, const Key128& key) override;
  Status remove_sensor(SensorId id) override;
  Status commit(const CommitBatch& batch) override;
  Status scan_raw(SensorId id, TimeMs from, TimeMs to,
                  const std::function<bool(std::span<const Sample>)>& fn) override;
  Result<std::vector<Rollup>> rollups(SensorId id, Level level, TimeMs from, TimeMs to) override;
  Result<std::optional<Sample>> last_sample(SensorId id) override;
  Result<StoreStats> stats() override;
  Status enforce_retention(TimeMs now, const RetentionPolicy& policy) override;
  Result<std::string> integrity_check() override;

 private:
  // Commit steps, all inside the writer's open transaction.
  Status validate(const SensorBatch& b, const SensorRuntime& rt) const;
  Status write_raw(SensorId id, SensorRuntime& rt, const std::optional<Sample>& before,
                   std::span<const Sample> samples);
  Status flush_raw(SensorId id, SensorRuntime& rt, std::span<const Sample> samples);
  Status write_rollups(SensorId id, const std::vector<LevelRollup>& buckets);
  Status compact_rollups(SensorId id, Level level, TimeMs before);
  Status reopen_rollup_block(SensorId id, Level level, TimeMs period, std::vector<Rollup>* out);
  Status write_sensor_state(SensorId id, const SensorState& st, const RollupState& rs);
  Status add_unattributed(const FrameStats& f);
  Status release_free_pages();
  Status write_block(const char* sql, SensorId id, std::span<const Sample> samples);
  Result<std::vector<Sample>> read_head(SensorId id);
  Status exists(Db& db, SensorId id);
  Status drop_closed_minutes(SensorId id, const SensorRuntime& rt);
  Status materialise_minutes(SensorId id, const SensorRuntime& rt, TimeMs boundary);

  const std::string path_;
  const SqliteOptions options_;
  const RollupEngine engine_;
  ReadPool readers_;

  std::mutex write_mu_;
  Db writer_;                                  // guarded by write_mu_
  std::map<SensorId, SensorRuntime> runtime_;  // guarded by write_mu_
};

// Raw samples of a sensor with from <= t < to, in chunks, inside the caller's transaction.
Status scan_raw_in(Db& db, SensorId id, TimeMs from, TimeMs to,
                   const std::function<bool(std::span<const Sample>)>& fn);

// Minute rollups (sqlite_minutes.cc). The boundary of a sensor whose oldest raw sample is
// oldest_raw: the end of that sample's minute bucket (kNoMinuteBoundary without one).
TimeMs minute_boundary_of(std::optional<TimeMs> oldest_raw);
Result<TimeMs> minute_boundary(Db& db, SensorId id);
// The oldest raw sample that a retention cut at cutoff keeps (whole blocks, head rows >= cutoff).
Result<std::optional<TimeMs>> oldest_kept_raw(Db& db, SensorId id, TimeMs cutoff);
// Appends the minute buckets starting in [from, to) folded from the raw samples, seeded with
// the last raw sample before the first bucket.
Status fold_minutes(Db& db, const RollupEngine& engine, TimeMs max_gap_ms, SensorId id, TimeMs from,
                    TimeMs to, std::vector<Rollup>* out);
Result<TimeMs> sensor_max_gap(Db& db, SensorId id);

// A write transaction on the writer connection: rolls back unless commit() succeeded.
class WriteTxn {
 public:
  explicit WriteTxn(Db& db) : db_(db), status_(db.exec("BEGIN IMMEDIATE")) {}
  ~WriteTxn();
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;
  const Status& status() const { return status_; }
  Status commit();

 private:
  Db& db_;
  Status status_;
  bool done_ = false;
};

// The period whose rollups of level share one compressed block: a UTC day of minutes, a UTC
// month of hours, a UTC year of days.
TimeMs rollup_block_period(Level level, TimeMs start);

// The shorter period after which closed rollups of level leave the head for their block: a UTC
// hour of minutes, a UTC day of hours, a UTC month of days. Keeps the uncompressed head small
// for slow sensors while blocks still hold whole periods (the open block is rewritten).
TimeMs rollup_flush_period(Level level, TimeMs start);

// Raw samples leave the head at least once per UTC hour of sample time (and whenever the head
// would reach block_samples).
inline constexpr TimeMs kRawFlushPeriodMs = 3600 * 1000;

// Free pages a file may keep before a commit gives them back (incremental vacuum).
inline constexpr std::int64_t kMaxFreePages = 16;

}  // namespace cw::store::detail
