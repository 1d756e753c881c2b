// The write side of SqliteStore: commit, sensor edits, retention. Each runs in one IMMEDIATE
// transaction on the writer connection; in-memory state changes only after COMMIT succeeded.
#include <sqlite3.h>

#include <algorithm>

#include "store/record_blocks.h"
#include "store/sqlite_store.h"

namespace cw::store::detail {

namespace {

std::string encode_frames(const FrameStats& f) {
  std::string out;
  auto put = [&](std::uint64_t v) {
    for (int b = 0; b < 8; ++b) out.push_back(static_cast<char>(v >> (8 * b)));
  };
  for (std::uint64_t v : f.by_verdict) put(v);
  put(f.lost);
  return out;
}

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string sensor_name(SensorId id) {
  return "sensor " + std::to_string(id);
}

}  // namespace

WriteTxn::~WriteTxn() {
  if (status_ && !done_ && !sqlite3_get_autocommit(db_.raw())) (void)db_.exec("ROLLBACK");
}

Status WriteTxn::commit() {
  Status st = db_.exec("COMMIT");
  if (st) {
    done_ = true;
  } else if (!sqlite3_get_autocommit(db_.raw())) {
    (void)db_.exec("ROLLBACK");
    done_ = true;
  }
  return st;
}

Result<Sensor> SqliteStore::add_sensor(const NewSensor& s) {
  if (s.max_gap_ms <= 0) return invalid_argument("max_gap_ms must be positive");
  if (s.id && *s.id == 0) return invalid_argument("sensor id 0 is reserved");
  std::lock_guard lock(write_mu_);
  SensorId id = 0;
  if (s.id) {
    if (runtime_.count(*s.id)) {
      return Status{Code::kAlreadyExists, sensor_name(*s.id) + " already exists"};
    }
    id = *s.id;
  } else {
    std::uint32_t next = 1;  // runtime_ is ordered: the first hole is the lowest free id
    for (const auto& [used, rt] : runtime_) {
      if (used != next) break;
      ++next;
    }
    if (next > 0xFFFF) return Status{Code::kResourceExhausted, "all 65535 sensor ids are used"};
    id = SensorId(next);
  }
  Sensor out;
  out.id = id;
  out.name = s.name;
  out.kind = s.kind;
  out.key = s.key;
  out.created = SystemClock().now();
  out.max_gap_ms = s.max_gap_ms;
  Status st;
  Stmt* ins = writer_.prepare(
      "INSERT INTO sensor(id, name, kind, key, created, max_gap_ms, frames) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      &st);
  if (!ins) return st;
  ins->bind(1, id);
  ins->bind(2, std::string_view(s.name));
  ins->bind(3, static_cast<int>(s.kind));
  ins->bind(4, std::span<const std::uint8_t>(s.key));
  ins->bind(5, out.created);
  ins->bind(6, s.max_gap_ms);
  std::string frames = encode_frames({});
  ins->bind(7, bytes_of(frames));
  CW_RETURN_IF_ERROR(run(writer_, ins, "add sensor"));  // autocommit: one statement
  runtime_[id] = SensorRuntime{s.max_gap_ms, {}, 0};
  return out;
}

Status SqliteStore::rename_sensor(SensorId id, const std::string& name) {
  std::lock_guard lock(write_mu_);
  Status st;
  Stmt* s = writer_.prepare("UPDATE sensor SET name = ?2 WHERE id = ?1", &st);
  if (!s) return st;
  s->bind(1, id);
  s->bind(2, std::string_view(name));
  CW_RETURN_IF_ERROR(run(writer_, s, "rename sensor"));
  return writer_.changes() == 1 ? Status::ok() : not_found("no " + sensor_name(id));
}

Status SqliteStore::set_key(SensorId id, const Key128& key) {
  std::lock_guard lock(write_mu_);
  Status st;
  Stmt* s = writer_.prepare("UPDATE sensor SET key = ?2 WHERE id = ?1", &st);
  if (!s) return st;
  s->bind(1, id);
  s->bind(2, std::span<const std::uint8_t>(key));
  CW_RETURN_IF_ERROR(run(writer_, s, "set sensor key"));
  return writer_.changes() == 1 ? Status::ok() : not_found("no " + sensor_name(id));
}

Status SqliteStore::remove_sensor(SensorId id) {
  std::lock_guard lock(write_mu_);
  if (!runtime_.count(id)) return not_found("no " + sensor_name(id));
  WriteTxn txn(writer_);
  CW_RETURN_IF_ERROR(txn.status());
  for (const char* sql :
       {"DELETE FROM raw_head WHERE sensor = ?1", "DELETE FROM raw_block WHERE sensor = ?1",
        "DELETE FROM rollup_head WHERE sensor = ?1", "DELETE FROM rollup_block WHERE sensor = ?1",
        "DELETE FROM insight_alert WHERE sensor = ?1",
        "DELETE FROM insight_challenge WHERE sensor = ?1",
        "DELETE FROM insight_badge WHERE sensor = ?1", "DELETE FROM sensor WHERE id = ?1"}) {
    Status st;
    Stmt* s = writer_.prepare(sql, &st);
    if (!s) return st;
    s->bind(1, id);
    CW_RETURN_IF_ERROR(run(writer_, s, "remove sensor"));
  }
  CW_RETURN_IF_ERROR(txn.commit());
  runtime_.erase(id);
  return Status::ok();
}

Status SqliteStore::validate(const SensorBatch& b, const SensorRuntime& rt) const {
  const std::optional<Sample>& last = rt.rollup.last;
  for (std::size_t i = 0; i < b.samples.size(); ++i) {
    const Sample& s = b.samples[i];
    const Sample* prev = i > 0 ? &b.samples[i - 1] : (last ? &*last : nullptr);
    if (!prev) continue;
    if (s.t <= prev->t) {
      return invalid_argument(sensor_name(b.sensor) + ": sample times must increase (t=" +
                              std::to_string(s.t) + " after " + std::to_string(prev->t) + ")");
    }
    if (s.energy_wh < prev->energy_wh) {
      return invalid_argument(sensor_name(b.sensor) +
                              ": energy decreases at t=" + std::to_string(s.t));
    }
  }
  return Status::ok();
}

Status SqliteStore::write_rollups(SensorId id, const std::vector<LevelRollup>& buckets) {
  Status st;
  Stmt* s = writer_.prepare(
      "INSERT OR REPLACE INTO rollup_head(sensor, level, start, end_, count, min_w, max_w, "
      "sum_wms, covered_ms, energy_mwh, gap_energy_mwh) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
      &st);
  if (!s) return st;
  for (const LevelRollup& lr : buckets) {
    const Rollup& r = lr.bucket;
    s->bind(1, id);
    s->bind(2, static_cast<int>(lr.level));
    s->bind(3, r.start);
    s->bind(4, r.end);
    s->bind(5, std::int64_t(r.count));
    s->bind(6, r.min_w);
    s->bind(7, r.max_w);
    s->bind(8, r.sum_wms);
    s->bind(9, r.covered_ms);
    s->bind(10, r.energy_mwh);
    s->bind(11, r.gap_energy_mwh);
    CW_RETURN_IF_ERROR(run(writer_, s, "write rollup"));
  }
  return Status::ok();
}

Status SqliteStore::write_sensor_state(SensorId id, const SensorState& st, const RollupState& rs) {
  Status status;
  Stmt* s = writer_.prepare(
      "UPDATE sensor SET has_counter = ?2, last_counter = ?3, last_seen = ?4, last_power_w = ?5, "
      "last_raw_energy_wh = ?6, energy_offset_wh = ?7, voltage_dv = ?8, supply_mv = ?9, "
      "flags = ?10, frames = ?11, s_t = ?12, s_counter = ?13, s_power_w = ?14, s_energy_wh = ?15 "
      "WHERE id = ?1",
      &status);
  if (!s) return status;
  s->bind(1, id);
  s->bind(2, st.has_counter ? 1 : 0);
  s->bind(3, std::int64_t(st.last_counter));
  s->bind(4, st.last_seen);
  s->bind(5, st.last_power_w);
  s->bind(6, st.last_raw_energy_wh);
  s->bind(7, st.energy_offset_wh);
  s->bind(8, st.voltage_dv);
  s->bind(9, st.supply_mv);
  s->bind(10, st.flags);
  std::string frames = encode_frames(st.frames);
  s->bind(11, bytes_of(frames));
  if (rs.last) {
    s->bind(12, rs.last->t);
    s->bind(13, std::int64_t(rs.last->counter));
    s->bind(14, rs.last->power_w);
    s->bind(15, rs.last->energy_wh);
  }  // unbound parameters are NULL: no sample yet
  return run(writer_, s, "write sensor state");
}

Status SqliteStore::add_unattributed(const FrameStats& f) {
  Status st;
  Stmt* s = writer_.prepare(
      "INSERT INTO unattributed(verdict, n) VALUES(?1, ?2) "
      "ON CONFLICT(verdict) DO UPDATE SET n = n + excluded.n",
      &st);
  if (!s) return st;
  auto add = [&](std::string_view name, std::uint64_t n) -> Status {
    if (n == 0) return Status::ok();
    s->bind(1, name);
    s->bind(2, std::int64_t(n));
    return run(writer_, s, "count unattributed frames");
  };
  for (std::size_t k = 0; k < kVerdictCount; ++k) {
    CW_RETURN_IF_ERROR(add(verdict_name(static_cast<Verdict>(k)), f.by_verdict[k]));
  }
  return add("lost", f.lost);
}

// Compaction frees the pages of head rows and rewritten blocks; past a few, give them back to
// the file system (a no-op in a file created without incremental auto-vacuum).
Status SqliteStore::release_free_pages() {
  auto free_pages = writer_.query_int("PRAGMA freelist_count");
  if (!free_pages) return free_pages.status();
  if (*free_pages <= kMaxFreePages) return Status::ok();
  return writer_.exec("PRAGMA incremental_vacuum");
}

Status SqliteStore::commit(const CommitBatch& batch) {
  std::lock_guard lock(write_mu_);
  // Stage copies of the touched sensors' runtime; they replace runtime_ only after COMMIT.
  std::map<SensorId, SensorRuntime> staged;
  for (const SensorBatch& b : batch.sensors) {
    auto it = staged.find(b.sensor);
    if (it == staged.end()) {
      auto rt = runtime_.find(b.sensor);
      if (rt == runtime_.end()) return invalid_argument("unknown " + sensor_name(b.sensor));
      it = staged.emplace(b.sensor, rt->second).first;
    }
    CW_RETURN_IF_ERROR(validate(b, it->second));
    if (!b.samples.empty()) it->second.rollup.last = b.samples.back();  // for the next check
  }
  for (auto& [id, rt] : staged) rt = runtime_.at(id);

  WriteTxn txn(writer_);
  CW_RETURN_IF_ERROR(txn.status());
  std::vector<LevelRollup> buckets;
  for (const SensorBatch& b : batch.sensors) {
    SensorRuntime& rt = staged.at(b.sensor);
    if (!b.samples.empty()) {
      const RollupState before = rt.rollup;
      if (rt.minute_from == kNoMinuteBoundary) {
        rt.minute_from = minute_boundary_of(b.samples.front().t);
      }
      buckets.clear();
      for (const Sample& s : b.samples) engine_.add(rt.rollup, rt.max_gap_ms, s, &buckets);
      // Closed minute buckets are folded from the raw samples on read (sqlite_minutes.cc), except
      // before the minute boundary; the open one is kept for restart.
      std::erase_if(buckets, [&](const LevelRollup& r) {
        return r.level == Level::kMinute && r.bucket.start >= rt.minute_from;
      });
      for (const LevelRollup& o : engine_.open_buckets(rt.rollup)) buckets.push_back(o);
      CW_RETURN_IF_ERROR(write_raw(b.sensor, rt, before.last, b.samples));
      CW_RETURN_IF_ERROR(write_rollups(b.sensor, buckets));
      CW_RETURN_IF_ERROR(drop_closed_minutes(b.sensor, rt));
      for (Level l : kRollupLevels) {
        if (!before.last) continue;
        const TimeMs open = rt.rollup.open[level_index(l)].start;
        const TimeMs was = rollup_flush_period(l, before.open[level_index(l)].start);
        if (rollup_flush_period(l, open) != was) {
          CW_RETURN_IF_ERROR(compact_rollups(b.sensor, l, open));
        }
      }
    }
    CW_RETURN_IF_ERROR(write_sensor_state(b.sensor, b.state, rt.rollup));
  }
  CW_RETURN_IF_ERROR(add_unattributed(batch.unattributed));
  CW_RETURN_IF_ERROR(release_free_pages());
  CW_RETURN_IF_ERROR(txn.commit());
  for (auto& [id, rt] : staged) runtime_[id] = std::move(rt);
  return Status::ok();
}

// Removes the head row of a minute bucket that was open and is now closed, unless it is
// before the minute boundary (then it is kept: no raw sample covers it).
Status SqliteStore::drop_closed_minutes(SensorId id, const SensorRuntime& rt) {
  Status st;
  Stmt* del = writer_.prepare(
      "DELETE FROM rollup_head WHERE sensor = ?1 AND level = ?2 AND start >= ?3 AND start < ?4",
      &st);
  if (!del) return st;
  del->bind(1, id);
  del->bind(2, static_cast<int>(Level::kMinute));
  del->bind(3, rt.minute_from);
  del->bind(4, rt.rollup.open[level_index(Level::kMinute)].start);
  return run(writer_, del, "drop closed minute rollups");
}

Status SqliteStore::enforce_retention(TimeMs now, const RetentionPolicy& policy) {
  if (policy.raw_keep_ms < 0) return invalid_argument("raw_keep_ms must not be negative");
  const TimeMs cutoff = now - policy.raw_keep_ms;
  std::lock_guard lock(write_mu_);
  WriteTxn txn(writer_);
  CW_RETURN_IF_ERROR(txn.status());
  std::map<SensorId, std::uint32_t> head_rows;
  auto run_cutoff = [&](const char* sql, SensorId id) -> Status {
    Status st;
    Stmt* s = writer_.prepare(sql, &st);
    if (!s) return st;
    s->bind(1, id);
    s->bind(2, cutoff);
    return run(writer_, s, "enforce retention");
  };
  std::map<SensorId, TimeMs> minute_from;
  for (const auto& [id, rt] : runtime_) {
    // The minute rollups of the span about to lose its raw samples are stored first.
    auto kept = oldest_kept_raw(writer_, id, cutoff);
    if (!kept) return kept.status();
    minute_from[id] = minute_boundary_of(*kept);
    CW_RETURN_IF_ERROR(materialise_minutes(id, rt, minute_from[id]));
    // Whole blocks only: a block straddling the cutoff stays until all of it is old.
    CW_RETURN_IF_ERROR(run_cutoff("DELETE FROM raw_block WHERE sensor = ?1 AND t_last < ?2", id));
    CW_RETURN_IF_ERROR(run_cutoff("DELETE FROM raw_head WHERE sensor = ?1 AND t < ?2", id));
    head_rows[id] = rt.head_rows - std::uint32_t(writer_.changes());
  }
  CW_RETURN_IF_ERROR(txn.commit());
  for (auto& [id, n] : head_rows) runtime_[id].head_rows = n;
  for (auto& [id, b] : minute_from) runtime_[id].minute_from = b;
  return Status::ok();
}

}  // namespace cw::store::detail
