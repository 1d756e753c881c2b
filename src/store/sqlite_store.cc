#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>

#include "store/column_codec.h"
#include "store/record_blocks.h"
#include "store/schema.h"

namespace cw::store {

namespace detail {

namespace {

constexpr const char* kSensorColumns =
    "SELECT id, name, kind, key, created, max_gap_ms, has_counter, last_counter, last_seen, "
    "last_power_w, last_raw_energy_wh, energy_offset_wh, voltage_dv, supply_mv, flags, frames "
    "FROM sensor";

FrameStats decode_frames(std::span<const std::uint8_t> blob) {
  // Layout: u64 LE per verdict, in Verdict order, then u64 lost (the last word).
  FrameStats f;
  const std::size_t words = blob.size() / 8;
  auto word = [&](std::size_t k) {
    std::uint64_t v = 0;
    for (int b = 0; b < 8; ++b) v |= std::uint64_t(blob[8 * k + b]) << (8 * b);
    return v;
  };
  if (words == 0) return f;
  for (std::size_t k = 0; k + 1 < words && k < kVerdictCount; ++k) f.by_verdict[k] = word(k);
  f.lost = word(words - 1);
  return f;
}

Sensor read_sensor_row(const Stmt& s) {
  Sensor out;
  out.id = SensorId(s.col_int(0));
  out.name = s.col_text(1);
  out.kind = static_cast<SensorKind>(s.col_int(2));
  auto key = s.col_blob(3);
  std::copy_n(key.begin(), std::min(key.size(), out.key.size()), out.key.begin());
  out.created = s.col_int(4);
  out.max_gap_ms = s.col_int(5);
  SensorState& st = out.state;
  st.has_counter = s.col_int(6) != 0;
  st.last_counter = std::uint32_t(s.col_int(7));
  st.last_seen = s.col_int(8);
  st.last_power_w = std::int32_t(s.col_int(9));
  st.last_raw_energy_wh = s.col_int(10);
  st.energy_offset_wh = s.col_int(11);
  st.voltage_dv = std::uint16_t(s.col_int(12));
  st.supply_mv = std::uint16_t(s.col_int(13));
  st.flags = std::uint8_t(s.col_int(14));
  st.frames = decode_frames(s.col_blob(15));
  return out;
}

Result<std::vector<Sensor>> query_sensors(Db& db, std::optional<SensorId> id) {
  Status st;
  std::string sql = std::string(kSensorColumns) + (id ? " WHERE id = ?1" : " ORDER BY id");
  Stmt* s = db.prepare(sql.c_str(), &st);
  if (!s) return st;
  if (id) s->bind(1, *id);
  std::vector<Sensor> out;
  int rc = 0;
  while (s->step(&rc)) out.push_back(read_sensor_row(*s));
  st = sqlite_status(rc, db.raw(), "read sensors");
  s->reset();
  if (!st) return st;
  return out;
}

Rollup read_rollup_row(const Stmt& s, int first) {
  auto v = [&](int k) { return s.col_int(first + k); };
  return {v(0), v(1), std::uint32_t(v(2)), std::int32_t(v(3)), std::int32_t(v(4)), v(5), v(6),
          v(7), v(8)};
}

std::uint64_t file_size_or_zero(const std::string& p) {
  std::error_code ec;
  auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : n;
}

}  // namespace

TimeMs rollup_block_period(Level level, TimeMs start) {
  static const Calendar kUtc = Calendar::utc();
  switch (level) {
    case Level::kMinute:
      return floor_to(start, kDayMs);
    case Level::kHour:
      return kUtc.floor(start, Period::kMonth);
    default:
      return kUtc.floor(start, Period::kYear);
  }
}

SqliteStore::SqliteStore(std::string path, Calendar calendar, SqliteOptions options, Db writer)
    : path_(std::move(path)),
      options_(options),
      engine_(std::move(calendar)),
      readers_(path_, options.busy_timeout_ms),
      writer_(std::move(writer)) {}

// A clean stop leaves no free page behind (commits keep up to kMaxFreePages); a failure here
// only costs space, so it is not reported.
SqliteStore::~SqliteStore() {
  std::lock_guard lock(write_mu_);
  if (writer_.raw() == nullptr) return;
  (void)writer_.exec("PRAGMA incremental_vacuum");
}

Status SqliteStore::load() {
  std::lock_guard lock(write_mu_);
  Status st;
  Stmt* s = writer_.prepare(
      "SELECT id, max_gap_ms, s_t, s_counter, s_power_w, s_energy_wh FROM sensor", &st);
  if (!s) return st;
  int rc = 0;
  while (s->step(&rc)) {
    SensorRuntime rt;
    rt.max_gap_ms = s->col_int(1);
    if (!s->col_is_null(2)) {
      rt.rollup.last = Sample{s->col_int(2), std::uint32_t(s->col_int(3)),
                              std::int32_t(s->col_int(4)), s->col_int(5)};
    }
    runtime_[SensorId(s->col_int(0))] = rt;
  }
  CW_RETURN_IF_ERROR(sqlite_status(rc, writer_.raw(), "load sensors"));
  s->reset();

  Stmt* open = writer_.prepare(
      "SELECT start, end_, count, min_w, max_w, sum_wms, covered_ms, energy_mwh, gap_energy_mwh "
      "FROM rollup_head WHERE sensor = ?1 AND level = ?2 ORDER BY start DESC LIMIT 1",
      &st);
  if (!open) return st;
  for (auto& [id, rt] : runtime_) {
    if (!rt.rollup.last) continue;
    for (Level l : kRollupLevels) {
      open->reset();
      open->bind(1, id);
      open->bind(2, static_cast<int>(l));
      Rollup& o = rt.rollup.open[level_index(l)];
      if (open->step(&rc)) {
        o = read_rollup_row(*open, 0);
      } else {
        CW_RETURN_IF_ERROR(sqlite_status(rc, writer_.raw(), "load open rollups"));
        o = engine_.bucket_at(l, rt.rollup.last->t);  // cannot happen in a sound file
      }
      if (o.start > rt.rollup.last->t || o.end <= rt.rollup.last->t) {
        return corruption("open rollup bucket does not hold the last sample of sensor " +
                          std::to_string(id));
      }
    }
  }
  open->reset();

  Stmt* heads = writer_.prepare("SELECT sensor, count(*) FROM raw_head GROUP BY sensor", &st);
  if (!heads) return st;
  while (heads->step(&rc)) {
    auto it = runtime_.find(SensorId(heads->col_int(0)));
    if (it != runtime_.end()) it->second.head_rows = std::uint32_t(heads->col_int(1));
  }
  CW_RETURN_IF_ERROR(sqlite_status(rc, writer_.raw(), "count head rows"));
  heads->reset();
  for (auto& [id, rt] : runtime_) {
    auto boundary = minute_boundary(writer_, id);
    if (!boundary) return boundary.status();
    rt.minute_from = *boundary;
  }
  return Status::ok();
}

Status SqliteStore::exists(Db& db, SensorId id) {
  Status st;
  Stmt* s = db.prepare("SELECT 1 FROM sensor WHERE id = ?1", &st);
  if (!s) return st;
  s->bind(1, id);
  int rc = 0;
  bool found = s->step(&rc);
  if (!found && rc != SQLITE_DONE) return sqlite_status(rc, db.raw(), "find sensor");
  s->reset();
  return found ? Status::ok() : not_found("no sensor " + std::to_string(id));
}

Result<std::vector<Sensor>> SqliteStore::sensors() {
  auto lease = readers_.acquire();
  if (!lease) return lease.status();
  return query_sensors(lease->db(), std::nullopt);
}

Result<Sensor> SqliteStore::sensor(SensorId id) {
  auto lease = readers_.acquire();
  if (!lease) return lease.status();
  auto v = query_sensors(lease->db(), id);
  if (!v) return v.status();
  if (v->empty()) return not_found("no sensor " + std::to_string(id));
  return std::move(v->front());
}

Status SqliteStore::scan_raw(SensorId id, TimeMs from, TimeMs to,
                             const std::function<bool(std::span<const Sample>)>& fn) {
  auto lease = readers_.acquire();
  if (!lease) return lease.status();
  Db& db = lease->db();
  ReadTxn txn(db);
  CW_RETURN_IF_ERROR(txn.status());
  CW_RETURN_IF_ERROR(exists(db, id));
  return scan_raw_in(db, id, from, to, fn);
}

Status scan_raw_in(Db& db, SensorId id, TimeMs from, TimeMs to,
                   const std::function<bool(std::span<const Sample>)>& fn) {
  Status st;
  Stmt* blocks = db.prepare(
      "SELECT t_first, data FROM raw_block WHERE sensor = ?1 AND t_last >= ?2 ORDER BY t_last",
      &st);
  if (!blocks) return st;
  blocks->bind(1, id);
  blocks->bind(2, from);
  int rc = 0;
  bool more = true;
  while (more && blocks->step(&rc)) {
    if (blocks->col_int(0) >= to) break;
    auto samples = decode_samples(blocks->col_blob(1));
    if (!samples) {
      blocks->reset();
      return {samples.status().code(),
              "raw block of sensor " + std::to_string(id) + ": " + samples.status().message()};
    }
    auto lo = std::lower_bound(samples->begin(), samples->end(), from,
                               [](const Sample& s, TimeMs t) { return s.t < t; });
    auto hi =
        std::lower_bound(lo, samples->end(), to, [](const Sample& s, TimeMs t) { return s.t < t; });
    if (lo != hi) more = fn(std::span<const Sample>(&*lo, std::size_t(hi - lo)));
  }
  st = more && rc != SQLITE_ROW ? sqlite_status(rc, db.raw(), "scan raw blocks") : Status::ok();
  blocks->reset();
  if (!st || !more) return st;

  Stmt* head = db.prepare(
      "SELECT t, counter, power_w, energy_wh FROM raw_head WHERE sensor = ?1 AND t >= ?2 AND "
      "t < ?3 ORDER BY t",
      &st);
  if (!head) return st;
  head->bind(1, id);
  head->bind(2, from);
  head->bind(3, to);
  std::vector<Sample> chunk;
  constexpr std::size_t kChunk = 1024;
  while (more && head->step(&rc)) {
    chunk.push_back({head->col_int(0), std::uint32_t(head->col_int(1)),
                     std::int32_t(head->col_int(2)), head->col_int(3)});
    if (chunk.size() == kChunk) {
      more = fn(chunk);
      chunk.clear();
    }
  }
  st = more ? sqlite_status(rc, db.raw(), "scan raw head") : Status::ok();
  head->reset();
  if (st && more && !chunk.empty()) fn(chunk);
  return st;
}

Result<std::vector<Rollup>> SqliteStore::rollups(SensorId id, Level level, TimeMs from, TimeMs to) {
  if (level == Level::kRaw || static_cast<int>(level) > 3) {
    return invalid_argument("rollups exist only at minute, hour and day levels");
  }
  auto lease = readers_.acquire();
  if (!lease) return lease.status();
  Db& db = lease->db();
  ReadTxn txn(db);
  CW_RETURN_IF_ERROR(txn.status());
  CW_RETURN_IF_ERROR(exists(db, id));
  // Minute buckets from the boundary on are not stored but folded from the raw samples.
  TimeMs fold_from = to;
  if (level == Level::kMinute) {
    auto boundary = minute_boundary(db, id);
    if (!boundary) return boundary.status();
    fold_from = std::max(from, std::min(*boundary, to));
  }
  const TimeMs stored_to = fold_from;
  std::vector<Rollup> out;
  Status st;
  Stmt* blocks = db.prepare(
      "SELECT t_first, data FROM rollup_block WHERE sensor = ?1 AND level = ?2 AND t_last >= ?3 "
      "ORDER BY t_last",
      &st);
  if (!blocks) return st;
  blocks->bind(1, id);
  blocks->bind(2, static_cast<int>(level));
  blocks->bind(3, from);
  int rc = 0;
  while (blocks->step(&rc)) {
    if (blocks->col_int(0) >= stored_to) break;
    auto rs = decode_rollups(blocks->col_blob(1));
    if (!rs) {
      blocks->reset();
      return Status{rs.status().code(),
                    "rollup block of sensor " + std::to_string(id) + ": " + rs.status().message()};
    }
    for (const Rollup& r : *rs) {
      if (r.start >= from && r.start < stored_to) out.push_back(r);
    }
  }
  st = rc != SQLITE_ROW ? sqlite_status(rc, db.raw(), "read rollup blocks") : Status::ok();
  blocks->reset();
  if (!st) return st;

  Stmt* head = db.prepare(
      "SELECT start, end_, count, min_w, max_w, sum_wms, covered_ms, energy_mwh, gap_energy_mwh "
      "FROM rollup_head WHERE sensor = ?1 AND level = ?2 AND start >= ?3 AND start < ?4 "
      "ORDER BY start",
      &st);
  if (!head) return st;
  head->bind(1, id);
  head->bind(2, static_cast<int>(level));
  head->bind(3, from);
  head->bind(4, stored_to);
  while (head->step(&rc)) out.push_back(read_rollup_row(*head, 0));
  st = sqlite_status(rc, db.raw(), "read rollup head");
  head->reset();
  if (!st) return st;
  if (fold_from < to) {
    auto gap = sensor_max_gap(db, id);
    if (!gap) return gap.status();
    CW_RETURN_IF_ERROR(fold_minutes(db, engine_, *gap, id, fold_from, to, &out));
  }
  // Blocks hold only closed buckets older than any head row, so this is already sorted; stay
  // robust if a future compaction policy changes that.
  auto by_start = [](const Rollup& a, const Rollup& b) { return a.start < b.start; };
  if (!std::is_sorted(out.begin(), out.end(), by_start))
    std::stable_sort(out.begin(), out.end(), by_start);
  // A file written before minute rollups were folded from raw samples still holds them all, so
  // retention can store a minute bucket twice (identical records): keep one.
  auto same_start = [](const Rollup& a, const Rollup& b) { return a.start == b.start; };
  out.erase(std::unique(out.begin(), out.end(), same_start), out.end());
  return out;
}

Result<std::optional<Sample>> SqliteStore::last_sample(SensorId id) {
  auto lease = readers_.acquire();
  if (!lease) return lease.status();
  Db& db = lease->db();
  Status st;
  Stmt* s =
      db.prepare("SELECT s_t, s_counter, s_power_w, s_energy_wh FROM sensor WHERE id = ?1", &st);
  if (!s) return st;
  s->bind(1, id);
  int rc = 0;
  if (!s->step(&rc)) {
    st = rc == SQLITE_DONE ? not_found("no sensor " + std::to_string(id))
                           : sqlite_status(rc, db.raw(), "read last sample");
    s->reset();
    return st;
  }
  std::optional<Sample> out;
  if (!s->col_is_null(0)) {
    out = Sample{s->col_int(0), std::uint32_t(s->col_int(1)), std::int32_t(s->col_int(2)),
                 s->col_int(3)};
  }
  s->reset();
  return out;
}

Result<StoreStats> SqliteStore::stats() {
  auto lease = readers_.acquire();
  if (!lease) return lease.status();
  Db& db = lease->db();
  ReadTxn txn(db);
  CW_RETURN_IF_ERROR(txn.status());
  StoreStats out;
  struct Q {
    const char* sql;
    std::uint64_t* dst;
  };
  std::int64_t oldest_block = 0, oldest_head = 0;
  std::uint64_t raw_head = 0, raw_block = 0, roll_head = 0, roll_block = 0;
  for (const auto& [sql, dst] : std::initializer_list<std::pair<const char*, void*>>{
           {"SELECT count(*), coalesce(sum(n), 0) FROM raw_block", &out.raw_blocks},
           {"SELECT count(*) FROM raw_head", &raw_head},
           {"SELECT coalesce(sum(n), 0) FROM rollup_block", &roll_block},
           {"SELECT count(*) FROM rollup_head", &roll_head},
       }) {
    Status st;
    Stmt* s = db.prepare(sql, &st);
    if (!s) return st;
    int rc = 0;
    if (s->step(&rc)) {
      *static_cast<std::uint64_t*>(dst) = std::uint64_t(s->col_int(0));
      if (dst == &out.raw_blocks) raw_block = std::uint64_t(s->col_int(1));
    }
    st = rc == SQLITE_ROW ? Status::ok() : sqlite_status(rc, db.raw(), sql);
    s->reset();
    if (!st) return st;
  }
  auto ob = db.query_int("SELECT coalesce(min(t_first), 0) FROM raw_block");
  auto oh = db.query_int("SELECT coalesce(min(t), 0) FROM raw_head");
  if (!ob) return ob.status();
  if (!oh) return oh.status();
  oldest_block = *ob;
  oldest_head = *oh;
  out.raw_samples = raw_head + raw_block;
  out.rollup_records = roll_head + roll_block;
  if (raw_block > 0 && raw_head > 0) {
    out.oldest_raw = std::min(oldest_block, oldest_head);
  } else {
    out.oldest_raw = raw_block > 0 ? oldest_block : oldest_head;
  }
  Status st;
  Stmt* s = db.prepare("SELECT verdict, n FROM unattributed", &st);
  if (!s) return st;
  int rc = 0;
  while (s->step(&rc)) {
    std::string name = s->col_text(0);
    if (name == "lost") out.unattributed.lost = std::uint64_t(s->col_int(1));
    for (std::size_t k = 0; k < kVerdictCount; ++k) {
      if (name == verdict_name(static_cast<Verdict>(k))) {
        out.unattributed.by_verdict[k] = std::uint64_t(s->col_int(1));
      }
    }
  }
  st = sqlite_status(rc, db.raw(), "read unattributed");
  s->reset();
  if (!st) return st;
  out.file_bytes = file_size_or_zero(path_) + file_size_or_zero(path_ + "-wal");
  return out;
}

Result<std::string> SqliteStore::integrity_check() {
  auto lease = readers_.acquire();
  if (!lease) return lease.status();
  return lease->db().query_text("PRAGMA integrity_check");
}

}  // namespace detail

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const Calendar& calendar,
                                                 const SqliteOptions& options) {
  using detail::Db;
  if (options.block_samples < 2 || options.block_samples > kMaxRecords) {
    return invalid_argument("block_samples must be in [2, " + std::to_string(kMaxRecords) + "]");
  }
  const int ps = options.page_size;
  if (ps < 512 || ps > 65536 || (ps & (ps - 1)) != 0) {
    return invalid_argument("page_size must be a power of two in [512, 65536]");
  }
  auto db = Db::open(path, /*read_only=*/false, options.busy_timeout_ms);
  if (!db) return db.status();
  // Both take effect only while the file is empty. Incremental auto-vacuum lets commits give
  // back the pages compaction frees (sqlite_commit.cc), so the file does not keep its peak.
  const std::string layout =
      "PRAGMA page_size = " + std::to_string(ps) + "; PRAGMA auto_vacuum = INCREMENTAL";
  Status layout_set = db->exec(layout.c_str());
  auto mode =
      layout_set ? db->query_text("PRAGMA journal_mode = WAL") : Result<std::string>(layout_set);
  if (!mode) {
    Status st = mode.status();
    if (st.code() == Code::kCorruption) {
      return corruption("'" + path + "' is not a CitizenWatt store or is damaged: " + st.message());
    }
    return st;
  }
  if (*mode != "wal") return internal_error("cannot put '" + path + "' in WAL mode: " + *mode);
  CW_RETURN_IF_ERROR(db->exec(options.synchronous_full ? "PRAGMA synchronous = FULL"
                                                       : "PRAGMA synchronous = NORMAL"));
  // Truncate the WAL after checkpoints so it does not keep its peak size on a small card.
  CW_RETURN_IF_ERROR(db->exec("PRAGMA journal_size_limit = 16777216"));
  Status st = detail::migrate(*db);
  if (!st) {
    if (st.code() == Code::kCorruption) {
      return corruption("'" + path + "' is not a CitizenWatt store or is damaged: " + st.message());
    }
    return st;
  }
  auto store = std::make_unique<detail::SqliteStore>(path, calendar, options, std::move(*db));
  st = store->load();
  if (!st) return st;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace cw::store
