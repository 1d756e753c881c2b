// Streaks, badges, and the ledger that begins and settles weeks: idempotent across runs and
// restarts.
#include "analytics/challenge_ledger.h"

#include <gtest/gtest.h>

#include "fixture.h"
#include "insight_data.h"

namespace cw::analytics {
namespace {

using testing::at;
using testing::samples_of;

constexpr TimeMs kWeek = 7 * kDayMs;

// A settled week k (weeks counted from an arbitrary Monday in UTC: the pure functions only
// look at the edges).
store::ChallengeRecord week(int k, const char* result, std::optional<double> baseload_w = {}) {
  store::ChallengeRecord c;
  c.sensor = 1;
  c.week_start = k * kWeek;
  c.week_end = (k + 1) * kWeek;
  c.kind = "week_less_10";
  c.settled = true;
  c.result = result;
  nlohmann::json o = {{"actual_kwh", 90}};
  if (baseload_w) o["baseload_w"] = *baseload_w;
  c.outcome = o.dump();
  return c;
}

TEST(Streak, CountsWeeksWonInARow) {
  EXPECT_EQ(streak({}), 0);
  EXPECT_EQ(streak({week(5, "won"), week(4, "won"), week(3, "lost"), week(2, "won")}), 2);
  // A void week (too little data) neither breaks nor extends it.
  EXPECT_EQ(streak({week(5, "won"), week(4, "void"), week(3, "won"), week(2, "lost")}), 2);
  // A week without a challenge (the base was off) breaks it.
  EXPECT_EQ(streak({week(5, "won"), week(3, "won"), week(2, "won")}), 1);
  EXPECT_EQ(streak({week(5, "lost"), week(4, "won")}), 0);
  // This week, not settled yet, does not count either way.
  store::ChallengeRecord now = week(6, "");
  now.settled = false;
  EXPECT_EQ(streak({now, week(5, "won"), week(4, "won")}), 2);
}

TEST(Badges, EarnedOnceFromTheHistory) {
  std::vector<store::ChallengeRecord> h = {week(1, "lost", 200)};
  EXPECT_TRUE(new_badges(h, {}, 1, 9).empty());
  h.insert(h.begin(), week(2, "won", 190));
  auto b = new_badges(h, {}, 1, 9);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].id, kBadgeFirstWin);
  EXPECT_EQ(b[0].earned, 9);
  EXPECT_TRUE(new_badges(h, b, 1, 10).empty());  // already held
  h.insert(h.begin(), week(3, "won", 170));
  h.insert(h.begin(), week(4, "won", 150));  // 3 in a row, and 50 W under the first week
  std::set<std::string> ids;
  for (const auto& x : new_badges(h, b, 1, 11)) ids.insert(x.id);
  EXPECT_EQ(ids, (std::set<std::string>{kBadgeStreak3, kBadgeBaseloadDown50}));
  std::vector<store::ChallengeRecord> ten;
  for (int k = 20; k > 10; --k) ten.push_back(week(k, "won"));
  ids.clear();
  for (const auto& x : new_badges(ten, {}, 1, 11)) ids.insert(x.id);
  EXPECT_EQ(ids, (std::set<std::string>{kBadgeFirstWin, kBadgeStreak3, kBadgeStreak10}));
}

class LedgerTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto i = store::open_sqlite_insights((dir_ / "cw.db").string());
    ASSERT_TRUE(i.is_ok()) << i.status().to_string();
    insights_ = std::move(*i);
  }
  void TearDown() override {
    insights_.reset();
    StoreTest::TearDown();
  }
  std::unique_ptr<store::InsightStore> insights_;
};

