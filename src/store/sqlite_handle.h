// RAII owners of sqlite3 connections and prepared statements, and the mapping of SQLite result
// codes to Status. Nothing here knows the store's schema.
//
// Thread-safety: a Db and its statements belong to one thread at a time (the connections are
// opened SQLITE_OPEN_NOMUTEX; the store serialises access to each connection).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cw::store::detail {

// Maps a SQLite result code to a Status with a message naming what was being done.
Status sqlite_status(int rc, sqlite3* db, std::string_view what);

// A prepared statement. Reset (not finalised) after each use, so the owner can cache it.
class Stmt {
 public:
  Stmt() = default;
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  sqlite3_stmt* get() const { return s_; }

  // Binds parameters by 1-based index.
  void bind(int i, std::int64_t v);
  void bind(int i, std::span<const std::uint8_t> blob);
  void bind(int i, std::string_view text);
  void bind_null(int i);

  // Advances: true while a row is ready, false when done; rc holds the SQLite code.
  bool step(int* rc);
  std::int64_t col_int(int i) const;
  std::span<const std::uint8_t> col_blob(int i) const;
  std::string col_text(int i) const;
  bool col_is_null(int i) const;
  void reset();

 private:
  sqlite3_stmt* s_ = nullptr;
};

// A connection with a cache of prepared statements keyed by SQL text.
class Db {
 public:
  Db() = default;
  Db(Db&&) noexcept;
  Db& operator=(Db&&) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // Opens path; read_only opens without create.
  static Result<Db> open(const std::string& path, bool read_only, int busy_timeout_ms);

  sqlite3* raw() const { return db_; }
  // Runs one or more statements that return no rows.
  Status exec(const char* sql);
  // A cached statement, reset and with bindings cleared, ready to bind. Null on error (status set).
  Stmt* prepare(const char* sql, Status* status);
  // Runs a single-value query (e.g. a PRAGMA) and returns the first column of the first row.
  Result<std::int64_t> query_int(const char* sql);
  Result<std::string> query_text(const char* sql);
  std::int64_t changes() const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  void close();
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

// Runs a statement to completion (no rows expected) and resets it.
Status run(Db& db, Stmt* s, std::string_view what);

}  // namespace cw::store::detail
