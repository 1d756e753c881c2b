// Baseline (a): the 2014 CitizenWatt design, one SQLite row per measure with an indexed
// timestamp. Same durability as the store: WAL, synchronous = NORMAL, one transaction a batch.
// A chart is one SQL aggregation (GROUP BY bucket) over the range.
#include <sqlite3.h>

#include "engine.h"

namespace cw::bench {

namespace {

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA journal_size_limit = 16777216;
CREATE TABLE measures(
  id INTEGER PRIMARY KEY, sensor_id INTEGER NOT NULL, timestamp INTEGER NOT NULL,
  counter INTEGER NOT NULL, power INTEGER NOT NULL, energy INTEGER NOT NULL);
CREATE INDEX measures_timestamp ON measures(timestamp);
)sql";

class SqliteRowsEngine final : public Engine {
 public:
  ~SqliteRowsEngine() override { close(); }

  Status open(const EngineSetup& setup) override {
    path_ = (setup.dir / "measures.db").string();
    if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK) return fail("open");
    if (sqlite3_exec(db_, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) return fail("schema");
    return prepare();
  }

  Status commit(std::span<const Sample> batch) override {
    if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) return fail("begin");
    for (const Sample& s : batch) {
      sqlite3_bind_int64(insert_, 1, s.t);
      sqlite3_bind_int64(insert_, 2, s.counter);
      sqlite3_bind_int64(insert_, 3, s.power_w);
      sqlite3_bind_int64(insert_, 4, s.energy_wh);
      const int rc = sqlite3_step(insert_);
      sqlite3_reset(insert_);
      if (rc != SQLITE_DONE) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return fail("insert");
      }
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return fail("commit");
    return Status::ok();
  }

  Status finish() override {
    close();  // the last connection checkpoints and removes the WAL
    if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK) return fail("reopen");
    return prepare();
  }

  std::uint64_t bytes() const override {
    return file_size_or_zero(path_) + file_size_or_zero(path_ + "-wal");
  }

  // Buckets of equal width; the energy of a bucket is the register difference inside it.
  Result<std::size_t> chart(TimeMs from, TimeMs to, std::size_t points, int) override {
    const TimeMs width = std::max<TimeMs>(1, (to - from + TimeMs(points) - 1) / TimeMs(points));
    sqlite3_bind_int64(chart_, 1, from);
    sqlite3_bind_int64(chart_, 2, to);
    sqlite3_bind_int64(chart_, 3, width);
    std::size_t n = 0;
    double guard = 0;
    int rc;
    while ((rc = sqlite3_step(chart_)) == SQLITE_ROW) {
      guard += sqlite3_column_double(chart_, 1) + double(sqlite3_column_int64(chart_, 4));
      ++n;
    }
    sqlite3_reset(chart_);
    if (rc != SQLITE_DONE) return fail("chart");
    if (guard < 0) return internal_error("negative chart");  // keeps the values used
    return n;
  }

 private:
  Status prepare() {
    const char* ins =
        "INSERT INTO measures(sensor_id, timestamp, counter, power, energy) "
        "VALUES(1, ?1, ?2, ?3, ?4)";
    const char* chart =
        "SELECT (timestamp - ?1) / ?3 AS bucket, avg(power), min(power), max(power), "
        "max(energy) - min(energy), count(*) FROM measures "
        "WHERE sensor_id = 1 AND timestamp >= ?1 AND timestamp < ?2 GROUP BY bucket";
    if (sqlite3_prepare_v2(db_, ins, -1, &insert_, nullptr) != SQLITE_OK) return fail("prepare");
    if (sqlite3_prepare_v2(db_, chart, -1, &chart_, nullptr) != SQLITE_OK) return fail("prepare");
    return Status::ok();
  }
  void close() {
    sqlite3_finalize(insert_);
    sqlite3_finalize(chart_);
    insert_ = chart_ = nullptr;
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
  }
  Status fail(const char* what) {
    return internal_error(std::string("baseline sqlite ") + what + ": " +
                          (db_ ? sqlite3_errmsg(db_) : "no connection"));
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* chart_ = nullptr;
};

}  // namespace

std::unique_ptr<Engine> make_sqlite_rows_engine() {
  return std::make_unique<SqliteRowsEngine>();
}

}  // namespace cw::bench
