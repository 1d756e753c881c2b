// Weekly challenges (games), set from the household's own baseline: its last 4 whole weeks, its
// last week's always-on power, its usual off-peak share. A week runs from Monday 00:00 local to
// the next (167 or 169 hours across DST). The pure parts (choice, progress, judgement) are apart
// from the readers so each is tested with hand-computed numbers; challenge_ledger.h keeps the
// results, streaks and badges.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "analytics/household.h"
#include "store/store.h"

namespace cw::analytics {

enum class ChallengeKind { kWeekLess10, kBaseloadLess20w, kPeakToOffpeak };
const char* challenge_kind_name(ChallengeKind k);  // "week_less_10", ...
std::optional<ChallengeKind> parse_challenge_kind(std::string_view name);

struct ChallengeOptions {
  int usual_weeks = 4;             // weeks the usual week is the mean of
  double min_week_coverage = 0.8;  // a week counts (or is judged) when this much of it has data
  double less_percent = 10;        // week_less_10
  double baseload_cut_w = 20;      // baseload_less_20w
  double min_baseload_w = 60;      // below this, a 20 W cut is not a fair game
  int min_nights = 3;              // nights a week's always-on needs
  double offpeak_points = 5;       // peak_to_offpeak: percentage points
  double max_offpeak_share = 0.9;  // above this there is nothing left to move
};

// What the household's own history says when a week begins.
struct WeekBaseline {
  TimeMs week_start = 0;
  TimeMs week_end = 0;
  int usual_weeks = 0;                        // weeks of the last 4 with enough data
  std::optional<double> usual_kwh;            // their mean energy
  std::optional<double> last_week_w;          // always-on over the nights of the week before
  std::optional<double> usual_offpeak_share;  // off-peak share of the last 4 weeks' energy
};

struct ChallengePlan {
  ChallengeKind kind = ChallengeKind::kWeekLess10;
  TimeMs week_start = 0;
  TimeMs week_end = 0;
  nlohmann::json params = nlohmann::json::object();  // the goal and the baseline it came from
};

// What a week measured, from its start to `to` (now, or its end).
struct WeekMeasure {
  TimeMs from = 0;
  TimeMs to = 0;
  double kwh = 0;
  double coverage = 0;               // covered fraction of [from, to)
  std::optional<double> baseload_w;  // over the week's complete nights (min_nights at least)
  int nights = 0;
  std::optional<double> offpeak_share;
  std::optional<double> mean_price;      // µ€/kWh of the week's energy (null: not priced)
  std::optional<Micros> cheapest_price;  // what the always-on is valued at (baseload.h)
  std::optional<PeakPrices> peak;
};

// Readers (not_found for an unknown sensor).
Result<WeekBaseline> week_baseline(store::Store& store, const Calendar& calendar,
                                   const Household& household, SensorId sensor, TimeMs week_start,
                                   const ChallengeOptions& o = {});
Result<WeekMeasure> measure_week(store::Store& store, const Calendar& calendar,
                                 const Household& household, SensorId sensor, TimeMs week_start,
                                 TimeMs to, const ChallengeOptions& o = {});

// The week's challenge: the kinds the baseline allows, in turn from one week to the next
// (nullopt: no baseline yet, nothing to measure against). Pure.
std::optional<ChallengePlan> choose_challenge(const WeekBaseline& b, const Calendar& calendar,
                                              TariffOption option, const ChallengeOptions& o = {});

struct ChallengeProgress {
  double so_far_kwh = 0;
  std::optional<double> projection_kwh;  // the week's energy at the pace so far
  std::string status;  // "on_track", "at_risk", "lost" (cannot be won any more), "no_data"
  nlohmann::json params = nlohmann::json::object();  // the plan's, plus where the week stands
};
ChallengeProgress challenge_progress(const ChallengePlan& plan, const WeekMeasure& m, TimeMs now);

struct ChallengeResult {
  std::string result;  // "won", "lost", or "void" when the week had too little data to judge
  nlohmann::json outcome = nlohmann::json::object();  // the numbers of the result
};
// Pure: the ended week against its plan.
ChallengeResult judge_week(const ChallengePlan& plan, const WeekMeasure& m,
                           const ChallengeOptions& o = {});

// English sentences (the UI renders its own from kind and params).
std::string plan_message(ChallengeKind kind, const nlohmann::json& params);
std::string result_message(ChallengeKind kind, const std::string& result,
                           const nlohmann::json& outcome);

// {"micros", "eur"} of an amount, as the API shows money.
nlohmann::json money_json(Picos amount);

}  // namespace cw::analytics
