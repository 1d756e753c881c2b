// The alert rules (docs/insights.md, "Alerts"). Each is a pure function of what the store says
// and of the alert of its kind that is not closed yet (its params and memo), and decides to open,
// update, close or leave it. One alert per episode: a rule opens only when none is active, and
// closes on its own, stricter condition (hysteresis), so a value hovering at a threshold gives
// one alert, not a storm.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analytics/baseload.h"
#include "analytics/targets.h"
#include "core/calendar.h"
#include "store/store.h"

namespace cw::analytics {

inline constexpr const char* kSensorSilent = "sensor_silent";
inline constexpr const char* kBatteryLow = "battery_low";
inline constexpr const char* kNearSubscribedPower = "near_subscribed_power";
inline constexpr const char* kUnusualNight = "unusual_night";
inline constexpr const char* kTargetAtRisk = "target_at_risk";

// The low-battery flag of a frame (protocol::kFlagLowBattery in protocol/frame.h; analytics does
// not link the protocol layer, web checks that both agree).
inline constexpr std::uint8_t kLowBatteryFlag = 0x08;

// Thresholds, configurable in DATA/citizenwatt.toml [alerts] (docs/configuration.md).
struct AlertOptions {
  TimeMs silent_after_ms = 5 * kMinuteMs;     // no frame for this long...
  int silent_periods = 5;                     // ...or this many sensor periods, whichever is longer
  int battery_low_mv = 2600;                  // supply below this is low
  int battery_ok_frames = 3;                  // frames in a row without the flag that close it
  double power_share = 0.90;                  // of the subscribed kVA (as W)...
  TimeMs power_for_ms = kMinuteMs;            // ...for this long opens near_subscribed_power
  double power_clear_share = 0.80;            // below this...
  TimeMs power_clear_for_ms = 5 * kMinuteMs;  // ...for this long closes it
  double night_factor = 1.5;                  // last night's always-on ≥ this × the usual...
  double night_min_excess_w = 50;             // ...and at least this many W above it
  int night_min_history = 3;                  // nights of the 7 before that must count to judge
  double target_clear_share = 0.95;           // the projection back under this share of the target
};

// Checks every threshold; invalid_argument names the first bad one.
Status validate(const AlertOptions& o);

struct AlertDecision {
  enum class Action { kNone, kOpen, kUpdate, kClose };
  Action action = Action::kNone;
  nlohmann::json params = nlohmann::json::object();  // kOpen, kUpdate: the alert's numbers
  nlohmann::json memo = nlohmann::json::object();    // kOpen, kUpdate: the rule's own memory
};

// The alert of a kind and sensor that is open or acknowledged, as its rule sees it.
struct ActiveAlert {
  nlohmann::json params = nlohmann::json::object();
  nlohmann::json memo = nlohmann::json::object();
};

// No frame for max(silent_after, silent_periods × period_ms); a sensor that never sent counts
// from its creation. Closes when a frame arrives after the silence began.
AlertDecision sensor_silent(const store::Sensor& s, TimeMs period_ms, TimeMs now,
                            const AlertOptions& o, const ActiveAlert* active);

// The last frame carries the low-battery flag or a supply under battery_low_mv. Closes once the
// frames seen fine span battery_ok_frames counter values in a row (the evaluator sees the state
// at each pass; a bad state seen in between starts the count again).
AlertDecision battery_low(const store::Sensor& s, const AlertOptions& o, const ActiveAlert* active);

// The recent samples (time order, the last few minutes) at or above power_share of kva × 1000 W
// for power_for; closes after power_clear_for below power_clear_share. params.power_w is the
// episode's peak.
AlertDecision near_subscribed_power(SensorId sensor, std::span<const Sample> recent,
                                    TimeMs max_gap_ms, int kva, const AlertOptions& o,
                                    const ActiveAlert* active);

// last: the night to judge; before: the nights before it (the usual is their median). Opens
// when last is ≥ night_factor × and ≥ night_min_excess_w above the usual; closes at the next
// night that counts and is not unusual. A night without enough data changes nothing.
AlertDecision unusual_night(SensorId sensor, const NightLoad& last,
                            const std::vector<NightLoad>& before, const AlertOptions& o,
                            const ActiveAlert* active);

// The month's projection above the target, once the forecast behind it has a week of history
// (confidence medium or high: a first day's pace is no ground for an alarm), or the month so far
// already above it; closes under target_clear_share of it, when the target is removed, or when
// the month is over.
AlertDecision target_at_risk(const std::optional<store::Target>& target, const TargetCheck& check,
                             const std::string& month, const AlertOptions& o,
                             const ActiveAlert* active);

// Helpers of the rules, pure.
// The sensor's usual spacing between samples: the median interval, leaving out the intervals
// longer than max_gap_ms (silences, not the rhythm); 0 without any.
TimeMs sampling_period(std::span<const Sample> samples, TimeMs max_gap_ms);
// How long the newest samples have all satisfied pred: from the first sample of that trailing run
// to the last sample; a silence longer than max_gap_ms ends the run. 0 when the last does not.
template <typename Pred>
TimeMs trailing_run(std::span<const Sample> s, TimeMs max_gap_ms, Pred pred) {
  if (s.empty() || !pred(s.back())) return 0;
  std::size_t i = s.size() - 1;
  while (i > 0 && pred(s[i - 1]) && s[i].t - s[i - 1].t <= max_gap_ms) --i;
  return s.back().t - s[i].t;
}
double median(std::vector<double> v);  // v not empty

// The English sentence of an alert (the UI renders its own from kind and params).
std::string alert_message(const std::string& kind, const nlohmann::json& params,
                          const Calendar& calendar);

}  // namespace cw::analytics
