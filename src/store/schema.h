// The SQLite schema of the store and its migrations (docs/storage.md, "Schema"). The version
// lives in PRAGMA user_version; migrate() brings any older file up to kSchemaVersion inside
// one transaction, and refuses a file written by a newer version.
// Version 2 adds the insight tables (alerts, target, weekly challenges, badges: store/insights.h).
#pragma once

#include "core/status.h"
#include "store/sqlite_handle.h"

namespace cw::store::detail {

inline constexpr int kSchemaVersion = 2;

// Application id written in the header, so a foreign SQLite file is recognised as such.
inline constexpr int kApplicationId = 0x43575354;  // "CWST"

Status migrate(Db& db);

}  // namespace cw::store::detail
