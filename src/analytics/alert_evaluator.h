// Runs the alert rules (alert_rules.h) over every sensor and applies what they decide to the
// insight store, in one transaction per pass. `serve` calls run() from its maintenance thread
// every few seconds; it only reads the measurements (never the ingest path's locks) and writes
// alert rows, so ingest never waits for it.
//
// Cheap when nothing changes: the silence and battery rules read the sensor rows; the power rule
// reads the last minutes of raw samples only while the power is high or an alert is active; the
// night rule runs once per sensor and night; the target rule every kTargetEveryMs, at a month's
// change and whenever the target changes.
// Not thread-safe: one caller (it keeps per-sensor memory of what it already judged).
#pragma once

#include <map>
#include <string>

#include "analytics/alert_rules.h"
#include "store/insights.h"
#include "store/store.h"

namespace cw::analytics {

struct AlertPass {
  store::AlertChanges changes;  // applied
  Status problem;  // the first rule that could not read its data (the others still ran)
};

class AlertEvaluator {
 public:
  AlertEvaluator(store::Store& store, store::InsightStore& insights, const Calendar& calendar,
                 std::string data_dir, AlertOptions options = {});

  // One pass as of now: the changes applied (for the log). An error only when they could not be
  // written; then nothing was.
  Result<AlertPass> run(TimeMs now);

  static constexpr TimeMs kTargetEveryMs = 10 * kMinuteMs;

 private:
  using Key = std::pair<std::string, SensorId>;
  struct Pass;

  void judge_sensor(Pass& pass, const store::Sensor& s);
  void judge_power(Pass& pass, const store::Sensor& s, int kva);
  void judge_night(Pass& pass, const store::Sensor& s);
  void judge_target(Pass& pass, SensorId first);
  TimeMs period_of(const store::Sensor& s, TimeMs now);

  store::Store& store_;
  store::InsightStore& insights_;
  const Calendar& calendar_;
  const std::string data_dir_;
  const AlertOptions options_;
  std::map<SensorId, LocalDay> night_judged_;                // last night judged per sensor
  std::map<SensorId, std::pair<TimeMs, TimeMs>> period_of_;  // last_seen → sampling period
  TimeMs target_judged_ = 0;
  std::string target_month_;
  std::string target_seen_;  // the target judged last (a new one is judged at once)
};

}  // namespace cw::analytics
