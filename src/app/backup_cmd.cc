// citizenwatt backup --data DIR --to FILE  and  citizenwatt restore FILE --data DIR
//
// A backup is one SQLite file: the database copied with SQLite's online backup API (a
// consistent snapshot, taken while `serve` keeps writing: WAL readers never block the writer),
// plus the data folder's small settings files (tariff, Tempo colours, configuration) in a table
// `backup_files` of the copy. Restore checks the file, refuses while a base runs on DIR (it holds
// DIR/serve.lock for the whole restore), keeps the previous database aside instead of deleting
// it, then puts the copy and the files in place.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/base.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "app/serve_lock.h"

namespace cw::app {

namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxSettingsFile = 1 << 20;
constexpr int kStoreApplicationId = 0x43575354;  // store/schema.h: "CWST"

struct Conn {
  sqlite3* db = nullptr;
  ~Conn() {
    if (db) sqlite3_close_v2(db);
  }
};

Status sql_error(sqlite3* db, const std::string& what) {
  return Status(Code::kUnavailable, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

Status open(Conn& c, const std::string& path, int flags) {
  if (sqlite3_open_v2(path.c_str(), &c.db, flags, nullptr) != SQLITE_OK)
    return sql_error(c.db, "cannot open " + path);
  sqlite3_busy_timeout(c.db, 5000);
  return Status::ok();
}

Status exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  if (rc != SQLITE_OK) return Status(Code::kUnavailable, sql.substr(0, 40) + ": " + msg);
  return Status::ok();
}

Result<std::string> single_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return sql_error(db, sql);
  std::string out;
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sql_error(db, sql);
  return out;
}

// Copies every page of from into to, in steps, retrying while the writer holds a lock.
Status copy_database(sqlite3* from, sqlite3* to) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) return sql_error(to, "cannot start the backup");
  int rc = SQLITE_OK;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  do {
    rc = sqlite3_backup_step(b, -1);  // all pages in one read transaction: one snapshot
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while ((rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
           std::chrono::steady_clock::now() < deadline);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return sql_error(to, "backup interrupted");
  return Status::ok();
}

Status add_settings_files(sqlite3* db, const fs::path& dir) {
  CW_RETURN_IF_ERROR(
      exec(db, "CREATE TABLE backup_files(name TEXT PRIMARY KEY, content BLOB NOT NULL)"));
  sqlite3_stmt* ins = nullptr;
  if (sqlite3_prepare_v2(db, "INSERT INTO backup_files VALUES(?1, ?2)", -1, &ins, nullptr) !=
      SQLITE_OK)
    return sql_error(db, "backup files");
  Status st;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name.rfind("citizenwatt.db", 0) == 0 || name == "serve.lock" ||
        e.file_size() > kMaxSettingsFile)
      continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    const std::string bytes = content.str();
    sqlite3_bind_text(ins, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(ins, 2, bytes.data(), int(bytes.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(ins) != SQLITE_DONE) st = sql_error(db, "backup file " + name);
    sqlite3_reset(ins);
    if (!st) break;
  }
  sqlite3_finalize(ins);
  return st;
}

Status check_backup(sqlite3* db, const std::string& path) {
  auto app = single_text(db, "PRAGMA application_id");
  if (!app) return app.status();
  if (*app != std::to_string(kStoreApplicationId))
    return invalid_argument(path + " is not a CitizenWatt backup");
  auto ok = single_text(db, "PRAGMA integrity_check");
  if (!ok) return ok.status();
  if (*ok != "ok") return corruption(path + " is damaged: " + *ok);
  return Status::ok();
}

Status write_file(const fs::path& path, const void* data, std::size_t n) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char*>(data), std::streamsize(n));
    if (!out) return Status(Code::kUnavailable, "cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status(Code::kUnavailable, "cannot write " + path.string() + ": " + ec.message());
  return Status::ok();
}

