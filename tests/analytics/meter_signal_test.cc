// A Linky's status as the insights read it: the overload alert and the Tempo colours it
// announces, recorded into the household's own calendar (a real SQLite file, a real data folder).
#include "analytics/meter_signal.h"

#include <gtest/gtest.h>

#include "analytics/alert_rules.h"
#include "analytics/tariff_settings.h"
#include "fixture.h"

namespace cw::analytics {
namespace {

using Action = AlertDecision::Action;
using testing::at;

std::string status(bool overload, const char* period, const char* tomorrow) {
  nlohmann::json j = {{"mode", "historique"},
                      {"period", period},
                      {"overload", overload},
                      {"subscribed_kva", 9},
                      {"apparent_va", 9200}};
  j["tomorrow"] = *tomorrow ? nlohmann::json(tomorrow) : nlohmann::json(nullptr);
  return j.dump();
}

TEST(MeterSignal, ParsesTheTicStatusAndRefusesOthers) {
  auto m = parse_meter_signal(status(true, "tempo_red_hp", "white"), 42);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->overload);
  EXPECT_EQ(m->subscribed_kva, 9);
  EXPECT_EQ(m->period, "tempo_red_hp");
  EXPECT_EQ(m->tomorrow, "white");
  EXPECT_EQ(m->t, 42);
  EXPECT_FALSE(parse_meter_signal(R"({"power": 3})", 1));  // an MQTT device's
  EXPECT_FALSE(parse_meter_signal("{not json", 1));
  EXPECT_FALSE(parse_meter_signal(R"({"overload": "yes"})", 1));
}

TEST(MeterSignal, TheColourDayRunsFromSixToSix) {
  const Calendar paris = *Calendar::in_zone("Europe/Paris");
  const LocalDay dec3 = *parse_local_day("2026-12-03");
  // 05:30 local on the 4th: still the colour day of the 3rd; DEMAIN names the 4th's.
  MeterSignal early{at("2026-12-04T04:30:00Z"), false, 9, "tempo_white_hc", "red"};
  EXPECT_EQ(tempo_days_of(early, paris),
            (TempoDays{{dec3, TempoColour::kWhite}, {dec3 + 1, TempoColour::kRed}}));
  // 07:00 local: the 4th's colour day, tomorrow not announced yet.
  MeterSignal morning{at("2026-12-04T06:00:00Z"), false, 9, "tempo_red_hp", ""};
  EXPECT_EQ(tempo_days_of(morning, paris), (TempoDays{{dec3 + 1, TempoColour::kRed}}));
  MeterSignal hphc{at("2026-12-04T06:00:00Z"), false, 9, "hp", ""};
  EXPECT_TRUE(tempo_days_of(hphc, paris).empty());
}

TEST(MeterOverload, OpensOnAFreshFlagAndClosesFiveMinutesAfterItIsGone) {
  const AlertOptions o;
  const TimeMs t0 = at("2026-12-04T18:00:00Z");
  MeterSignal m{t0, true, 9, "hp", ""};
  EXPECT_EQ(meter_overload(3, m, t0 + 3 * kMinuteMs, o, nullptr).action, Action::kNone);  // stale
  AlertDecision open = meter_overload(3, m, t0 + 10 * kSecondMs, o, nullptr);
  ASSERT_EQ(open.action, Action::kOpen);
  EXPECT_EQ(open.params["kva"], 9);
  ActiveAlert active{open.params, open.memo};
  m.t = t0 + kMinuteMs;  // still overloaded a minute later
  AlertDecision again = meter_overload(3, m, m.t, o, &active);
  ASSERT_EQ(again.action, Action::kUpdate);
  active.memo = again.memo;
  m = {t0 + 2 * kMinuteMs, false, 9, "hp", ""};  // the flag is gone
  EXPECT_EQ(meter_overload(3, m, t0 + 5 * kMinuteMs, o, &active).action, Action::kNone);
  EXPECT_EQ(meter_overload(3, m, t0 + 6 * kMinuteMs, o, &active).action, Action::kClose);
}

class MeterColoursTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    inputs_ = std::move(*store::open_sqlite_inputs((dir_ / "cw.db").string()));
  }
  void TearDown() override {
    inputs_.reset();
    StoreTest::TearDown();
  }
  std::unique_ptr<store::InputStore> inputs_;
};

TEST_F(MeterColoursTest, AnnouncedColoursReachTheHouseholdsCalendarOnce) {
  const std::string data = dir_.string();
  const TimeMs evening = at("2026-12-04T19:00:00Z");  // 20:00 local, the 4th
  ASSERT_TRUE(
      inputs_->set_meter_status(sensor_, status(false, "tempo_blue_hp", "red"), evening).is_ok());
  std::map<LocalDay, TempoColour> known;
  auto n = record_meter_colours(*store_, *inputs_, calendar_, data, known);
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_EQ(*n, 2u);
  auto tempo = load_tempo(data);
  ASSERT_TRUE(tempo.is_ok());
  const LocalDay dec4 = *parse_local_day("2026-12-04");
  EXPECT_EQ(tempo->colour(dec4), TempoColour::kBlue);
  EXPECT_EQ(tempo->colour(dec4 + 1), TempoColour::kRed);
  // The same status again writes nothing; a meter that changes its mind is heard.
  EXPECT_EQ(*record_meter_colours(*store_, *inputs_, calendar_, data, known), 0u);
  ASSERT_TRUE(
      inputs_->set_meter_status(sensor_, status(false, "tempo_blue_hp", "white"), evening).is_ok());
  EXPECT_EQ(*record_meter_colours(*store_, *inputs_, calendar_, data, known), 1u);
  EXPECT_EQ(load_tempo(data)->colour(dec4 + 1), TempoColour::kWhite);
}

}  // namespace
}  // namespace cw::analytics
