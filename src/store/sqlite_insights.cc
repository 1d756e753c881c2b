// InsightStore on SQLite: one connection, serialised by a mutex (a few writes a minute at most:
// alert transitions, a target, a weekly settlement). Tables: schema.cc, version 2.
#include <sqlite3.h>

#include <algorithm>
#include <mutex>

#include "store/insights.h"
#include "store/schema.h"
#include "store/sqlite_store.h"

namespace cw::store {

const char* alert_state_name(AlertState s) {
  switch (s) {
    case AlertState::kOpen:
      return "open";
    case AlertState::kAcknowledged:
      return "acknowledged";
    default:
      return "closed";
  }
}

Result<AlertState> parse_alert_state(std::string_view name) {
  if (name == "open") return AlertState::kOpen;
  if (name == "acknowledged") return AlertState::kAcknowledged;
  if (name == "closed") return AlertState::kClosed;
  return invalid_argument("state must be open, acknowledged, closed or all");
}

namespace {

using detail::Db;
using detail::Stmt;
using detail::WriteTxn;

constexpr const char* kAlertCols =
    "SELECT id, kind, sensor, state, opened, acknowledged, closed, params, memo FROM "
    "insight_alert ";
constexpr const char* kChallengeCols =
    "SELECT sensor, week_start, week_end, kind, plan, settled, result, outcome, settled_ms "
    "FROM insight_challenge ";

AlertRecord read_alert(const Stmt& s) {
  AlertRecord a;
  a.id = s.col_int(0);
  a.kind = s.col_text(1);
  a.sensor = SensorId(s.col_int(2));
  a.state = static_cast<AlertState>(std::clamp<std::int64_t>(s.col_int(3), 0, 2));
  a.opened = s.col_int(4);
  a.acknowledged = s.col_int(5);
  a.closed = s.col_int(6);
  a.params = s.col_text(7);
  a.memo = s.col_text(8);
  return a;
}

ChallengeRecord read_challenge(const Stmt& s) {
  ChallengeRecord c;
  c.sensor = SensorId(s.col_int(0));
  c.week_start = s.col_int(1);
  c.week_end = s.col_int(2);
  c.kind = s.col_text(3);
  c.plan = s.col_text(4);
  c.settled = s.col_int(5) != 0;
  c.result = s.col_text(6);
  c.outcome = s.col_text(7);
  c.settled_at = s.col_int(8);
  return c;
}

class SqliteInsights final : public InsightStore {
 public:
  explicit SqliteInsights(Db db) : db_(std::move(db)) {}

  Result<std::vector<AlertRecord>> alerts(const AlertQuery& q) override {
    std::lock_guard lock(mu_);
    std::string states;
    for (auto [wanted, state] : {std::pair{q.open, AlertState::kOpen},
                                 {q.acknowledged, AlertState::kAcknowledged},
                                 {q.closed, AlertState::kClosed}})
      if (wanted) states += (states.empty() ? "" : ",") + std::to_string(int(state));
    if (states.empty()) return std::vector<AlertRecord>{};
    const std::string sql = std::string(kAlertCols) + "WHERE state IN (" + states +
                            ") ORDER BY opened DESC, id DESC LIMIT ?1";
    return all<AlertRecord>(sql.c_str(), read_alert, std::int64_t(q.limit));
  }

  Result<std::vector<AlertRecord>> active_alerts() override {
    std::lock_guard lock(mu_);
    const std::string sql = std::string(kAlertCols) + "WHERE state < 2 ORDER BY id";
    return all<AlertRecord>(sql.c_str(), read_alert, std::nullopt);
  }

  Result<AlertRecord> alert(std::int64_t id) override {
    std::lock_guard lock(mu_);
    return alert_locked(id);
  }

  Status apply(const AlertChanges& c) override {
    if (c.empty()) return Status::ok();
    std::lock_guard lock(mu_);
    WriteTxn txn(db_);
    CW_RETURN_IF_ERROR(txn.status());
    for (const AlertRecord& a : c.opened) CW_RETURN_IF_ERROR(insert_alert(a));
    for (const AlertRecord& a : c.updated) {
      CW_RETURN_IF_ERROR(
          exec("UPDATE insight_alert SET params = ?2, memo = ?3 "
               "WHERE id = ?1 AND state < 2",
               a.id, a.params, a.memo));
    }
    for (const auto& [id, when] : c.closed) {
      CW_RETURN_IF_ERROR(exec(
          "UPDATE insight_alert SET state = 2, closed = ?2 WHERE id = ?1 AND state < 2", id, when));
    }
    return txn.commit();
  }

