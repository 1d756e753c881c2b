// Import parsers on files in the exact published formats (tests/ingest/data) and the import plan:
// exact energy from a load curve, registers from indexes, idempotent re-import, refused history.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ingest/import_plan.h"

namespace cw::ingest {
namespace {

std::string data(const std::string& name) {
  std::ifstream in(std::string(CW_SOURCE_DIR) + "/tests/ingest/data/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A store seen through StoredView: the samples a previous plan appended.
struct FakeStored {
  std::vector<Sample> samples;
  StoredView view() const {
    StoredView v;
    if (!samples.empty()) v.last = samples.back(), v.last_counter = samples.back().counter;
    v.at = [this](TimeMs t) -> std::optional<Sample> {
      for (const auto& s : samples)
        if (s.t == t) return s;
      return std::nullopt;
    };
    return v;
  }
};

TEST(ImportEnedis, LoadCurveAcrossTheSpringDstChangeGivesExactEnergy) {
  auto s = parse_enedis(data("enedis_load_curve.csv"));
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(s->meter, "09876543210987");
  EXPECT_EQ(s->interval_ms, 30 * kMinuteMs);
  EXPECT_EQ(s->rows.size(), 92u);  // 48 + 46 half hours (a 23-hour day), 2 gap rows
  EXPECT_EQ(s->skipped, 2u);
  // The local day of the DST change: 01:30+01:00 is followed by 03:00+02:00, 30 minutes later.
  for (std::size_t i = 1; i < s->rows.size(); ++i)
    if (s->rows[i].t - s->rows[i - 1].t != 30 * kMinuteMs)
      EXPECT_EQ(s->rows[i].t - s->rows[i - 1].t, 90 * kMinuteMs) << i;  // only around the gap
  auto plan = plan_import(*s, StoredView{});
  ASSERT_TRUE(plan.is_ok()) << plan.status().to_string();
  ASSERT_EQ(plan->samples.size(), 93u);  // plus the start of the first step
  EXPECT_EQ(plan->samples[0].t, s->rows[0].t - 30 * kMinuteMs);
  EXPECT_FALSE(plan->estimated);
  double want_wh = 0;
  for (const auto& r : s->rows) want_wh += *r.power_w * 0.5;
  EXPECT_NEAR(double(plan->samples.back().energy_wh), want_wh, 1.0);
  for (std::size_t i = 1; i < plan->samples.size(); ++i) {
    EXPECT_GT(plan->samples[i].t, plan->samples[i - 1].t);
    EXPECT_GE(plan->samples[i].energy_wh, plan->samples[i - 1].energy_wh);
    EXPECT_EQ(plan->samples[i].counter, plan->samples[i - 1].counter + 1);
  }
}

TEST(ImportEnedis, DailyIndexesGiveTheRegisterAndPerPeriodReadings) {
  auto s = parse_enedis(data("enedis_index.csv"));
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  ASSERT_EQ(s->rows.size(), 10u);
  EXPECT_EQ(s->rows[0].energy_wh, 4432429 + 9236697);
  ASSERT_EQ(s->registers.size(), 20u);
  EXPECT_EQ(s->registers[0].name, "EASF01");
  EXPECT_EQ(s->registers[0].period, "hc");
  EXPECT_EQ(s->registers[1].name, "EASF02");
  EXPECT_EQ(s->registers[1].period, "hp");
  auto plan = plan_import(*s, StoredView{});
  ASSERT_TRUE(plan.is_ok());
  ASSERT_EQ(plan->samples.size(), 10u);
  EXPECT_EQ(plan->samples[0].energy_wh, 4432429 + 9236697);  // the meter's index, as it is
  EXPECT_EQ(plan->samples[1].energy_wh - plan->samples[0].energy_wh, 11000);
  EXPECT_EQ(plan->samples[1].power_w, 11000 / 24);  // mean over the day before
}

TEST(ImportEnedis, OneTableLayoutInFrenchLocalTimeAcrossTheAutumnDstChange) {
  auto s = parse_enedis(data("enedis_one_table.csv"));
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(s->meter, "19125759625988");
  EXPECT_EQ(s->interval_ms, 30 * kMinuteMs);
  ASSERT_EQ(s->rows.size(), 14u);          // 02:00 and 02:30 happen twice: both kept, in order
  EXPECT_EQ(s->rows[0].t, 1698525000000);  // 2023-10-28 22:30 in Paris is 20:30Z
  for (std::size_t i = 1; i < s->rows.size(); ++i)
    EXPECT_EQ(s->rows[i].t - s->rows[i - 1].t, 30 * kMinuteMs) << i;
  EXPECT_DOUBLE_EQ(*s->rows[13].power_w, 430);
}

TEST(ImportEnedis, NotAnExportOrAPowerExportIsRefused) {
  EXPECT_FALSE(parse_enedis("a;b\n1;2\n").is_ok());
  EXPECT_FALSE(parse_enedis("Horodate;Valeur\n2024-01-01T00:30:00+01:00;abc\n").is_ok());
  auto s = parse_enedis(
      "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur "
      "metier;Etape metier;Unite\n1;Puissance maximale quotidienne;a;b;c;d;;\nHorodate;Valeur\n"
      "2020-03-30T00:00:00+02:00;5000\n");
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.status().message().find("Courbe de charge"), std::string::npos);
}

TEST(ImportEmoncms, FeedExportWithNullsIsIntegratedAsAnEstimate) {
  auto s = parse_emoncms_csv(data("emoncms_feed.csv"), PowerUnit::kAuto, Calendar::utc());
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(s->rows.size(), 59u);
  EXPECT_EQ(s->skipped, 1u);
  EXPECT_EQ(s->rows[0].t, 1711965600000);
  EXPECT_DOUBLE_EQ(*s->rows[1].power_w, 1510);
  auto plan = plan_import(*s, StoredView{});
  ASSERT_TRUE(plan.is_ok());
  EXPECT_TRUE(plan->estimated);
  // ~1520 W for 590 s (the 20 s around the null are a 20 s step, under the 120 s gap limit).
  EXPECT_NEAR(double(plan->samples.back().energy_wh), 1520.0 * 590 / 3600, 2.0);
  auto excel = parse_emoncms_csv("01/04/2024 12:00:00;1,5\n01/04/2024 12:00:10;2,5\n",
                                 PowerUnit::kKWh, *Calendar::in_zone("Europe/Paris"));
  ASSERT_TRUE(excel.is_ok()) << excel.status().to_string();
  EXPECT_EQ(excel->rows[0].t, 1711965600000);  // 12:00 in Paris is 10:00Z
  EXPECT_EQ(excel->rows[1].energy_wh, 2500);
  EXPECT_FALSE(parse_emoncms_csv("1711965600,abc\n", PowerUnit::kAuto, Calendar::utc()).is_ok());
}

TEST(ImportHa, HistoryOfOneEntityOfSeveral) {
  const std::string text = data("ha_history.csv");
  auto none = parse_ha_history(text, "", PowerUnit::kAuto);
  EXPECT_FALSE(none.is_ok());
  EXPECT_NE(none.status().message().find("sensor.shelly_plug_energy"), std::string::npos);
  auto power = parse_ha_history(text, "sensor.shelly_plug_power", PowerUnit::kAuto);
  ASSERT_TRUE(power.is_ok());
  EXPECT_EQ(power->rows.size(), 29u);
  EXPECT_EQ(power->skipped, 1u);
  auto energy = parse_ha_history(text, "sensor.shelly_plug_energy", PowerUnit::kAuto);
  ASSERT_TRUE(energy.is_ok());
  EXPECT_EQ(energy->rows[0].energy_wh, 1234581);  // kWh by the entity's name
  auto plan = plan_import(*energy, StoredView{});
  ASSERT_TRUE(plan.is_ok());
  EXPECT_FALSE(plan->estimated);
  EXPECT_EQ(plan->samples[1].power_w, 840);  // 14 Wh in a minute
  EXPECT_FALSE(parse_ha_history("entity,state\n", "", PowerUnit::kAuto).is_ok());
}

TEST(ImportCitizenwatt, CsvAndJsonExportsRoundTrip) {
  auto csv = parse_citizenwatt_export(
      "time,t_ms,counter,power_w,energy_wh\n2024-04-01T10:00:00.000Z,1711965600000,1,3600,1000\n"
      "2024-04-01T10:00:10.000Z,1711965610000,2,3600,1010\n");
  ASSERT_TRUE(csv.is_ok());
  EXPECT_EQ(csv->rows.size(), 2u);
  auto json = parse_citizenwatt_export(
      R"({"sensor": 1, "samples": [{"t": "x", "t_ms": 1711965600000, "counter": 1, "power_w": 3600, "energy_wh": 1000}]})");
  ASSERT_TRUE(json.is_ok());
  EXPECT_EQ(json->rows[0].energy_wh, 1000);
  EXPECT_FALSE(parse_citizenwatt_export(R"({"samples": [{"t_ms": 1}]})").is_ok());
  EXPECT_FALSE(parse_citizenwatt_export("time,t_ms\n").is_ok());
}

TEST(ImportPlan, ReimportAddsNothingAndAnExtendedFileAddsOnlyItsTail) {
  auto s = parse_enedis(data("enedis_load_curve.csv"));
  ASSERT_TRUE(s.is_ok());
  ImportSeries head = *s;
  head.rows.resize(40);
  FakeStored stored;
  auto first = plan_import(head, stored.view());
  ASSERT_TRUE(first.is_ok());
  stored.samples = first->samples;
  auto again = plan_import(head, stored.view());
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_TRUE(again->samples.empty());
  EXPECT_EQ(again->present, 40u);
  auto whole = plan_import(*s, stored.view());
  ASSERT_TRUE(whole.is_ok());
  EXPECT_EQ(whole->present, 40u);
  ASSERT_EQ(whole->samples.size(), 52u);
  // The energy carries on: the whole file imported in two runs equals it imported in one.
  auto once = plan_import(*s, StoredView{});
  EXPECT_EQ(whole->samples.back().energy_wh, once->samples.back().energy_wh);
  EXPECT_EQ(whole->samples.back().counter, once->samples.back().counter);
}

TEST(ImportPlan, HistoryBeforeExistingDataIsRefusedWholly) {
  auto s = parse_enedis(data("enedis_load_curve.csv"));
  FakeStored stored;
  stored.samples = {Sample{s->rows.back().t + kHourMs, 7, 100, 50}};
  auto plan = plan_import(*s, stored.view());
  ASSERT_FALSE(plan.is_ok());
  EXPECT_NE(plan.status().message().find("--new NAME"), std::string::npos);
  EXPECT_NE(plan.status().message().find("92 rows"), std::string::npos) << plan.status().message();
}

}  // namespace
}  // namespace cw::ingest
