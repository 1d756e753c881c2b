#include "store/sqlite_handle.h"

#include <sqlite3.h>

namespace cw::store::detail {

Status sqlite_status(int rc, sqlite3* db, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::ok();
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return {Code::kResourceExhausted, msg + " (disk full)"};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {Code::kUnavailable, msg + " (database is locked)"};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return {Code::kCorruption, msg};
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return {Code::kPermissionDenied, msg};
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PROTOCOL:
      return {Code::kUnavailable, msg};
    case SQLITE_NOMEM:
    case SQLITE_TOOBIG:
      return {Code::kResourceExhausted, msg};
    default:
      return {Code::kInternal, msg};
  }
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() {
  sqlite3_finalize(s_);
}

void Stmt::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_, i, v);
}
void Stmt::bind(int i, std::span<const std::uint8_t> blob) {
  // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
  static const std::uint8_t kEmpty = 0;
  sqlite3_bind_blob(s_, i, blob.empty() ? &kEmpty : blob.data(), int(blob.size()),
                    SQLITE_TRANSIENT);
}
void Stmt::bind(int i, std::string_view text) {
  sqlite3_bind_text(s_, i, text.data(), int(text.size()), SQLITE_TRANSIENT);
}
void Stmt::bind_null(int i) {
  sqlite3_bind_null(s_, i);
}

bool Stmt::step(int* rc) {
  *rc = sqlite3_step(s_);
  return *rc == SQLITE_ROW;
}

std::int64_t Stmt::col_int(int i) const {
  return sqlite3_column_int64(s_, i);
}
std::span<const std::uint8_t> Stmt::col_blob(int i) const {
  const void* p = sqlite3_column_blob(s_, i);
  int n = sqlite3_column_bytes(s_, i);
  if (!p || n <= 0) return {};
  return {static_cast<const std::uint8_t*>(p), std::size_t(n)};
}
std::string Stmt::col_text(int i) const {
  const unsigned char* p = sqlite3_column_text(s_, i);
  int n = sqlite3_column_bytes(s_, i);
  return p ? std::string(reinterpret_cast<const char*>(p), std::size_t(n)) : std::string();
}
bool Stmt::col_is_null(int i) const {
  return sqlite3_column_type(s_, i) == SQLITE_NULL;
}
void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

Db::Db(Db&& o) noexcept : db_(o.db_), cache_(std::move(o.cache_)) {
  o.db_ = nullptr;
}
Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    close();
    db_ = o.db_;
    cache_ = std::move(o.cache_);
    o.db_ = nullptr;
  }
  return *this;
}
Db::~Db() {
  close();
}

void Db::close() {
  cache_.clear();  // statements first: a connection with live statements would not close
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Result<Db> Db::open(const std::string& path, bool read_only, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);  // owns raw even on failure
  if (rc != SQLITE_OK) return sqlite_status(rc, raw, "cannot open database '" + path + "'");
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  return db;
}

Status Db::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  return sqlite_status(rc, db_, sql);
}

Stmt* Db::prepare(const char* sql, Status* status) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->reset();
    return it->second.get();
  }
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(s);
    *status = sqlite_status(rc, db_, std::string("prepare ") + sql);
    return nullptr;
  }
  auto owned = std::make_unique<Stmt>(s);
  Stmt* p = owned.get();
  cache_.emplace(sql, std::move(owned));
  return p;
}

Result<std::int64_t> Db::query_int(const char* sql) {
  Status st;
  Stmt* s = prepare(sql, &st);
  if (!s) return st;
  int rc = 0;
  std::int64_t v = 0;
  if (s->step(&rc)) v = s->col_int(0);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_status(rc, db_, sql);
  s->reset();
  return v;
}

Result<std::string> Db::query_text(const char* sql) {
  Status st;
  Stmt* s = prepare(sql, &st);
  if (!s) return st;
  int rc = 0;
  std::string v;
  while (s->step(&rc)) {
    if (!v.empty()) v += "\n";
    v += s->col_text(0);
  }
  if (rc != SQLITE_DONE) return sqlite_status(rc, db_, sql);
  s->reset();
  return v;
}

std::int64_t Db::changes() const {
  return sqlite3_changes64(db_);
}

Status run(Db& db, Stmt* s, std::string_view what) {
  int rc = 0;
  while (s->step(&rc)) {
  }
  Status st = sqlite_status(rc, db.raw(), what);
  s->reset();
  return st;
}

}  // namespace cw::store::detail