  Result<AckResult> acknowledge(std::int64_t id, TimeMs now) override {
    std::lock_guard lock(mu_);
    CW_RETURN_IF_ERROR(
        exec("UPDATE insight_alert SET state = 1, acknowledged = ?2 WHERE id = ?1 AND state = 0",
             id, now));
    const bool changed = db_.changes() > 0;
    auto a = alert_locked(id);
    if (!a) return a.status();
    return AckResult{std::move(*a), changed};
  }

  Result<std::optional<Target>> target() override {
    std::lock_guard lock(mu_);
    auto rows = all<Target>(
        "SELECT unit, amount_micros, set_ms FROM insight_target WHERE id = 1",
        [](const Stmt& s) {
          return Target{s.col_text(0), s.col_int(1), s.col_int(2)};
        },
        std::nullopt);
    if (!rows) return rows.status();
    if (rows->empty()) return std::optional<Target>();
    return std::optional<Target>(rows->front());
  }

  Status set_target(const std::optional<Target>& t) override {
    std::lock_guard lock(mu_);
    if (!t) return exec("DELETE FROM insight_target WHERE id = ?1", std::int64_t(1));
    Status st;
    Stmt* s = db_.prepare(
        "INSERT OR REPLACE INTO insight_target (id, unit, amount_micros, set_ms) "
        "VALUES (1, ?1, ?2, ?3)",
        &st);
    if (!s) return st;
    s->bind(1, t->unit);
    s->bind(2, t->amount_micros);
    s->bind(3, t->set);
    return detail::run(db_, s, "set target");
  }

  Result<std::vector<ChallengeRecord>> challenges(SensorId sensor, std::size_t limit) override {
    std::lock_guard lock(mu_);
    Status st;
    const std::string sql =
        std::string(kChallengeCols) + "WHERE sensor = ?1 ORDER BY week_start DESC LIMIT ?2";
    Stmt* s = db_.prepare(sql.c_str(), &st);
    if (!s) return st;
    s->bind(1, sensor);
    s->bind(2, std::int64_t(limit));
    return rows_of<ChallengeRecord>(s, read_challenge);
  }

  Result<bool> begin_challenge(const ChallengeRecord& c) override {
    std::lock_guard lock(mu_);
    Status st;
    Stmt* s = db_.prepare(
        "INSERT OR IGNORE INTO insight_challenge (sensor, week_start, week_end, kind, plan) "
        "VALUES (?1, ?2, ?3, ?4, ?5)",
        &st);
    if (!s) return st;
    s->bind(1, c.sensor);
    s->bind(2, c.week_start);
    s->bind(3, c.week_end);
    s->bind(4, c.kind);
    s->bind(5, c.plan);
    CW_RETURN_IF_ERROR(detail::run(db_, s, "begin challenge"));
    return db_.changes() > 0;
  }

  Result<bool> settle_challenge(const ChallengeRecord& c,
                                const std::vector<Badge>& earned) override {
    std::lock_guard lock(mu_);
    WriteTxn txn(db_);
    CW_RETURN_IF_ERROR(txn.status());
    Status st;
    Stmt* s = db_.prepare(
        "UPDATE insight_challenge SET settled = 1, result = ?3, outcome = ?4, settled_ms = ?5 "
        "WHERE sensor = ?1 AND week_start = ?2 AND settled = 0",
        &st);
    if (!s) return st;
    s->bind(1, c.sensor);
    s->bind(2, c.week_start);
    s->bind(3, c.result);
    s->bind(4, c.outcome);
    s->bind(5, c.settled_at);
    CW_RETURN_IF_ERROR(detail::run(db_, s, "settle challenge"));
    if (db_.changes() == 0) return false;  // settled before (or never begun): nothing to do
    CW_RETURN_IF_ERROR(award_locked(earned));
    CW_RETURN_IF_ERROR(txn.commit());
    return true;
  }

  Result<std::vector<Badge>> badges(SensorId sensor) override {
    std::lock_guard lock(mu_);
    Status st;
    Stmt* s = db_.prepare(
        "SELECT sensor, badge, earned FROM insight_badge WHERE sensor = ?1 ORDER BY earned, badge",
        &st);
    if (!s) return st;
    s->bind(1, sensor);
    return rows_of<Badge>(s, [](const Stmt& r) {
      return Badge{SensorId(r.col_int(0)), r.col_text(1), r.col_int(2)};
    });
  }

  Status award(const std::vector<Badge>& badges) override {
    if (badges.empty()) return Status::ok();
    std::lock_guard lock(mu_);
    WriteTxn txn(db_);
    CW_RETURN_IF_ERROR(txn.status());
    CW_RETURN_IF_ERROR(award_locked(badges));
    return txn.commit();
  }

