// The insight tables: alert states and their one-per-episode rule, the target, challenges and
// badges, all-or-nothing writes, survival across a restart, the migration from version 1.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/insights.h"
#include "store/store.h"
#include "store_test_util.h"

namespace cw::store {
namespace {

class InsightStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open() {
    insights_.reset();
    store_.reset();
    auto s = open_sqlite_store(dir_.file("cw.db"), Calendar::utc());
    ASSERT_TRUE(s.is_ok()) << s.status().to_string();
    store_ = std::move(*s);
    auto i = open_sqlite_insights(dir_.file("cw.db"));
    ASSERT_TRUE(i.is_ok()) << i.status().to_string();
    insights_ = std::move(*i);
  }
  static AlertRecord alert(const char* kind, SensorId sensor, TimeMs opened) {
    AlertRecord a;
    a.kind = kind;
    a.sensor = sensor;
    a.opened = opened;
    a.params = R"({"sensor":1})";
    return a;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<InsightStore> insights_;
};

TEST_F(InsightStoreTest, OneActiveAlertPerKindAndSensorAndAllOrNothing) {
  AlertChanges c;
  c.opened = {alert("sensor_silent", 1, 100), alert("battery_low", 1, 100)};
  ASSERT_TRUE(insights_->apply(c).is_ok());
  auto active = insights_->active_alerts();
  ASSERT_TRUE(active.is_ok());
  ASSERT_EQ(active->size(), 2u);
  // A second silent alert of sensor 1 while the first is open is refused, and the other alert
  // of the same change (sensor 2) is not written either.
  AlertChanges again;
  again.opened = {alert("sensor_silent", 2, 200), alert("sensor_silent", 1, 200)};
  EXPECT_EQ(insights_->apply(again).code(), Code::kAlreadyExists);
  EXPECT_EQ(insights_->active_alerts()->size(), 2u);
  // Once closed, a new episode may open.
  AlertChanges close;
  close.closed = {{active->front().id, 300}};
  ASSERT_TRUE(insights_->apply(close).is_ok());
  AlertChanges next;
  next.opened = {alert("sensor_silent", 1, 400)};
  EXPECT_TRUE(insights_->apply(next).is_ok());
  AlertQuery all;
  all.closed = true;
  EXPECT_EQ(insights_->alerts(all)->size(), 3u);
}

TEST_F(InsightStoreTest, AcknowledgeOnlyAnOpenAlertAndKeepItUntilItCloses) {
  AlertChanges c;
  c.opened = {alert("battery_low", 1, 100)};
  ASSERT_TRUE(insights_->apply(c).is_ok());
  const std::int64_t id = insights_->active_alerts()->front().id;
  auto ack = insights_->acknowledge(id, 150);
  ASSERT_TRUE(ack.is_ok());
  EXPECT_TRUE(ack->was_open);
  EXPECT_EQ(ack->alert.state, AlertState::kAcknowledged);
  EXPECT_EQ(ack->alert.acknowledged, 150);
  ack = insights_->acknowledge(id, 160);
  EXPECT_FALSE(ack->was_open);
  EXPECT_EQ(ack->alert.acknowledged, 150);  // unchanged
  // The rule's updates change params and memo, never the state.
  AlertChanges upd;
  upd.updated = {alert("battery_low", 1, 0)};
  upd.updated[0].id = id;
  upd.updated[0].params = R"({"supply_mv":2400})";
  upd.updated[0].memo = R"({"fine_from":7})";
  ASSERT_TRUE(insights_->apply(upd).is_ok());
  auto a = insights_->alert(id);
  EXPECT_EQ(a->state, AlertState::kAcknowledged);
  EXPECT_EQ(a->params, R"({"supply_mv":2400})");
  EXPECT_EQ(a->memo, R"({"fine_from":7})");
  AlertChanges close;
  close.closed = {{id, 200}};
  ASSERT_TRUE(insights_->apply(close).is_ok());
  a = insights_->alert(id);
  EXPECT_EQ(a->state, AlertState::kClosed);
  EXPECT_EQ(a->closed, 200);
  EXPECT_FALSE(insights_->acknowledge(id, 210)->was_open);
  EXPECT_EQ(insights_->acknowledge(999, 210).status().code(), Code::kNotFound);
  // Closing twice keeps the first time.
  close.closed = {{id, 500}};
  ASSERT_TRUE(insights_->apply(close).is_ok());
  EXPECT_EQ(insights_->alert(id)->closed, 200);
}

TEST_F(InsightStoreTest, QueriesAreNewestFirstByState) {
  AlertChanges c;
  c.opened = {alert("a", 1, 100), alert("b", 1, 300), alert("c", 1, 200)};
  ASSERT_TRUE(insights_->apply(c).is_ok());
  auto list = insights_->alerts(AlertQuery{});
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].kind, "b");
  EXPECT_EQ((*list)[1].kind, "c");
  EXPECT_EQ((*list)[2].kind, "a");
  ASSERT_TRUE(insights_->acknowledge((*list)[0].id, 400).is_ok());
  AlertQuery q{false, true, false, 100};
  ASSERT_EQ(insights_->alerts(q)->size(), 1u);
  q = {true, false, false, 1};
  list = insights_->alerts(q);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].kind, "c");
  q = {false, false, false, 10};
  EXPECT_TRUE(insights_->alerts(q)->empty());
}