// Extracts backup_files into dir, then drops the table from the copy.
Status extract_settings_files(sqlite3* db, const fs::path& dir, int* count) {
  auto has = single_text(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'backup_files'");
  if (!has) return has.status();
  if (*has == "0") return Status::ok();
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT name, content FROM backup_files", -1, &s, nullptr) !=
      SQLITE_OK)
    return sql_error(db, "backup files");
  Status st;
  while (st && sqlite3_step(s) == SQLITE_ROW) {
    const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    if (name.find('/') != std::string::npos || name.empty() || name[0] == '.') continue;
    st = write_file(dir / name, sqlite3_column_blob(s, 1), std::size_t(sqlite3_column_bytes(s, 1)));
    ++*count;
  }
  sqlite3_finalize(s);
  CW_RETURN_IF_ERROR(st);
  return exec(db, "DROP TABLE backup_files; VACUUM");
}

Status run_backup_steps(const std::string& data_dir, const std::string& to) {
  const fs::path db_path = fs::path(data_dir) / "citizenwatt.db";
  if (!fs::exists(db_path)) return not_found("no database in " + data_dir);
  const std::string tmp = to + ".partial";
  fs::remove(tmp);
  {
    Conn from, out;
    CW_RETURN_IF_ERROR(open(from, db_path.string(), SQLITE_OPEN_READONLY));
    CW_RETURN_IF_ERROR(open(out, tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    CW_RETURN_IF_ERROR(copy_database(from.db, out.db));
    CW_RETURN_IF_ERROR(exec(out.db, "PRAGMA journal_mode = DELETE"));
    CW_RETURN_IF_ERROR(add_settings_files(out.db, data_dir));
    CW_RETURN_IF_ERROR(check_backup(out.db, tmp));
  }
  std::error_code ec;
  fs::rename(tmp, to, ec);
  if (ec) return Status(Code::kUnavailable, "cannot write " + to + ": " + ec.message());
  return Status::ok();
}

}  // namespace

int run_backup(const std::string& data_dir, const std::string& to) {
  if (to.empty()) return report(invalid_argument("--to FILE is required"));
  // The backup holds sensor keys and password hashes: owner-only, as the data folder.
  umask(077);
  Status st = run_backup_steps(data_dir, to);
  if (!st) {
    std::error_code ec;
    fs::remove(to + ".partial", ec);
    return report(st);
  }
  std::cout << "backup of " << data_dir << " written to " << to << " (" << fs::file_size(to)
            << " bytes)\n";
  return kExitOk;
}

int run_restore(const std::string& file, const std::string& data_dir) {
  if (!fs::exists(file)) return report(not_found("no backup file " + file));
  auto dir = prepare_data_dir(data_dir);
  if (!dir) return report(dir.status());
  auto lock = lock_data_dir(dir->path);  // refuses while a base runs; keeps one from starting
  if (!lock) return report(lock.status());
  const fs::path target = dir->db_path();
  const fs::path staged = target.string() + ".restore";
  fs::remove(staged);
  int files = 0;
  {
    Conn in, out;
    Status st = open(in, file, SQLITE_OPEN_READONLY);
    if (st) st = check_backup(in.db, file);
    if (st) st = open(out, staged.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (st) st = copy_database(in.db, out.db);
    if (st) st = extract_settings_files(out.db, dir->path, &files);
    if (!st) {
      fs::remove(staged);
      return report(st);
    }
  }
  std::error_code ec;
  if (fs::exists(target)) {
    const auto stamp = std::to_string(SystemClock().now() / 1000);
    // The WAL goes along: it may hold the old database's last commits.
    for (const char* side : {"-wal", "-shm", ""}) {
      const std::string from = target.string() + side;
      if (!fs::exists(from)) continue;
      fs::rename(from, target.string() + ".before-restore-" + stamp + side, ec);
      if (ec)
        return report(Status(Code::kUnavailable, "cannot keep the old database: " + ec.message()));
    }
    std::cout << "the previous database is kept as " << target.string() << ".before-restore-"
              << stamp << "\n";
  }
  fs::rename(staged, target, ec);
  if (ec)
    return report(
        Status(Code::kUnavailable, "cannot put the restored database in place: " + ec.message()));
  std::cout << "restored " << file << " into " << dir->path << " (" << files
            << " settings files)\n";
  return kExitOk;
}

}  // namespace cw::app