TEST_F(LedgerTest, BeginsSettlesAndNeverDoublesABadge) {
  // Four weeks at 600 W (the baseline), then the week of 4 November 2024 at 480 W.
  const TimeMs w0 = at("2024-10-06T22:00:00Z"), w4 = at("2024-11-03T23:00:00Z");
  const TimeMs w5 = w4 + kWeek;
  commit(samples_of(w0, w5, kMinuteMs, [&](TimeMs t) { return t <= w4 ? 600.0 : 480.0; }));
  ChallengeLedger ledger(*store_, *insights_, calendar_, "");
  auto pass = ledger.run(w4 + 2 * kDayMs);
  ASSERT_TRUE(pass.is_ok()) << pass.status().to_string();
  EXPECT_EQ(pass->begun, 1);
  EXPECT_EQ(pass->settled, 0);
  EXPECT_TRUE(pass->problem.is_ok()) << pass->problem.to_string();
  EXPECT_EQ(ledger.run(w4 + 3 * kDayMs)->begun, 0);  // the week has its plan already
  auto recs = insights_->challenges(sensor_, 10);
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ(recs->front().week_start, w4);
  EXPECT_FALSE(recs->front().settled);

  // The week ended: not settled at once (late frames), then settled, then never again.
  pass = ledger.run(w5 + kMinuteMs);
  EXPECT_EQ(pass->settled, 0);
  EXPECT_EQ(pass->begun, 1);  // the new week begins at once (its baseline: the 4 weeks before)
  pass = ledger.run(w5 + ChallengeLedger::kSettleDelayMs);
  ASSERT_TRUE(pass.is_ok());
  EXPECT_EQ(pass->settled, 1);
  ASSERT_EQ(pass->awarded.size(), 1u);
  EXPECT_EQ(pass->awarded[0].id, kBadgeFirstWin);
  EXPECT_EQ(pass->awarded[0].earned, w5);
  EXPECT_EQ(pass->begun, 0);
  recs = insights_->challenges(sensor_, 10);
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_TRUE((*recs)[1].settled);
  EXPECT_EQ((*recs)[1].result, "won");
  // Either kind was won: 80.6 kWh against a goal of 90.7, or 480 W against 580 W.
  EXPECT_EQ(ledger.run(w5 + kHourMs)->settled, 0);
  // A restart (a ledger with no memory) settles nothing twice and earns nothing twice.
  ChallengeLedger again(*store_, *insights_, calendar_, "");
  pass = again.run(w5 + 2 * kHourMs);
  EXPECT_EQ(pass->settled, 0);
  EXPECT_TRUE(pass->awarded.empty());
  EXPECT_EQ(insights_->badges(sensor_)->size(), 1u);
}

TEST_F(LedgerTest, AMonthUnderTheTargetEarnsItsBadgeOnce) {
  // April 2024 at 100 W: 72 kWh, under a 100 kWh target set in March.
  commit(samples_of(at("2024-03-31T22:00:00Z"), at("2024-04-30T22:00:00Z"), kMinuteMs,
                    [](TimeMs) { return 100.0; }));
  ASSERT_TRUE(
      insights_->set_target(store::Target{"kwh", 100000000, at("2024-03-20T00:00:00Z")}).is_ok());
  ChallengeLedger ledger(*store_, *insights_, calendar_, "");
  auto pass = ledger.run(at("2024-05-01T08:00:00Z"));
  ASSERT_TRUE(pass.is_ok());
  ASSERT_EQ(pass->awarded.size(), 1u);
  EXPECT_EQ(pass->awarded[0].id, kBadgeMonthUnderTarget);
  EXPECT_EQ(pass->awarded[0].earned, at("2024-04-30T22:00:00Z"));
  ChallengeLedger again(*store_, *insights_, calendar_, "");
  EXPECT_TRUE(again.run(at("2024-05-01T09:00:00Z"))->awarded.empty());
  EXPECT_EQ(insights_->badges(sensor_)->size(), 1u);
}

TEST_F(LedgerTest, ATargetAboveTheMonthOrSetAfterItEarnsNothing) {
  commit(samples_of(at("2024-03-31T22:00:00Z"), at("2024-04-30T22:00:00Z"), kMinuteMs,
                    [](TimeMs) { return 100.0; }));
  ASSERT_TRUE(insights_->set_target(store::Target{"kwh", 70000000, 0}).is_ok());  // 72 > 70
  EXPECT_TRUE(ChallengeLedger(*store_, *insights_, calendar_, "")
                  .run(at("2024-05-01T08:00:00Z"))
                  ->awarded.empty());
  ASSERT_TRUE(
      insights_->set_target(store::Target{"kwh", 100000000, at("2024-05-01T07:00:00Z")}).is_ok());
  EXPECT_TRUE(ChallengeLedger(*store_, *insights_, calendar_, "")
                  .run(at("2024-05-01T08:00:00Z"))
                  ->awarded.empty());
}

}  // namespace
}  // namespace cw::analytics
