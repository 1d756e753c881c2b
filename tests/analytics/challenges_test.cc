// Weekly challenges: the choice from the baseline, the progress, the judgement, DST weeks,
// missing data.
#include "analytics/challenges.h"

#include <gtest/gtest.h>

#include <set>

#include "analytics/tariff_catalogue.h"
#include "analytics/tariff_periods.h"
#include "fixture.h"
#include "insight_data.h"

namespace cw::analytics {
namespace {

using nlohmann::json;
using testing::at;
using testing::samples_of;

const Calendar& paris() {
  static const Calendar c = *Calendar::in_zone("Europe/Paris");
  return c;
}

WeekBaseline baseline(const char* monday_utc) {
  WeekBaseline b;
  b.week_start = at(monday_utc);
  b.week_end = paris().next(b.week_start, Period::kWeek);
  return b;
}

TEST(ChooseChallenge, FromTheUsualWeek) {
  WeekBaseline b = baseline("2024-11-03T23:00:00Z");                // Monday 4 November 00:00
  EXPECT_FALSE(choose_challenge(b, paris(), TariffOption::kBase));  // no baseline yet
  b.usual_kwh = 109.04;
  b.usual_weeks = 4;
  auto plan = choose_challenge(b, paris(), TariffOption::kBase);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->kind, ChallengeKind::kWeekLess10);
  EXPECT_EQ(plan->week_start, b.week_start);
  EXPECT_EQ(plan->params,
            (json{{"percent", 10.0}, {"usual_kwh", 109.0}, {"goal_kwh", 98.1}, {"weeks", 4}}));
  EXPECT_EQ(plan_message(plan->kind, plan->params),
            "Use 10 % less than your usual week: at most 98.1 kWh instead of 109.0 kWh");
}

TEST(ChooseChallenge, ApplicableKindsTakeTurnsWeekAfterWeek) {
  WeekBaseline b = baseline("2024-11-03T23:00:00Z");
  b.usual_kwh = 100;
  b.last_week_w = 160;
  b.usual_offpeak_share = 0.3;
  std::set<ChallengeKind> seen;
  for (int week = 0; week < 3; ++week) {
    WeekBaseline w = b;
    w.week_start = paris().floor(b.week_start + week * 7 * kDayMs + kHourMs, Period::kWeek);
    w.week_end = paris().next(w.week_start, Period::kWeek);
    auto plan = choose_challenge(w, paris(), TariffOption::kHpHc);
    ASSERT_TRUE(plan);
    seen.insert(plan->kind);
    if (plan->kind == ChallengeKind::kBaseloadLess20w) {
      EXPECT_EQ(plan->params, (json{{"watts", 20.0}, {"usual_w", 160.0}, {"goal_w", 140.0}}));
    }
    if (plan->kind == ChallengeKind::kPeakToOffpeak) {
      EXPECT_EQ(plan->params, (json{{"points", 5.0}, {"usual_share", 0.3}, {"goal_share", 0.35}}));
    }
  }
  EXPECT_EQ(seen.size(), 3u);
  // On Base there is no off-peak to move to; under 60 W there is no 20 W to cut.
  b.last_week_w = 55;
  for (int week = 0; week < 3; ++week) {
    WeekBaseline w = b;
    w.week_start = paris().floor(b.week_start + week * 7 * kDayMs + kHourMs, Period::kWeek);
    EXPECT_EQ(choose_challenge(w, paris(), TariffOption::kBase)->kind, ChallengeKind::kWeekLess10);
  }
}

ChallengePlan less_10(TimeMs ws, double usual, double goal) {
  return {ChallengeKind::kWeekLess10,
          ws,
          paris().next(ws, Period::kWeek),
          {{"percent", 10}, {"usual_kwh", usual}, {"goal_kwh", goal}, {"weeks", 4}}};
}

TEST(ChallengeProgress, ProjectsThePaceSoFar) {
  const TimeMs ws = at("2024-11-03T23:00:00Z");
  const ChallengePlan plan = less_10(ws, 109, 98.1);
  WeekMeasure m;
  m.kwh = 41.2;  // after 3 days of 7
  ChallengeProgress p = challenge_progress(plan, m, ws + 3 * kDayMs);
  EXPECT_DOUBLE_EQ(*p.projection_kwh, 96.1);  // 41.2 × 7 / 3 = 96.13
  EXPECT_EQ(p.status, "on_track");
  m.kwh = 50;
  EXPECT_EQ(challenge_progress(plan, m, ws + 3 * kDayMs).status, "at_risk");  // 116.7
  m.kwh = 99;
  EXPECT_EQ(challenge_progress(plan, m, ws + 3 * kDayMs).status, "lost");
  // Before a whole day, the rest of the week is taken as usual: 10 + 109 × 156 / 168.
  m.kwh = 10;
  p = challenge_progress(plan, m, ws + 12 * kHourMs);
  EXPECT_DOUBLE_EQ(*p.projection_kwh, 111.2);
  EXPECT_EQ(p.status, "at_risk");
}

TEST(ChallengeProgress, ADstWeekHas169Hours) {
  const TimeMs ws = at("2024-10-20T22:00:00Z");  // Monday 21 October 00:00 CEST
  const ChallengePlan plan = less_10(ws, 110, 99);
  EXPECT_EQ(plan.week_end - plan.week_start, 169 * kHourMs);  // clocks went back on the 27th
  WeekMeasure m;
  m.kwh = 50;
  const ChallengeProgress p = challenge_progress(plan, m, ws + 84 * kHourMs + 30 * kMinuteMs);
  EXPECT_DOUBLE_EQ(*p.projection_kwh, 100);  // half of 169 h gone, half of the energy
}

TEST(ChallengeProgress, BaseloadAndOffpeakKinds) {
  const TimeMs ws = at("2024-11-03T23:00:00Z");
  const ChallengePlan bl{ChallengeKind::kBaseloadLess20w,
                         ws,
                         ws + 7 * kDayMs,
                         {{"watts", 20}, {"usual_w", 160}, {"goal_w", 140}}};
  WeekMeasure m;
  EXPECT_EQ(challenge_progress(bl, m, ws + kDayMs).status, "no_data");
  m.baseload_w = 138;
  ChallengeProgress p = challenge_progress(bl, m, ws + 3 * kDayMs);
  EXPECT_EQ(p.status, "on_track");
  EXPECT_EQ(p.params["so_far_w"], 138.0);
  m.baseload_w = 141;
  EXPECT_EQ(challenge_progress(bl, m, ws + 3 * kDayMs).status, "at_risk");
  const ChallengePlan off{ChallengeKind::kPeakToOffpeak,
                          ws,
                          ws + 7 * kDayMs,
                          {{"points", 5}, {"usual_share", 0.3}, {"goal_share", 0.35}}};
  m.offpeak_share = 0.351;
  EXPECT_EQ(challenge_progress(off, m, ws + 3 * kDayMs).status, "on_track");
  m.offpeak_share = 0.34;
  EXPECT_EQ(challenge_progress(off, m, ws + 3 * kDayMs).status, "at_risk");
}

TEST(JudgeWeek, WeekLessTenExplainsTheSaving) {
  const TimeMs ws = at("2024-11-03T23:00:00Z");
  WeekMeasure m;
  m.kwh = 96.6;
  m.coverage = 1;
  m.mean_price = 251600;  // µ€/kWh
  m.baseload_w = 140;
  const ChallengeResult r = judge_week(less_10(ws, 109, 98.1), m);
  EXPECT_EQ(r.result, "won");
  EXPECT_DOUBLE_EQ(r.outcome["saved_kwh"].get<double>(), 12.4);
  // 12.4 kWh × 0.2516 €/kWh = 3.11984 €.
  EXPECT_EQ(r.outcome["saved"]["micros"], 3119840);
  EXPECT_EQ(r.outcome["baseload_w"], 140.0);
  EXPECT_EQ(result_message(ChallengeKind::kWeekLess10, r.result, r.outcome),
            "You used 12.4 kWh less than your usual week, saving 3.12 €");
  m.kwh = 99;
  const ChallengeResult lost = judge_week(less_10(ws, 109, 98.1), m);
  EXPECT_EQ(lost.result, "lost");
  m.kwh = 111.5;
  m.mean_price.reset();  // no price: the saving is not invented
  const ChallengeResult more = judge_week(less_10(ws, 109, 98.1), m);
  EXPECT_TRUE(more.outcome["saved"].is_null());
  EXPECT_EQ(result_message(ChallengeKind::kWeekLess10, more.result, more.outcome),
            "You used 2.5 kWh more than your usual week");
}

TEST(JudgeWeek, AWeekWithTooLittleDataIsVoid) {
  WeekMeasure m;
  m.kwh = 20;
  m.coverage = 0.79;
  const ChallengeResult r = judge_week(less_10(at("2024-11-03T23:00:00Z"), 109, 98.1), m);
  EXPECT_EQ(r.result, "void");
  EXPECT_EQ(r.outcome["reason"], "missing_data");
  EXPECT_EQ(result_message(ChallengeKind::kWeekLess10, r.result, r.outcome),
            "Not enough data this week to judge the challenge (79 % of the week measured)");
}

TEST(JudgeWeek, BaseloadAndOffpeak) {
  const TimeMs ws = at("2024-11-03T23:00:00Z");
  const ChallengePlan bl{ChallengeKind::kBaseloadLess20w,
                         ws,
                         ws + 168 * kHourMs,
                         {{"watts", 20}, {"usual_w", 160}, {"goal_w", 140}}};
  WeekMeasure m;
  m.coverage = 1;
  m.kwh = 80;
  m.cheapest_price = 251600;
  EXPECT_EQ(judge_week(bl, m).outcome["reason"], "missing_nights");
  m.baseload_w = 137;
  ChallengeResult r = judge_week(bl, m);
  EXPECT_EQ(r.result, "won");
  EXPECT_EQ(r.outcome["saved_w"], 23.0);
  EXPECT_DOUBLE_EQ(r.outcome["saved_kwh"].get<double>(), 3.9);  // 23 W × 168 h = 3.864 kWh
  EXPECT_EQ(r.outcome["saved"]["micros"], 972182);              // × 0.2516
  EXPECT_EQ(r.outcome["saved_year"]["micros"], 50727089);       // 23 W × 8766 h × 0.2516
  EXPECT_EQ(result_message(ChallengeKind::kBaseloadLess20w, r.result, r.outcome),
            "You lowered your always-on power by 23 W: 3.9 kWh less this week, worth 50.73 € a "
            "year");

  const ChallengePlan off{ChallengeKind::kPeakToOffpeak,
                          ws,
                          ws + 168 * kHourMs,
                          {{"points", 5}, {"usual_share", 0.3}, {"goal_share", 0.35}}};
  m.kwh = 100;
  m.offpeak_share = 0.36;
  m.peak = PeakPrices{270000, 206800};
  r = judge_week(off, m);
  EXPECT_EQ(r.result, "won");
  EXPECT_DOUBLE_EQ(r.outcome["moved_kwh"].get<double>(), 6);
  EXPECT_EQ(r.outcome["saved"]["micros"], 379200);  // 6 kWh × (0.2700 - 0.2068) €
}

Household base_6kva() {
  auto tariff = resolve(TariffSettings{}, builtin_catalogue());
  EXPECT_TRUE(tariff.is_ok());
  return Household{TariffSettings{}, *tariff, builtin_tempo()};
}

class ChallengeStore : public testing::StoreTest {};

TEST_F(ChallengeStore, BaselineIsTheMeanOfTheLastFourWholeWeeksAcrossDst) {
  // 600 W from Monday 7 October to Monday 4 November 2024: the week of 21 October lasts 169 h.
  commit(samples_of(at("2024-10-06T22:00:00Z"), at("2024-11-03T23:00:00Z"), kMinuteMs,
                    [](TimeMs) { return 600.0; }));
  auto b = week_baseline(*store_, calendar_, base_6kva(), sensor_, at("2024-11-05T10:00:00Z"));
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  EXPECT_EQ(b->week_start, at("2024-11-03T23:00:00Z"));
  EXPECT_EQ(b->usual_weeks, 4);
  // (100.8 + 100.8 + 101.4 + 100.8) / 4 kWh.
  EXPECT_NEAR(*b->usual_kwh, 100.95, 1e-9);
  EXPECT_EQ(b->last_week_w.value_or(-1), 600);
  EXPECT_FALSE(b->usual_offpeak_share);  // Base: no off-peak hours
}

TEST_F(ChallengeStore, AWeekMostlyMissingIsLeftOutOfTheUsualWeek) {
  // The week of 14 October has only Monday to Wednesday: 3 days of 7, left out.
  const auto gap = [](TimeMs t) {
    return t > at("2024-10-16T22:00:00Z") && t < at("2024-10-20T22:00:00Z");
  };
  commit(samples_of(
      at("2024-10-06T22:00:00Z"), at("2024-11-03T23:00:00Z"), kMinuteMs,
      [](TimeMs) { return 600.0; }, gap));
  auto b = week_baseline(*store_, calendar_, base_6kva(), sensor_, at("2024-11-03T23:00:00Z"));
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(b->usual_weeks, 3);
  EXPECT_NEAR(*b->usual_kwh, (100.8 + 101.4 + 100.8) / 3, 1e-9);
}

TEST_F(ChallengeStore, NoDataNoChallenge) {
  auto b = week_baseline(*store_, calendar_, base_6kva(), sensor_, at("2024-11-03T23:00:00Z"));
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(b->usual_weeks, 0);
  EXPECT_FALSE(b->usual_kwh);
  EXPECT_FALSE(b->last_week_w);
  EXPECT_FALSE(choose_challenge(*b, calendar_, TariffOption::kHpHc));
  auto m = measure_week(*store_, calendar_, base_6kva(), sensor_, b->week_start,
                        b->week_start + 2 * kDayMs);
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(m->kwh, 0);
  EXPECT_EQ(m->coverage, 0);
  EXPECT_FALSE(m->baseload_w);
  EXPECT_FALSE(m->mean_price);
}

TEST_F(ChallengeStore, MeasureWeekSoFar) {
  const TimeMs ws = at("2024-11-03T23:00:00Z");
  commit(samples_of(ws, ws + 3 * kDayMs, kMinuteMs, [](TimeMs) { return 500.0; }));
  auto m = measure_week(*store_, calendar_, base_6kva(), sensor_, ws, ws + 3 * kDayMs);
  ASSERT_TRUE(m.is_ok());
  EXPECT_NEAR(m->kwh, 36, 1e-9);  // 500 W × 72 h
  EXPECT_NEAR(m->coverage, 1, 1e-9);
  EXPECT_EQ(m->nights, 3);
  EXPECT_EQ(m->baseload_w.value_or(-1), 500);
  EXPECT_NEAR(*m->mean_price, 251600, 1e-6);  // Base in November 2024
  EXPECT_EQ(m->cheapest_price.value_or(0), 251600);
}

}  // namespace
}  // namespace cw::analytics
