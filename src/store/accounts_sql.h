// A small RAII layer over the SQLite C API for the accounts tables (sqlite_accounts.cc).
// Kept apart from the Store's own helpers so that the two can evolve independently.
// Not thread-safe: the owner serialises use of a connection.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace cw::store::acct {

// Maps a SQLite result code to a Status (ok for SQLITE_OK / ROW / DONE).
Status sql_status(sqlite3* db, int rc, std::string_view what);

class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(s_); }

  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, std::span<const std::uint8_t> v);
  // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
  Result<bool> step();
  Status run();  // steps to completion, expecting no rows

  std::int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
  std::string text(int col) const;
  bool blob_into(int col, std::span<std::uint8_t> out) const;  // false when sizes differ

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

class Db {
 public:
  Db() = default;
  Db(Db&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() { sqlite3_close_v2(db_); }

  Status open(const std::string& path, int busy_timeout_ms);
  Status exec(const char* sql);
  Result<Stmt> prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
};

// In one transaction: runs schema (CREATE ... IF NOT EXISTS), then records version in
// version_table; corruption when the file was written by a newer program (a higher version).
Status migrate(Db& db, const char* schema, const char* version_table, int version);

}  // namespace cw::store::acct
