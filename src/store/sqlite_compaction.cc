// Compaction, inside the commit's transaction: raw samples move from the uncompressed head into
// blocks of block_samples, rollups from rollup_head into one block per period.
//
// Both heads are flushed by count and by time, so that a slow sensor (a sample a minute) does
// not keep days of uncompressed rows: the raw head at least once per UTC hour of sample time,
// closed rollups once per flush period (rollup_flush_period). A flush reopens the newest block
// when it is not complete (a raw block under block_samples, a rollup block of the same period)
// and rewrites it with the new rows, so blocks stay full-sized whatever the sampling rate: only
// the newest block of a sensor and level is ever partial.
#include <sqlite3.h>

#include "store/record_blocks.h"
#include "store/sqlite_store.h"

namespace cw::store::detail {

namespace {

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

Status delete_row(Db& db, const char* sql, std::int64_t rowid) {
  Status st;
  Stmt* s = db.prepare(sql, &st);
  if (!s) return st;
  s->bind(1, rowid);
  return run(db, s, "delete reopened block");
}

}  // namespace

// Day rollups leave the head every day rather than every month: the year's block they join is
// a few hundred bytes to rewrite, and a month of them in the head cost more pages than that.
TimeMs rollup_flush_period(Level level, TimeMs start) {
  switch (level) {
    case Level::kMinute:
      return floor_to(start, kHourMs);
    default:
      return floor_to(start, kDayMs);
  }
}

Status SqliteStore::write_block(const char* sql, SensorId id, std::span<const Sample> samples) {
  const bool full = samples.size() >= options_.block_samples;  // never reopened: pack it tight
  auto data = encode_samples(samples, full ? kFullBlockZstdLevel : kSampleZstdLevel);
  if (!data) return data.status();
  Status st;
  Stmt* s = writer_.prepare(sql, &st);
  if (!s) return st;
  s->bind(1, id);
  s->bind(2, samples.front().t);
  s->bind(3, samples.back().t);
  s->bind(4, std::int64_t(samples.size()));
  s->bind(5, bytes_of(*data));
  return run(writer_, s, "write raw block");
}

Result<std::vector<Sample>> SqliteStore::read_head(SensorId id) {
  Status st;
  Stmt* s = writer_.prepare(
      "SELECT t, counter, power_w, energy_wh FROM raw_head WHERE sensor = ?1 ORDER BY t", &st);
  if (!s) return st;
  s->bind(1, id);
  std::vector<Sample> out;
  int rc = 0;
  while (s->step(&rc)) {
    out.push_back(
        {s->col_int(0), std::uint32_t(s->col_int(1)), std::int32_t(s->col_int(2)), s->col_int(3)});
  }
  st = sqlite_status(rc, writer_.raw(), "read raw head");
  s->reset();
  if (!st) return st;
  return out;
}

// Appends samples to the sensor's head, or flushes head and samples into blocks when the head
// would reach block_samples or the batch ends in another UTC hour than the head's samples.
Status SqliteStore::write_raw(SensorId id, SensorRuntime& rt, const std::optional<Sample>& before,
                              std::span<const Sample> samples) {
  const bool full = rt.head_rows + samples.size() >= options_.block_samples;
  const bool new_hour = before && floor_to(before->t, kRawFlushPeriodMs) !=
                                      floor_to(samples.back().t, kRawFlushPeriodMs);
  if (full || new_hour) return flush_raw(id, rt, samples);
  Status st;
  Stmt* ins = writer_.prepare(
      "INSERT INTO raw_head(sensor, t, counter, power_w, energy_wh) VALUES(?1, ?2, ?3, ?4, ?5)",
      &st);
  if (!ins) return st;
  for (const Sample& s : samples) {
    ins->bind(1, id);
    ins->bind(2, s.t);
    ins->bind(3, std::int64_t(s.counter));
    ins->bind(4, s.power_w);
    ins->bind(5, s.energy_wh);
    CW_RETURN_IF_ERROR(run(writer_, ins, "insert raw sample"));
  }
  rt.head_rows += std::uint32_t(samples.size());
  return Status::ok();
}

// Newest block (when not full) + head + samples, cut into blocks of block_samples from the
// oldest; the last block may be partial. The head is left empty.
Status SqliteStore::flush_raw(SensorId id, SensorRuntime& rt, std::span<const Sample> samples) {
  const std::size_t bs = options_.block_samples;
  std::vector<Sample> merged;
  Status st;
  Stmt* last = writer_.prepare(
      "SELECT id, n, data FROM raw_block WHERE sensor = ?1 ORDER BY t_last DESC LIMIT 1", &st);
  if (!last) return st;
  last->bind(1, id);
  int rc = 0;
  std::int64_t reopened = 0;
  if (last->step(&rc) && std::uint64_t(last->col_int(1)) < bs) {
    auto old = decode_samples(last->col_blob(2));
    if (!old) {
      last->reset();
      return {old.status().code(),
              "newest raw block of sensor " + std::to_string(id) + ": " + old.status().message()};
    }
    reopened = last->col_int(0);
    merged = std::move(*old);
  }
  st = rc == SQLITE_ROW || rc == SQLITE_DONE ? Status::ok()
                                             : sqlite_status(rc, writer_.raw(), "newest block");
  last->reset();
  CW_RETURN_IF_ERROR(st);
  if (reopened)
    CW_RETURN_IF_ERROR(delete_row(writer_, "DELETE FROM raw_block WHERE id = ?1", reopened));
  if (rt.head_rows > 0) {
    auto head = read_head(id);
    if (!head) return head.status();
    merged.insert(merged.end(), head->begin(), head->end());
    Stmt* del = writer_.prepare("DELETE FROM raw_head WHERE sensor = ?1", &st);
    if (!del) return st;
    del->bind(1, id);
    CW_RETURN_IF_ERROR(run(writer_, del, "empty raw head"));
    rt.head_rows = 0;
  }
  std::span<const Sample> rest = samples;
  if (!merged.empty()) {
    merged.insert(merged.end(), samples.begin(), samples.end());
    rest = merged;
  }
  while (!rest.empty()) {
    const std::size_t n = std::min(bs, rest.size());
    CW_RETURN_IF_ERROR(write_block(
        "INSERT INTO raw_block(sensor, t_first, t_last, n, data) VALUES(?1, ?2, ?3, ?4, ?5)", id,
        rest.first(n)));
    rest = rest.subspan(n);
  }
  return Status::ok();
}

// The rollups of the newest block of level when it holds the given period: they are appended
// to out and the block is deleted (the caller writes it again with more rollups).
Status SqliteStore::reopen_rollup_block(SensorId id, Level level, TimeMs period,
                                        std::vector<Rollup>* out) {
  Status st;
  Stmt* last = writer_.prepare(
      "SELECT id, t_first, data FROM rollup_block WHERE sensor = ?1 AND level = ?2 "
      "ORDER BY t_last DESC LIMIT 1",
      &st);
  if (!last) return st;
  last->bind(1, id);
  last->bind(2, static_cast<int>(level));
  int rc = 0;
  std::int64_t reopened = 0;
  if (last->step(&rc) && rollup_block_period(level, last->col_int(1)) == period) {
    auto old = decode_rollups(last->col_blob(2));
    if (!old) {
      last->reset();
      return {old.status().code(), "newest rollup block of sensor " + std::to_string(id) + ": " +
                                       old.status().message()};
    }
    reopened = last->col_int(0);
    out->insert(out->end(), old->begin(), old->end());
  }
  st = rc == SQLITE_ROW || rc == SQLITE_DONE
           ? Status::ok()
           : sqlite_status(rc, writer_.raw(), "newest rollup block");
  last->reset();
  CW_RETURN_IF_ERROR(st);
  if (!reopened) return Status::ok();
  return delete_row(writer_, "DELETE FROM rollup_block WHERE id = ?1", reopened);
}

// Moves the head rollups of level that start before `before` into one block per period,
// completing the newest block when it holds the same period.
Status SqliteStore::compact_rollups(SensorId id, Level level, TimeMs before) {
  Status st;
  Stmt* sel = writer_.prepare(
      "SELECT start, end_, count, min_w, max_w, sum_wms, covered_ms, energy_mwh, gap_energy_mwh "
      "FROM rollup_head WHERE sensor = ?1 AND level = ?2 AND start < ?3 ORDER BY start",
      &st);
  if (!sel) return st;
  sel->bind(1, id);
  sel->bind(2, static_cast<int>(level));
  sel->bind(3, before);
  std::vector<Rollup> head;
  int rc = 0;
  while (sel->step(&rc)) {
    auto v = [&](int k) { return sel->col_int(k); };
    head.push_back({v(0), v(1), std::uint32_t(v(2)), std::int32_t(v(3)), std::int32_t(v(4)), v(5),
                    v(6), v(7), v(8)});
  }
  st = sqlite_status(rc, writer_.raw(), "read rollups to compact");
  sel->reset();
  if (!st || head.empty()) return st;

  std::vector<Rollup> rows;
  CW_RETURN_IF_ERROR(
      reopen_rollup_block(id, level, rollup_block_period(level, head.front().start), &rows));
  rows.insert(rows.end(), head.begin(), head.end());
  Stmt* ins = writer_.prepare(
      "INSERT INTO rollup_block(sensor, level, t_first, t_last, n, data) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
      &st);
  if (!ins) return st;
  std::span<const Rollup> rest = rows;
  while (!rest.empty()) {
    const TimeMs period = rollup_block_period(level, rest.front().start);
    std::size_t n = 1;
    while (n < rest.size() && rollup_block_period(level, rest[n].start) == period) ++n;
    auto data = encode_rollups(rest.first(n), kRollupZstdLevel);
    if (!data) return data.status();
    ins->bind(1, id);
    ins->bind(2, static_cast<int>(level));
    ins->bind(3, rest.front().start);
    ins->bind(4, rest[n - 1].start);
    ins->bind(5, std::int64_t(n));
    ins->bind(6, bytes_of(*data));
    CW_RETURN_IF_ERROR(run(writer_, ins, "write rollup block"));
    rest = rest.subspan(n);
  }
  Stmt* del = writer_.prepare(
      "DELETE FROM rollup_head WHERE sensor = ?1 AND level = ?2 AND start < ?3", &st);
  if (!del) return st;
  del->bind(1, id);
  del->bind(2, static_cast<int>(level));
  del->bind(3, before);
  return run(writer_, del, "delete compacted rollups");
}

}  // namespace cw::store::detail
