// SecurityLog on SQLite: one connection serialised by a mutex (security events are rare).
#include <mutex>

#include "store/accounts_sql.h"
#include "store/security_log.h"

namespace cw::store {

namespace {

using acct::Db;
using acct::Stmt;

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS security_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS share_links (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  hash BLOB NOT NULL UNIQUE,
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY,
  t INTEGER NOT NULL,
  actor TEXT NOT NULL,
  address TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  ok INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS audit_log_t ON audit_log(t);
)sql";

constexpr const char* kLinkCols = "SELECT id, name, hash, created, expires FROM share_links ";

ShareLink read_link(const Stmt& s) {
  ShareLink l{s.i64(0), s.text(1)};
  s.blob_into(2, l.hash);
  l.created = s.i64(3);
  l.expires = s.i64(4);
  return l;
}

class SqliteSecurityLog final : public SecurityLog {
 public:
  SqliteSecurityLog(Db db, SecurityLogOptions o) : db_(std::move(db)), o_(o) {}

  Result<ShareLink> add_share_link(const std::string& name, const Digest& hash, TimeMs created,
                                   TimeMs expires) override {
    std::lock_guard lock(mu_);
    auto st =
        db_.prepare("INSERT INTO share_links (name, hash, created, expires) VALUES (?, ?, ?, ?)");
    if (!st) return st.status();
    Status s = st->bind(1, name).bind(2, hash).bind(3, created).bind(4, expires).run();
    if (s.code() == Code::kAlreadyExists)
      return Status(Code::kAlreadyExists, "a share link named '" + name + "' already exists");
    if (!s) return s;
    return ShareLink{db_.last_insert_rowid(), name, hash, created, expires};
  }

  Result<std::vector<ShareLink>> share_links() override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(std::string(kLinkCols) + "ORDER BY id");
    if (!st) return st.status();
    std::vector<ShareLink> out;
    for (;;) {
      auto row = st->step();
      if (!row) return row.status();
      if (!*row) return out;
      out.push_back(read_link(*st));
    }
  }

  Result<ShareLink> share_link_by_hash(const Digest& hash) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(std::string(kLinkCols) + "WHERE hash = ?");
    if (!st) return st.status();
    st->bind(1, std::span<const std::uint8_t>(hash));
    auto row = st->step();
    if (!row) return row.status();
    if (!*row) return not_found("no such share link");
    return read_link(*st);
  }

  Status remove_share_link(std::int64_t id) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("DELETE FROM share_links WHERE id = ?");
    if (!st) return st.status();
    CW_RETURN_IF_ERROR(st->bind(1, id).run());
    if (db_.changes() == 0) return not_found("no share link with id " + std::to_string(id));
    return Status::ok();
  }

  Status append(const AuditEvent& e) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(
        "INSERT INTO audit_log (t, actor, address, action, detail, ok) VALUES (?, ?, ?, ?, ?, ?)");
    if (!st) return st.status();
    CW_RETURN_IF_ERROR(st->bind(1, e.t)
                           .bind(2, e.actor)
                           .bind(3, e.address)
                           .bind(4, e.action)
                           .bind(5, e.detail)
                           .bind(6, std::int64_t(e.ok ? 1 : 0))
                           .run());
    return trim_locked(e.t);
  }

  Result<std::vector<AuditEvent>> recent(std::size_t limit, std::int64_t before_id) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(
        "SELECT id, t, actor, address, action, detail, ok FROM audit_log "
        "WHERE id < ? ORDER BY id DESC LIMIT ?");
    if (!st) return st.status();
    st->bind(1, before_id > 0 ? before_id : INT64_MAX).bind(2, std::int64_t(limit));
    std::vector<AuditEvent> out;
    for (;;) {
      auto row = st->step();
      if (!row) return row.status();
      if (!*row) return out;
      out.push_back(AuditEvent{st->i64(0), st->i64(1), st->text(2), st->text(3), st->text(4),
                               st->text(5), st->i64(6) != 0});
    }
  }

 private:
  Status trim_locked(TimeMs now) {
    auto st = db_.prepare(
        "DELETE FROM audit_log WHERE t < ? OR id <= (SELECT max(id) FROM audit_log) - ?");
    if (!st) return st.status();
    return st->bind(1, now - o_.max_age_ms).bind(2, o_.max_rows).run();
  }

  std::mutex mu_;
  Db db_;  // guarded by mu_
  const SecurityLogOptions o_;
};

}  // namespace

Result<std::unique_ptr<SecurityLog>> open_sqlite_security_log(const std::string& path,
                                                              const SecurityLogOptions& o) {
  Db db;
  CW_RETURN_IF_ERROR(db.open(path, o.busy_timeout_ms));
  CW_RETURN_IF_ERROR(db.exec("PRAGMA journal_mode = WAL"));
  CW_RETURN_IF_ERROR(db.exec("PRAGMA synchronous = NORMAL"));
  CW_RETURN_IF_ERROR(acct::migrate(db, kSchema, "security_schema", kSchemaVersion));
  return std::unique_ptr<SecurityLog>(new SqliteSecurityLog(std::move(db), o));
}

}  // namespace cw::store
