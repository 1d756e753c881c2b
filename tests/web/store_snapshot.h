// Everything a base keeps on disk, as one comparable string: every row of every table of each
// SQLite file (read through a connection of its own) and the bytes of every settings file. The
// attack tests take one before and after a refused request: equal means nothing changed.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cw::web::testing {

inline std::string sqlite_rows(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "<cannot open " + path + ">";
  }
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                     &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW)
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  std::string out;
  for (const auto& t : tables) {
    std::vector<std::string> rows;
    sqlite3_prepare_v2(db, ("SELECT * FROM \"" + t + "\"").c_str(), -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const void* b = sqlite3_column_blob(st, c);
        row.append(static_cast<const char*>(b ? b : ""), sqlite3_column_bytes(st, c));
        row += '\x1f';
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    std::sort(rows.begin(), rows.end());
    out += "[" + t + "]\n";
    for (const auto& r : rows) out += r + "\n";
  }
  sqlite3_close(db);
  return out;
}

// All SQLite files (*.db) and other regular files below dir, except SQLite's own side files.
inline std::string snapshot(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string out;
  for (const auto& f : files) {
    const std::string name = f.filename().string();
    if (name.ends_with("-wal") || name.ends_with("-shm") || name.ends_with("-journal") ||
        name.ends_with(".lock"))
      continue;
    out += "== " + f.string() + "\n";
    if (f.extension() == ".db") {
      out += sqlite_rows(f.string());
    } else {
      std::ifstream in(f, std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      out += s.str();
    }
  }
  return out;
}

// "" when equal, else the first line that differs (snapshots are too long to print whole).
inline std::string first_difference(const std::string& before, const std::string& after) {
  if (before == after) return "";
  std::size_t at = 0;
  while (at < before.size() && at < after.size() && before[at] == after[at]) ++at;
  const std::size_t line = before.rfind('\n', at == 0 ? 0 : at - 1);
  const std::size_t from = line == std::string::npos ? 0 : line + 1;
  const std::size_t table = before.rfind("\n[", from);
  auto cut = [&](const std::string& s) {
    return s.substr(from, std::min<std::size_t>(120, s.size() - from));
  };
  return "in " + before.substr(table == std::string::npos ? 0 : table + 1, 40) + "...: before \"" +
         cut(before) + "\" after \"" + cut(after) + "\"";
}

}  // namespace cw::web::testing