 private:
  Status award_locked(const std::vector<Badge>& badges) {
    for (const Badge& b : badges) {
      Status st;
      Stmt* s = db_.prepare(
          "INSERT OR IGNORE INTO insight_badge (sensor, badge, earned) VALUES (?1, ?2, ?3)", &st);
      if (!s) return st;
      s->bind(1, b.sensor);
      s->bind(2, b.id);
      s->bind(3, b.earned);
      CW_RETURN_IF_ERROR(detail::run(db_, s, "award badge"));
    }
    return Status::ok();
  }

  Status insert_alert(const AlertRecord& a) {
    Status st;
    Stmt* s = db_.prepare(
        "INSERT INTO insight_alert (kind, sensor, state, opened, params, memo) "
        "VALUES (?1, ?2, 0, ?3, ?4, ?5)",
        &st);
    if (!s) return st;
    s->bind(1, a.kind);
    s->bind(2, a.sensor);
    s->bind(3, a.opened);
    s->bind(4, a.params);
    s->bind(5, a.memo);
    int rc = 0;
    while (s->step(&rc)) {
    }
    s->reset();
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
      return {Code::kAlreadyExists, "an alert '" + a.kind + "' of sensor " +
                                        std::to_string(a.sensor) + " is already open"};
    return detail::sqlite_status(rc, db_.raw(), "open alert");
  }

  Result<AlertRecord> alert_locked(std::int64_t id) {
    const std::string sql = std::string(kAlertCols) + "WHERE id = ?1";
    auto rows = all<AlertRecord>(sql.c_str(), read_alert, id);
    if (!rows) return rows.status();
    if (rows->empty()) return not_found("no alert " + std::to_string(id));
    return std::move(rows->front());
  }

  template <typename A, typename B>
  Status exec(const char* sql, const A& a, const B& b) {
    Status st;
    Stmt* s = db_.prepare(sql, &st);
    if (!s) return st;
    bind_one(*s, 1, a);
    bind_one(*s, 2, b);
    return detail::run(db_, s, sql);
  }
  template <typename A, typename B, typename C>
  Status exec(const char* sql, const A& a, const B& b, const C& c) {
    Status st;
    Stmt* s = db_.prepare(sql, &st);
    if (!s) return st;
    bind_one(*s, 1, a);
    bind_one(*s, 2, b);
    bind_one(*s, 3, c);
    return detail::run(db_, s, sql);
  }
  Status exec(const char* sql, std::int64_t a) {
    Status st;
    Stmt* s = db_.prepare(sql, &st);
    if (!s) return st;
    s->bind(1, a);
    return detail::run(db_, s, sql);
  }
  static void bind_one(Stmt& s, int i, std::int64_t v) { s.bind(i, v); }
  static void bind_one(Stmt& s, int i, const std::string& v) { s.bind(i, std::string_view(v)); }

  template <typename T, typename Read>
  Result<std::vector<T>> all(const char* sql, const Read& read, std::optional<std::int64_t> arg) {
    Status st;
    Stmt* s = db_.prepare(sql, &st);
    if (!s) return st;
    if (arg) s->bind(1, *arg);
    return rows_of<T>(s, read);
  }

  template <typename T, typename Read>
  Result<std::vector<T>> rows_of(Stmt* s, const Read& read) {
    std::vector<T> out;
    int rc = 0;
    while (s->step(&rc)) out.push_back(read(*s));
    Status st = detail::sqlite_status(rc, db_.raw(), "read insights");
    s->reset();
    if (!st) return st;
    return out;
  }

  std::mutex mu_;
  Db db_;  // guarded by mu_
};

}  // namespace

Result<std::unique_ptr<InsightStore>> open_sqlite_insights(const std::string& path,
                                                           const SqliteInsightsOptions& o) {
  auto db = Db::open(path, /*read_only=*/false, o.busy_timeout_ms);
  if (!db) return db.status();
  auto version = db->query_int("PRAGMA user_version");
  if (!version) return version.status();
  if (*version != detail::kSchemaVersion) {
    return invalid_argument("'" + path + "' is at store schema " + std::to_string(*version) +
                            ", not " + std::to_string(detail::kSchemaVersion) +
                            ": open the store first");
  }
  CW_RETURN_IF_ERROR(db->exec("PRAGMA synchronous = NORMAL"));
  return std::unique_ptr<InsightStore>(new SqliteInsights(std::move(*db)));
}

}  // namespace cw::store
