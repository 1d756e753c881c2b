// What the insights keep between runs (docs/insights.md): alerts with their states and times,
// the household's monthly target, the weekly challenges with their results, and earned badges.
// Everything here is derived from the measurements by the analytics layer; it is stored so that
// a restart neither forgets an acknowledged alert nor doubles a badge.
//
// Storage: the same SQLite file as the Store (DIR/citizenwatt.db), tables created by the
// Store's migration (schema.cc, version 2), through a connection of its own, like the accounts.
// Open the Store first. Every write is one transaction.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sample.h"
#include "core/status.h"
#include "core/time.h"

namespace cw::store {

enum class AlertState : std::uint8_t { kOpen = 0, kAcknowledged = 1, kClosed = 2 };

const char* alert_state_name(AlertState s);  // "open", "acknowledged", "closed"
Result<AlertState> parse_alert_state(std::string_view name);

struct AlertRecord {
  std::int64_t id = 0;
  std::string kind;     // "sensor_silent", "battery_low", ... (analytics/alert_rules.h)
  SensorId sensor = 0;  // 0: about the household, not one sensor
  AlertState state = AlertState::kOpen;
  TimeMs opened = 0;
  TimeMs acknowledged = 0;  // 0: never
  TimeMs closed = 0;        // 0: not closed
  std::string params;       // JSON object: the numbers behind the alert's sentence
  std::string memo = "{}";  // JSON object: what the rule remembers between evaluations
};

// The changes of one evaluation, applied in one transaction.
struct AlertChanges {
  std::vector<AlertRecord> opened;   // new alerts (id, state and times other than opened ignored)
  std::vector<AlertRecord> updated;  // new params and memo of alerts not closed, by id
  std::vector<std::pair<std::int64_t, TimeMs>> closed;  // alert id, when
  bool empty() const { return opened.empty() && updated.empty() && closed.empty(); }
};

struct AlertQuery {
  bool open = true;
  bool acknowledged = true;
  bool closed = false;
  std::size_t limit = 100;
};

struct AckResult {
  AlertRecord alert;      // as it is after the call
  bool was_open = false;  // false: it was acknowledged or closed already, nothing changed
};

// The household's monthly budget. amount_micros: µ€ for "eur", µkWh (= mWh) for "kwh".
struct Target {
  std::string unit;
  std::int64_t amount_micros = 0;
  TimeMs set = 0;
};

// One week's challenge: its plan when the week began, and its result once settled.
struct ChallengeRecord {
  SensorId sensor = 0;
  TimeMs week_start = 0;  // local Monday 00:00, in UTC
  TimeMs week_end = 0;
  std::string kind;
  std::string plan;  // JSON object: goal and baseline
  bool settled = false;
  std::string result;          // "won", "lost" or "void" (not enough data to judge)
  std::string outcome = "{}";  // JSON object: the numbers of the result
  TimeMs settled_at = 0;
};

struct Badge {
  SensorId sensor = 0;
  std::string id;  // "first_win", "streak_3", ...
  TimeMs earned = 0;
};

class InsightStore {
 public:
  virtual ~InsightStore() = default;

  // Alerts, newest first. Opening a second alert of a kind for a sensor while one is not closed
  // is refused (already_exists) and the whole change is rolled back.
  virtual Result<std::vector<AlertRecord>> alerts(const AlertQuery& q) = 0;
  virtual Result<std::vector<AlertRecord>> active_alerts() = 0;  // open and acknowledged
  virtual Result<AlertRecord> alert(std::int64_t id) = 0;
  virtual Status apply(const AlertChanges& changes) = 0;
  // Acknowledges an open alert; not_found for an unknown id.
  virtual Result<AckResult> acknowledge(std::int64_t id, TimeMs now) = 0;

  virtual Result<std::optional<Target>> target() = 0;
  // Sets (or, with nullopt, removes) the target.
  virtual Status set_target(const std::optional<Target>& target) = 0;

  // A sensor's challenges, newest week first, at most limit.
  virtual Result<std::vector<ChallengeRecord>> challenges(SensorId sensor, std::size_t limit) = 0;
  // Records a week's plan unless that week already has one (returns whether it was added).
  virtual Result<bool> begin_challenge(const ChallengeRecord& c) = 0;
  // Records a week's result and the badges it earned, in one transaction, unless the week is
  // settled already (returns whether it was settled now). A badge already earned stays as it was.
  virtual Result<bool> settle_challenge(const ChallengeRecord& c,
                                        const std::vector<Badge>& earned) = 0;
  virtual Result<std::vector<Badge>> badges(SensorId sensor) = 0;
  // Awards badges not yet earned (the others are left as they were).
  virtual Status award(const std::vector<Badge>& badges) = 0;
};

struct SqliteInsightsOptions {
  int busy_timeout_ms = 5000;
};

// Opens the insight tables of the store file at path; failed (invalid_argument) when the file
// has not been brought to the current schema by open_sqlite_store.
Result<std::unique_ptr<InsightStore>> open_sqlite_insights(const std::string& path,
                                                           const SqliteInsightsOptions& o = {});

}  // namespace cw::store
