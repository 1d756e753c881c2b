#include "store/schema.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace cw::store::detail {

namespace {

// Version 1. Head tables are WITHOUT ROWID (their key is their order); block tables keep a
// rowid so their blobs sit in ordinary table b-tree leaves and overflow pages.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE sensor(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  key BLOB NOT NULL,
  created INTEGER NOT NULL,
  max_gap_ms INTEGER NOT NULL,
  has_counter INTEGER NOT NULL DEFAULT 0,
  last_counter INTEGER NOT NULL DEFAULT 0,
  last_seen INTEGER NOT NULL DEFAULT 0,
  last_power_w INTEGER NOT NULL DEFAULT 0,
  last_raw_energy_wh INTEGER NOT NULL DEFAULT 0,
  energy_offset_wh INTEGER NOT NULL DEFAULT 0,
  voltage_dv INTEGER NOT NULL DEFAULT 0,
  supply_mv INTEGER NOT NULL DEFAULT 0,
  flags INTEGER NOT NULL DEFAULT 0,
  frames BLOB,
  -- the last stored sample, kept here so retention never makes the store forget it
  s_t INTEGER, s_counter INTEGER, s_power_w INTEGER, s_energy_wh INTEGER
);
CREATE TABLE raw_head(
  sensor INTEGER NOT NULL, t INTEGER NOT NULL, counter INTEGER NOT NULL,
  power_w INTEGER NOT NULL, energy_wh INTEGER NOT NULL,
  PRIMARY KEY(sensor, t)
) WITHOUT ROWID;
CREATE TABLE raw_block(
  id INTEGER PRIMARY KEY, sensor INTEGER NOT NULL, t_first INTEGER NOT NULL,
  t_last INTEGER NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL
);
CREATE INDEX raw_block_by_time ON raw_block(sensor, t_last);
CREATE TABLE rollup_head(
  sensor INTEGER NOT NULL, level INTEGER NOT NULL, start INTEGER NOT NULL, end_ INTEGER NOT NULL,
  count INTEGER NOT NULL, min_w INTEGER NOT NULL, max_w INTEGER NOT NULL,
  sum_wms INTEGER NOT NULL, covered_ms INTEGER NOT NULL, energy_mwh INTEGER NOT NULL,
  gap_energy_mwh INTEGER NOT NULL,
  PRIMARY KEY(sensor, level, start)
) WITHOUT ROWID;
CREATE TABLE rollup_block(
  id INTEGER PRIMARY KEY, sensor INTEGER NOT NULL, level INTEGER NOT NULL,
  t_first INTEGER NOT NULL, t_last INTEGER NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL
);
CREATE INDEX rollup_block_by_time ON rollup_block(sensor, level, t_last);
CREATE TABLE unattributed(verdict TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
)sql";

// The text of every CREATE statement is stored in each file (sqlite_schema): without comments
// and layout it takes one page less of a small base's file. Quoted text is kept as is.
std::string compact_sql(std::string_view sql) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') {
      const std::size_t close = sql.find('\'', i + 1);
      const std::size_t end = close == std::string_view::npos ? sql.size() : close + 1;
      out.append(sql.substr(i, end - i));
      i = end - 1;
      space = false;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      i = std::min(sql.find('\n', i), sql.size()) - 1;
      space = true;
    } else if (c == ' ' || c == '\n' || c == '\t') {
      space = true;
    } else {
      const bool tight = out.empty() || out.back() == '(' || out.back() == ',' ||
                         out.back() == ';' || c == ')' || c == ',' || c == ';';
      if (space && !tight) out.push_back(' ');
      out.push_back(c);
      space = false;
    }
  }
  return out;
}

// Version 2: what the insights keep (store/insights.h). At most one alert of a kind per sensor
// is not closed: the partial unique index makes "one alert per episode" a database rule.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE insight_alert(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  sensor INTEGER NOT NULL,
  state INTEGER NOT NULL,
  opened INTEGER NOT NULL,
  acknowledged INTEGER NOT NULL DEFAULT 0,
  closed INTEGER NOT NULL DEFAULT 0,
  params TEXT NOT NULL,
  memo TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX insight_alert_active ON insight_alert(kind, sensor) WHERE state < 2;
CREATE INDEX insight_alert_by_time ON insight_alert(opened);
CREATE TABLE insight_target(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  unit TEXT NOT NULL,
  amount_micros INTEGER NOT NULL,
  set_ms INTEGER NOT NULL
);
CREATE TABLE insight_challenge(
  sensor INTEGER NOT NULL,
  week_start INTEGER NOT NULL,
  week_end INTEGER NOT NULL,
  kind TEXT NOT NULL,
  plan TEXT NOT NULL,
  settled INTEGER NOT NULL DEFAULT 0,
  result TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '{}',
  settled_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(sensor, week_start)
) WITHOUT ROWID;
CREATE TABLE insight_badge(
  sensor INTEGER NOT NULL,
  badge TEXT NOT NULL,
  earned INTEGER NOT NULL,
  PRIMARY KEY(sensor, badge)
) WITHOUT ROWID;
)sql";

Status rollback_with(Db& db, Status st) {
  (void)db.exec("ROLLBACK");
  return st;
}

}  // namespace

Status migrate(Db& db) {
  auto version = db.query_int("PRAGMA user_version");
  if (!version) return version.status();
  if (*version == kSchemaVersion) {
    auto app = db.query_int("PRAGMA application_id");
    if (!app) return app.status();
    if (*app != kApplicationId) return corruption("not a CitizenWatt store (foreign SQLite file)");
    return Status::ok();
  }
  if (*version > kSchemaVersion) {
    return {Code::kInvalidArgument, "store schema version " + std::to_string(*version) +
                                        " is newer than this program (" +
                                        std::to_string(kSchemaVersion) + ")"};
  }
  CW_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  // Re-read under the write lock: another process may have migrated meanwhile.
  version = db.query_int("PRAGMA user_version");
  if (!version) return rollback_with(db, version.status());
  if (*version == 0) {
    // The accounts (store/sqlite_accounts.cc) share this file and may have created it first.
    auto tables = db.query_int(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT IN "
        "('accounts_schema', 'users', 'sessions', 'api_tokens', "
        "'inputs_schema', 'input_binding', 'meter_register', 'meter_status')");
    if (!tables) return rollback_with(db, tables.status());
    if (*tables != 0) {
      return rollback_with(db, corruption("not a CitizenWatt store (foreign SQLite file)"));
    }
    Status st = db.exec(compact_sql(kSchemaV1).c_str());
    if (!st) return rollback_with(db, st);
  }
  if (*version < 2) {
    Status st = db.exec(compact_sql(kSchemaV2).c_str());
    if (!st) return rollback_with(db, st);
  }
  // Future versions: `if (*version < 3) { ALTER ... }` steps go here, each keeping data.
  std::string set = "PRAGMA user_version = " + std::to_string(kSchemaVersion) +
                    "; PRAGMA application_id = " + std::to_string(kApplicationId) + ";";
  Status st = db.exec(set.c_str());
  if (!st) return rollback_with(db, st);
  return db.exec("COMMIT");
}

}  // namespace cw::store::detail
