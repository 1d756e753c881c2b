// InputStore on SQLite: one connection, serialised by a mutex (a meter writes a few readings a
// minute; the API reads them).
#include <sqlite3.h>

#include <mutex>

#include "store/inputs.h"
#include "store/sqlite_handle.h"

namespace cw::store {

namespace {

using detail::Db;
using detail::Stmt;

constexpr int kInputsSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS inputs_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS input_binding (
  kind INTEGER NOT NULL, address TEXT NOT NULL, sensor INTEGER NOT NULL,
  PRIMARY KEY(kind, address)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meter_register (
  sensor INTEGER NOT NULL, name TEXT NOT NULL, t INTEGER NOT NULL, wh INTEGER NOT NULL,
  period TEXT NOT NULL,
  PRIMARY KEY(sensor, name, t)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meter_status (
  sensor INTEGER PRIMARY KEY, t INTEGER NOT NULL, json TEXT NOT NULL);
)sql";

RegisterReading read_reading(const Stmt& s) {
  return {s.col_text(0), s.col_text(1), s.col_int(2), s.col_int(3)};
}

class SqliteInputs final : public InputStore {
 public:
  explicit SqliteInputs(Db db) : db_(std::move(db)) {}

  Result<std::optional<SensorId>> binding(SensorKind kind, const std::string& address) override {
    std::lock_guard lock(mu_);
    Status st;
    Stmt* s = db_.prepare("SELECT sensor FROM input_binding WHERE kind = ?1 AND address = ?2", &st);
    if (!s) return st;
    s->bind(1, static_cast<int>(kind));
    s->bind(2, std::string_view(address));
    int rc = 0;
    std::optional<SensorId> out;
    if (s->step(&rc)) out = SensorId(s->col_int(0));
    st = rc == SQLITE_ROW || rc == SQLITE_DONE ? Status::ok()
                                               : detail::sqlite_status(rc, db_.raw(), "binding");
    s->reset();
    if (!st) return st;
    return out;
  }

  Status bind(SensorKind kind, const std::string& address, SensorId sensor) override {
    auto existing = binding(kind, address);
    if (!existing) return existing.status();
    if (*existing && **existing != sensor)
      return {Code::kAlreadyExists,
              "'" + address + "' is bound to sensor " + std::to_string(**existing)};
    std::lock_guard lock(mu_);
    Status st;
    Stmt* s = db_.prepare(
        "INSERT OR IGNORE INTO input_binding(kind, address, sensor) VALUES(?1, ?2, ?3)", &st);
    if (!s) return st;
    s->bind(1, static_cast<int>(kind));
    s->bind(2, std::string_view(address));
    s->bind(3, sensor);
    return detail::run(db_, s, "bind input");
  }

  Result<std::vector<Binding>> bindings() override {
    std::lock_guard lock(mu_);
    Status st;
    Stmt* s = db_.prepare("SELECT kind, address, sensor FROM input_binding ORDER BY sensor", &st);
    if (!s) return st;
    std::vector<Binding> out;
    int rc = 0;
    while (s->step(&rc))
      out.push_back(
          {static_cast<SensorKind>(s->col_int(0)), s->col_text(1), SensorId(s->col_int(2))});
    return finish(s, rc, "bindings", std::move(out));
  }

  Status add_readings(SensorId sensor, std::span<const RegisterReading> readings) override {
    std::lock_guard lock(mu_);
    CW_RETURN_IF_ERROR(db_.exec("BEGIN IMMEDIATE"));
    Status st = insert_readings(sensor, readings);
    if (st) st = db_.exec("COMMIT");
    if (!st) (void)db_.exec("ROLLBACK");
    return st;
  }

  Result<std::vector<RegisterReading>> readings(SensorId sensor, TimeMs from, TimeMs to) override {
    return query(
        "SELECT name, period, t, wh FROM meter_register WHERE sensor = ?1 AND t >= ?2 AND t < ?3 "
        "ORDER BY name, t",
        sensor, from, to);
  }

  Result<std::vector<RegisterReading>> last_readings(SensorId sensor) override {
    return query(
        "SELECT name, period, max(t), wh FROM meter_register WHERE sensor = ?1 GROUP BY name "
        "ORDER BY name",
        sensor, 0, 0);
  }

  Result<std::vector<RegisterReading>> readings_before(SensorId sensor, TimeMs t) override {
    return query(
        "SELECT name, period, max(t), wh FROM meter_register WHERE sensor = ?1 AND t < ?3 "
        "GROUP BY name ORDER BY name",
        sensor, 0, t);
  }

  Result<std::vector<RegisterReading>> readings_at_or_after(SensorId sensor, TimeMs t) override {
    return query(
        "SELECT name, period, min(t), wh FROM meter_register WHERE sensor = ?1 AND t >= ?3 "
        "GROUP BY name ORDER BY name",
        sensor, 0, t);
  }

  Status set_meter_status(SensorId sensor, const std::string& json, TimeMs t) override {
    std::lock_guard lock(mu_);
    Status st;
    Stmt* s =
        db_.prepare("INSERT OR REPLACE INTO meter_status(sensor, t, json) VALUES(?1, ?2, ?3)", &st);
    if (!s) return st;
    s->bind(1, sensor);
    s->bind(2, t);
    s->bind(3, std::string_view(json));
    return detail::run(db_, s, "set meter status");
  }

  Result<std::string> meter_status(SensorId sensor) override {
    std::lock_guard lock(mu_);
    Status st;
    Stmt* s = db_.prepare("SELECT json FROM meter_status WHERE sensor = ?1", &st);
    if (!s) return st;
    s->bind(1, sensor);
    int rc = 0;
    std::string out = s->step(&rc) ? s->col_text(0) : "";
    return finish(s, rc, "meter status", std::move(out));
  }

  Status forget_sensor(SensorId sensor) override {
    std::lock_guard lock(mu_);
    CW_RETURN_IF_ERROR(db_.exec("BEGIN IMMEDIATE"));
    Status st;
    for (const char* sql : {"DELETE FROM input_binding WHERE sensor = ?1",
                            "DELETE FROM meter_register WHERE sensor = ?1",
                            "DELETE FROM meter_status WHERE sensor = ?1"}) {
      Stmt* s = db_.prepare(sql, &st);
      if (!s) break;
      s->bind(1, sensor);
      st = detail::run(db_, s, "forget sensor");
      if (!st) break;
    }
    if (st) st = db_.exec("COMMIT");
    if (!st) (void)db_.exec("ROLLBACK");
    return st;
  }

 private:
  template <typename T>
  Result<T> finish(Stmt* s, int rc, const char* what, T value) {
    Status st = rc == SQLITE_DONE || rc == SQLITE_ROW ? Status::ok()
                                                      : detail::sqlite_status(rc, db_.raw(), what);
    s->reset();
    if (!st) return st;
    return value;
  }

  // Binds ?1 = sensor, ?2 = a, ?3 = b (a statement may use fewer: extra bindings are ignored).
  Result<std::vector<RegisterReading>> query(const char* sql, SensorId sensor, TimeMs a, TimeMs b) {
    std::lock_guard lock(mu_);
    Status st;
    Stmt* s = db_.prepare(sql, &st);
    if (!s) return st;
    s->bind(1, sensor);
    s->bind(2, a);
    s->bind(3, b);
    std::vector<RegisterReading> out;
    int rc = 0;
    while (s->step(&rc)) out.push_back(read_reading(*s));
    return finish(s, rc, "register readings", std::move(out));
  }

  // Inside the caller's transaction: each reading only if after its register's last one.
  Status insert_readings(SensorId sensor, std::span<const RegisterReading> readings) {
    Status st;
    Stmt* ins = db_.prepare(
        "INSERT INTO meter_register(sensor, name, t, wh, period) SELECT ?1, ?2, ?3, ?4, ?5 "
        "WHERE ?3 > coalesce((SELECT max(t) FROM meter_register WHERE sensor = ?1 AND name = ?2), "
        "-9223372036854775807)",
        &st);
    if (!ins) return st;
    for (const auto& r : readings) {
      if (r.name.empty() || r.name.size() > 16 || r.wh < 0)
        return invalid_argument("bad register reading '" + r.name + "'");
      ins->bind(1, sensor);
      ins->bind(2, std::string_view(r.name));
      ins->bind(3, r.t);
      ins->bind(4, r.wh);
      ins->bind(5, std::string_view(r.period));
      CW_RETURN_IF_ERROR(detail::run(db_, ins, "add register reading"));
    }
    return Status::ok();
  }

  std::mutex mu_;
  Db db_;  // guarded by mu_
};

}  // namespace

Result<std::unique_ptr<InputStore>> open_sqlite_inputs(const std::string& path) {
  auto db = Db::open(path, false, 5000);
  if (!db) return db.status();
  CW_RETURN_IF_ERROR(db->exec(kSchema));
  auto version = db->query_int("SELECT count(*) FROM inputs_schema");
  if (!version) return version.status();
  if (*version == 0) {
    std::string set =
        "INSERT INTO inputs_schema(version) VALUES(" + std::to_string(kInputsSchemaVersion) + ")";
    CW_RETURN_IF_ERROR(db->exec(set.c_str()));
  }
  return std::unique_ptr<InputStore>(new SqliteInputs(std::move(*db)));
}

}  // namespace cw::store
