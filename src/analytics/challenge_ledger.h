// Keeps the weekly challenges: records each week's plan when it begins, settles the weeks that
// ended (result, streak, badges) and awards the monthly-target badge. Idempotent: the store
// settles a week once and awards a badge once, so running twice (or after a restart) doubles
// nothing. `serve` runs it from its maintenance thread, after the alert rules.
// Not thread-safe: one caller.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analytics/challenges.h"
#include "store/insights.h"

namespace cw::analytics {

inline constexpr const char* kBadgeFirstWin = "first_win";
inline constexpr const char* kBadgeStreak3 = "streak_3";
inline constexpr const char* kBadgeStreak10 = "streak_10";
inline constexpr const char* kBadgeBaseloadDown50 = "baseload_down_50w";
inline constexpr const char* kBadgeMonthUnderTarget = "month_under_target";

// The weeks won in a row up to the newest settled week (newest first). A void week neither
// breaks nor extends it; a lost week or a week without a challenge ends it. Pure.
int streak(const std::vector<store::ChallengeRecord>& newest_first);

// The badges the settled history earns (newest first) that `held` does not have yet, earned at
// `when`. Pure.
std::vector<store::Badge> new_badges(const std::vector<store::ChallengeRecord>& newest_first,
                                     const std::vector<store::Badge>& held, SensorId sensor,
                                     TimeMs when);

struct LedgerPass {
  int begun = 0;    // weeks whose plan was recorded
  int settled = 0;  // weeks settled
  std::vector<store::Badge> awarded;
  Status problem;  // the first sensor that could not be judged (the others still were)
};

class ChallengeLedger {
 public:
  ChallengeLedger(store::Store& store, store::InsightStore& insights, const Calendar& calendar,
                  std::string data_dir, ChallengeOptions options = {});

  Result<LedgerPass> run(TimeMs now);

  // A week is settled this long after it ends, so the last frames have been committed.
  static constexpr TimeMs kSettleDelayMs = 5 * kMinuteMs;
  // A week without a baseline is looked at again after this long.
  static constexpr TimeMs kRetryPlanMs = kHourMs;

 private:
  Status run_sensor(LedgerPass& pass, const Household& h, SensorId sensor, TimeMs now);
  Status settle(LedgerPass& pass, const Household& h, store::ChallengeRecord c,
                std::vector<store::ChallengeRecord> older, TimeMs now);
  Status month_badge(LedgerPass& pass, const Household& h, SensorId sensor, TimeMs now);

  store::Store& store_;
  store::InsightStore& insights_;
  const Calendar& calendar_;
  const std::string data_dir_;
  const ChallengeOptions options_;
  std::map<SensorId, std::pair<TimeMs, TimeMs>> no_plan_;  // week start → when last tried
  TimeMs month_checked_ = 0;                               // month start last looked at
};

}  // namespace cw::analytics