TEST_F(InsightStoreTest, EverythingSurvivesARestart) {
  AlertChanges c;
  c.opened = {alert("sensor_silent", 1, 100)};
  ASSERT_TRUE(insights_->apply(c).is_ok());
  const std::int64_t id = insights_->active_alerts()->front().id;
  ASSERT_TRUE(insights_->acknowledge(id, 150).is_ok());
  ASSERT_TRUE(insights_->set_target(Target{"eur", 45000000, 120}).is_ok());
  ChallengeRecord w{1, 0, 7 * kDayMs, "week_less_10", R"({"goal_kwh":90})"};
  ASSERT_TRUE(*insights_->begin_challenge(w));
  w.result = "won";
  w.outcome = R"({"saved_kwh":12.4})";
  w.settled_at = 8 * kDayMs;
  ASSERT_TRUE(*insights_->settle_challenge(w, {{1, "first_win", 7 * kDayMs}}));
  open();  // a restart
  auto a = insights_->alert(id);
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(a->state, AlertState::kAcknowledged);
  EXPECT_EQ(a->acknowledged, 150);
  auto t = insights_->target();
  ASSERT_TRUE(t.is_ok() && t->has_value());
  EXPECT_EQ((*t)->unit, "eur");
  EXPECT_EQ((*t)->amount_micros, 45000000);
  auto recs = insights_->challenges(1, 10);
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_TRUE(recs->front().settled);
  EXPECT_EQ(recs->front().result, "won");
  EXPECT_EQ(recs->front().outcome, R"({"saved_kwh":12.4})");
  EXPECT_EQ(recs->front().plan, R"({"goal_kwh":90})");
  auto badges = insights_->badges(1);
  ASSERT_EQ(badges->size(), 1u);
  EXPECT_EQ(badges->front().id, "first_win");
  ASSERT_TRUE(insights_->set_target(std::nullopt).is_ok());
  open();
  EXPECT_FALSE(insights_->target()->has_value());
}

TEST_F(InsightStoreTest, AWeekIsBegunAndSettledOnceAndABadgeEarnedOnce) {
  ChallengeRecord w{1, 0, 7 * kDayMs, "week_less_10", "{}"};
  EXPECT_TRUE(*insights_->begin_challenge(w));
  w.kind = "baseload_less_20w";
  EXPECT_FALSE(*insights_->begin_challenge(w));  // the week keeps its first plan
  EXPECT_EQ(insights_->challenges(1, 10)->front().kind, "week_less_10");
  w.result = "won";
  EXPECT_TRUE(*insights_->settle_challenge(w, {{1, "first_win", 100}}));
  w.result = "lost";
  EXPECT_FALSE(*insights_->settle_challenge(w, {{1, "streak_3", 200}}));
  EXPECT_EQ(insights_->challenges(1, 10)->front().result, "won");
  EXPECT_EQ(insights_->badges(1)->size(), 1u);  // the refused settlement awarded nothing
  ASSERT_TRUE(insights_->award({{1, "first_win", 999}, {1, "month_under_target", 300}}).is_ok());
  auto b = insights_->badges(1);
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ(b->front().id, "first_win");
  EXPECT_EQ(b->front().earned, 100);  // earned once, when first earned
  EXPECT_TRUE(insights_->badges(2)->empty());
}

TEST_F(InsightStoreTest, RemovingASensorRemovesItsInsights) {
  auto s = store_->add_sensor({.name = "x"});
  ASSERT_TRUE(s.is_ok());
  AlertChanges c;
  c.opened = {alert("sensor_silent", s->id, 100), alert("target_at_risk", 0, 100)};
  ASSERT_TRUE(insights_->apply(c).is_ok());
  ASSERT_TRUE(*insights_->begin_challenge({s->id, 0, kDayMs, "week_less_10", "{}"}));
  ASSERT_TRUE(insights_->award({{s->id, "first_win", 1}}).is_ok());
  ASSERT_TRUE(store_->remove_sensor(s->id).is_ok());
  auto left = insights_->active_alerts();
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().kind, "target_at_risk");  // the household's stays
  EXPECT_TRUE(insights_->challenges(s->id, 10)->empty());
  EXPECT_TRUE(insights_->badges(s->id)->empty());
}

TEST_F(InsightStoreTest, AVersionOneFileIsMigratedWithItsData) {
  auto s = store_->add_sensor({.name = "old"});
  ASSERT_TRUE(s.is_ok());
  insights_.reset();
  store_.reset();
  // Make the file what version 1 wrote: no insight tables.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.file("cw.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TABLE insight_alert; DROP TABLE insight_target; "
                         "DROP TABLE insight_challenge; DROP TABLE insight_badge; "
                         "PRAGMA user_version = 1;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(open_sqlite_insights(dir_.file("cw.db")).status().code(), Code::kInvalidArgument);
  open();  // the store migrates it
  EXPECT_EQ(store_->sensors()->size(), 1u);
  EXPECT_TRUE(insights_->set_target(Target{"kwh", 1, 1}).is_ok());
}

TEST(InsightStoreOpen, RefusesAFileWithoutTheStore) {
  testing::TempDir dir;
  auto i = open_sqlite_insights(dir.file("nothing.db"));
  EXPECT_EQ(i.status().code(), Code::kInvalidArgument);
  EXPECT_NE(i.status().message().find("open the store first"), std::string::npos);
}

}  // namespace
}  // namespace cw::store
