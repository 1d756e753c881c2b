#include "store/accounts_sql.h"

#include <cstring>

namespace cw::store::acct {

Status sql_status(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return Status::ok();
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return {Code::kAlreadyExists, msg};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {Code::kUnavailable, msg};
    case SQLITE_FULL:
      return {Code::kResourceExhausted, msg};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return corruption(msg);
    default:
      return internal_error(msg);
  }
}

Stmt& Stmt::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::bind(int i, std::span<const std::uint8_t> v) {
  sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Result<bool> Stmt::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sql_status(db_, rc, "accounts query");
}

Status Stmt::run() {
  auto r = step();
  if (!r) return r.status();
  return Status::ok();
}

std::string Stmt::text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  return p ? std::string(p, sqlite3_column_bytes(s_, col)) : std::string();
}

bool Stmt::blob_into(int col, std::span<std::uint8_t> out) const {
  const void* p = sqlite3_column_blob(s_, col);
  if (!p || static_cast<size_t>(sqlite3_column_bytes(s_, col)) != out.size()) return false;
  std::memcpy(out.data(), p, out.size());
  return true;
}

Status Db::open(const std::string& path, int busy_timeout_ms) {
  int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) return sql_status(db_, rc, "opening " + path);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  return Status::ok();
}

Status Db::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  return sql_status(db_, rc, "accounts statement");
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) return sql_status(db_, rc, "preparing accounts query");
  return Stmt(db_, s);
}

Status migrate(Db& db, const char* schema, const char* version_table, int version) {
  CW_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  Status s = db.exec(schema);
  int found = 0;
  if (s) {
    auto st = db.prepare(std::string("SELECT max(version) FROM ") + version_table);
    if (!st)
      s = st.status();
    else if (auto row = st->step(); !row)
      s = row.status();
    else
      found = static_cast<int>(st->i64(0));
  }
  if (s && found > version)
    s = corruption(std::string(version_table) + " version " + std::to_string(found) +
                   " is newer than this program (" + std::to_string(version) + ")");
  if (s && found < version) {
    auto st = db.prepare(std::string("INSERT INTO ") + version_table + " (version) VALUES (?)");
    s = st ? st->bind(1, std::int64_t(version)).run() : st.status();
  }
  Status end = db.exec(s ? "COMMIT" : "ROLLBACK");
  return s ? end : s;
}

}  // namespace cw::store::acct
