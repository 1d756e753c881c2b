// Tariff model, catalogue and period split: pure logic, hand-computed expectations.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analytics/tariff_catalogue.h"
#include "analytics/tariff_periods.h"
#include "analytics/tariff_settings.h"
#include "fixture.h"

namespace cw::analytics {
namespace {

using testing::at;

Tariff regulated(TariffOption o, int kva, std::vector<OffPeakWindow> w = {}) {
  TariffSettings s;
  s.option = o;
  s.kva = kva;
  s.offpeak = std::move(w);
  auto t = resolve(s, builtin_catalogue());
  EXPECT_TRUE(t.is_ok()) << t.status().to_string();
  return t.is_ok() ? *t : Tariff{};
}

std::map<std::string, TimeMs> duration_by_period(const std::vector<PriceSegment>& segs) {
  std::map<std::string, TimeMs> out;
  for (const auto& s : segs) out[s.period] += s.end - s.start;
  return out;
}

TEST(Money, DecimalTextIsExact) {
  EXPECT_EQ(*parse_micros("0.2516"), 251600);
  EXPECT_EQ(*parse_micros("15.65"), 15650000);
  EXPECT_EQ(*parse_micros("16"), 16000000);
  EXPECT_EQ(*parse_micros("0.000001"), 1);
  EXPECT_EQ(*parse_micros("-0.5"), -500000);
  for (const char* bad : {"", ".5", "1.", "1e3", "0,25", "0.1234567", " 1", "abc", "1.2.3"})
    EXPECT_FALSE(parse_micros(bad).is_ok()) << bad;
  EXPECT_EQ(format_micros(251600), "0.2516");
  EXPECT_EQ(format_micros(-1), "-0.000001");
  // Rounded once, half away from zero: 0.5 µ€ → 1 µ€; 0.5 cent → 1 cent.
  EXPECT_EQ(round_to_micros(500000), 1);
  EXPECT_EQ(round_to_micros(-500000), -1);
  EXPECT_EQ(round_to_cents(Picos(5000) * 1000000), 1);
  EXPECT_EQ(round_to_cents(Picos(4999) * 1000000), 0);
}

TEST(Catalogue, RegulatedPricesAtKnownDates) {
  const Catalogue& c = builtin_catalogue();
  const Tariff base = regulated(TariffOption::kBase, 6);
  // CRE 2012-07-23: 0.1263 €/kWh at 6 kVA, yearly subscription 82.98 €.
  const PriceVersion* v2012 = version_on(base, *parse_local_day("2012-08-01"));
  ASSERT_NE(v2012, nullptr);
  EXPECT_EQ(v2012->kwh.at("base"), 126300);
  EXPECT_TRUE(v2012->yearly_subscription);
  EXPECT_EQ(v2012->subscription, 82980000);
  // EDF grid 2026-02: 0.194 €/kWh and 15.65 €/month at 6 kVA, 0.1927 €/kWh at 9 kVA.
  const PriceVersion* v2026 = version_on(base, *parse_local_day("2026-12-03"));
  ASSERT_NE(v2026, nullptr);
  EXPECT_EQ(v2026->kwh.at("base"), 194000);
  EXPECT_EQ(v2026->subscription, 15650000);
  EXPECT_EQ(v2026->source, "EDF_GRID_2026-02");
  EXPECT_EQ(
      version_on(regulated(TariffOption::kBase, 9), *parse_local_day("2026-12-03"))->kwh.at("base"),
      192700);
  EXPECT_EQ(version_on(base, *parse_local_day("2012-07-22")), nullptr);  // before the data
  // Tempo 2024-02: rouge HP 0.7562 (not 0.7564, see SOURCE.md).
  const Tariff tempo = regulated(TariffOption::kTempo, 6);
  EXPECT_EQ(version_on(tempo, *parse_local_day("2024-03-01"))->kwh.at("tempo_red_hp"), 756200);
  EXPECT_EQ(c.powers(TariffOption::kTempo), (std::vector<int>{6, 9, 12, 15, 18, 30, 36}));
  for (const auto& [src, where] : c.sources) EXPECT_FALSE(where.empty()) << src;
}

TEST(Catalogue, MatchesTheSourcedFiguresWhenPresent) {
  const std::string path = std::string(CW_SHARED_DATA) + "/tariffs/trv_history.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not present";
  std::ifstream in(path);
  const auto trv = nlohmann::json::parse(in);
  auto micros = [](const nlohmann::json& v) {
    std::ostringstream o;
    o << v.get<double>();  // shortest text of the figure ("0.2516"); checked via parse_micros
    return *parse_micros(o.str());
  };
  int checked = 0;
  for (const auto& e : trv["options"]["hphc"]) {
    if (e["from"].is_null()) continue;
    const LocalDay day = *parse_local_day(e["from"].get<std::string>());
    for (const auto& [kva, sub] : e["subscription_eur_month"].items()) {
      const Tariff t = regulated(TariffOption::kHpHc, std::stoi(kva), {{1320, 360}});
      const PriceVersion* v = version_on(t, day);
      ASSERT_NE(v, nullptr) << e["from"] << " " << kva;
      EXPECT_EQ(v->subscription, micros(sub)) << e["from"] << " " << kva;
      EXPECT_EQ(v->kwh.at("hp"), micros(e["kwh_hp_eur"]));
      EXPECT_EQ(v->kwh.at("hc"), micros(e["kwh_hc_eur"]));
      ++checked;
    }
  }
  for (const auto& e : trv["options"]["tempo"]) {
    if (e["from"].is_null()) continue;
    const LocalDay day = *parse_local_day(e["from"].get<std::string>());
    const PriceVersion* v = version_on(regulated(TariffOption::kTempo, 6), day);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->kwh.at("tempo_red_hp"), micros(e["kwh_eur"]["rouge_hp"]));
    EXPECT_EQ(v->kwh.at("tempo_blue_hc"), micros(e["kwh_eur"]["bleu_hc"]));
    ++checked;
  }
  for (const auto& e : trv["options"]["base"]) {
    if (e["from"].is_null() || e["kwh_eur_by_kva"].is_null()) continue;
    const LocalDay day = *parse_local_day(e["from"].get<std::string>());
    for (const auto& [kva, price] : e["kwh_eur_by_kva"].items()) {
      const PriceVersion* v = version_on(regulated(TariffOption::kBase, std::stoi(kva)), day);
      ASSERT_NE(v, nullptr) << e["from"] << " " << kva;
      EXPECT_EQ(v->kwh.at("base"), micros(price)) << e["from"] << " " << kva;
      ++checked;
    }
  }
  EXPECT_GT(checked, 150);
  // The colours: every line of the shared merged file is in the built-in calendar.
  std::ifstream days(std::string(CW_SHARED_DATA) + "/tariffs/tempo_days.csv");
  std::stringstream ss;
  ss << days.rdbuf();
  auto shared = parse_tempo_csv(ss.str());
  ASSERT_TRUE(shared.is_ok()) << shared.status().to_string();
  ASSERT_EQ(shared->size(), 4375u);
  for (const auto& [d, c] : *shared) ASSERT_EQ(builtin_tempo().colour(d), c);
}

TEST(Tempo, RealCalendarAndRules) {
  const TempoCalendar& t = builtin_tempo();
  EXPECT_EQ(t.colour(*parse_local_day("2024-01-08")), TempoColour::kRed);
  EXPECT_EQ(t.colour(*parse_local_day("2024-01-07")), TempoColour::kBlue);
  EXPECT_EQ(t.colour(*parse_local_day("2024-01-13")), TempoColour::kWhite);
  EXPECT_EQ(t.colour(*parse_local_day("2014-08-31")), TempoColour::kUnknown);
  int red = 0;  // season 2023-2024: 22 red days
  for (LocalDay d = *parse_local_day("2023-09-01"); d <= *parse_local_day("2024-08-31"); ++d)
    red += t.colour(d) == TempoColour::kRed;
  EXPECT_EQ(red, 22);
  auto bad = parse_tempo_csv("date,color\n2024-01-08,ROUGE\n2024-01-09,VIOLET\n");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("line 3"), std::string::npos);
  EXPECT_NE(bad.status().message().find("VIOLET"), std::string::npos);
}

TEST(Validate, BadConfigurationsAreNamed) {
  TariffSettings s;
  s.option = TariffOption::kHpHc;
  s.offpeak = {*parse_window("22:00-06:00"), *parse_window("05:00-07:00")};
  auto r = resolve(s, builtin_catalogue());
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("overlap at 05:00"), std::string::npos)
      << r.status().message();
  s.offpeak = {};
  EXPECT_FALSE(resolve(s, builtin_catalogue()).is_ok());  // HC without windows
  s.option = TariffOption::kTempo;
  s.kva = 24;  // no 24 kVA Tempo in any grid
  EXPECT_FALSE(resolve(s, builtin_catalogue()).is_ok());
  s = {};
  s.custom_prices = {
      {*parse_local_day("2025-01-01"), kOpenEnd, "mine", false, 10000000, {{"base", -1}}}};
  r = resolve(s, builtin_catalogue());
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("negative price"), std::string::npos);
  s.custom_prices = {{*parse_local_day("2025-01-01"), kOpenEnd, "mine", false, 0, {{"hp", 1}}}};
  EXPECT_FALSE(resolve(s, builtin_catalogue()).is_ok());  // no "base" price
  s = {};
  s.option = TariffOption::kGrid;
  s.grid = {{0x7f, 0, 600, "night"}, {0x60, 540, 1440, "weekend"}};  // Sat/Sun 09:00–10:00
  s.custom_prices = {{0, kOpenEnd, "mine", false, 0, {{"hp", 1}, {"night", 1}, {"weekend", 1}}}};
  r = resolve(s, builtin_catalogue());
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("overlap at 09:00"), std::string::npos);
  EXPECT_FALSE(parse_window("25:00-06:00").is_ok());
  EXPECT_FALSE(parse_window("22:00").is_ok());
}

class Periods : public ::testing::Test {
 protected:
  Calendar paris_ = *Calendar::in_zone("Europe/Paris");
};

TEST_F(Periods, SplitWindowsAtNonHourMinutes) {
  const Tariff t = regulated(TariffOption::kHpHc, 6,
                             {*parse_window("12:30-14:30"), *parse_window("01:30-07:30")});
  const TimeMs from = at("2025-03-09T23:00:00Z");  // local 2025-03-10 00:00 (CET)
  auto segs = split_periods(paris_, t, builtin_tempo(), from, from + 24 * kHourMs);
  ASSERT_TRUE(segs.is_ok()) << segs.status().to_string();
  auto d = duration_by_period(*segs);
  EXPECT_EQ(d["hc"], 8 * kHourMs);
  EXPECT_EQ(d["hp"], 16 * kHourMs);
  const auto merged = merge_segments(*segs);
  ASSERT_EQ(merged.size(), 5u);  // HP, HC 01:30, HP 07:30, HC 12:30, HP 14:30
  EXPECT_EQ(merged[1].start, at("2025-03-10T00:30:00Z"));
  EXPECT_EQ(merged[1].period, "hc");
  EXPECT_EQ(merged[1].price, 169600);
  EXPECT_EQ(merged[3].start, at("2025-03-10T11:30:00Z"));
  EXPECT_EQ(merged[3].end, at("2025-03-10T13:30:00Z"));
}

TEST_F(Periods, DstDaysHaveTheOffPeakHoursTheClockShows) {
  const Tariff t = regulated(TariffOption::kHpHc, 6, {*parse_window("22:00-06:00")});
  // 2024-10-27 lasts 25 h: 02:00–03:00 twice, inside HC → 9 h HC, 16 h HP.
  auto autumn = split_periods(paris_, t, builtin_tempo(), at("2024-10-26T22:00:00Z"),
                              at("2024-10-27T23:00:00Z"));
  ASSERT_TRUE(autumn.is_ok());
  EXPECT_EQ(duration_by_period(*autumn)["hc"], 9 * kHourMs);
  EXPECT_EQ(duration_by_period(*autumn)["hp"], 16 * kHourMs);
  // 2024-03-31 lasts 23 h: 02:00–03:00 never happens → 7 h HC.
  auto spring = split_periods(paris_, t, builtin_tempo(), at("2024-03-30T23:00:00Z"),
                              at("2024-03-31T22:00:00Z"));
  ASSERT_TRUE(spring.is_ok());
  EXPECT_EQ(duration_by_period(*spring)["hc"], 7 * kHourMs);
  EXPECT_EQ(duration_by_period(*spring)["hp"], 16 * kHourMs);
}

TEST_F(Periods, TempoColourDayRunsFromSixToSix) {
  const Tariff t = regulated(TariffOption::kTempo, 6);
  // 2024-01-08 (red), after 2024-01-07 (blue): 00–06 blue HC, 06–22 red HP, 22–24 red HC.
  auto segs = split_periods(paris_, t, builtin_tempo(), at("2024-01-07T23:00:00Z"),
                            at("2024-01-08T23:00:00Z"));
  ASSERT_TRUE(segs.is_ok());
  auto d = duration_by_period(*segs);
  EXPECT_EQ(d["tempo_blue_hc"], 6 * kHourMs);
  EXPECT_EQ(d["tempo_red_hp"], 16 * kHourMs);
  EXPECT_EQ(d["tempo_red_hc"], 2 * kHourMs);
  // A day beyond the known colours is priced blue and says so.
  auto future = split_periods(paris_, t, builtin_tempo(), at("2026-11-30T23:00:00Z"),
                              at("2026-12-01T23:00:00Z"));
  ASSERT_TRUE(future.is_ok());
  EXPECT_TRUE(future->back().colour_assumed);
  EXPECT_EQ(future->back().period, "tempo_blue_hc");
}

TEST_F(Periods, GridByWeekdayWithWeekendRates) {
  TariffSettings s;
  s.option = TariffOption::kGrid;
  s.grid_default = "day";
  s.grid = {{0x1f, 0, 420, "night"}, {0x60, 0, 1440, "weekend"}};  // Mon–Fri 00–07; Sat, Sun
  s.custom_prices = {
      {0, kOpenEnd, "mine", false, 0, {{"day", 200000}, {"night", 100000}, {"weekend", 50000}}}};
  auto t = resolve(s, builtin_catalogue());
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  // Friday 2025-03-14 00:00 → Monday 2025-03-17 00:00 local.
  auto segs = split_periods(paris_, *t, builtin_tempo(), at("2025-03-13T23:00:00Z"),
                            at("2025-03-16T23:00:00Z"));
  ASSERT_TRUE(segs.is_ok());
  auto d = duration_by_period(*segs);
  EXPECT_EQ(d["night"], 7 * kHourMs);
  EXPECT_EQ(d["day"], 17 * kHourMs);
  EXPECT_EQ(d["weekend"], 48 * kHourMs);
}

TEST_F(Periods, NoPriceBeforeTheCatalogueIsAClearError) {
  const Tariff t = regulated(TariffOption::kHpHc, 6, {*parse_window("22:00-06:00")});
  auto r = split_periods(paris_, t, builtin_tempo(), at("2022-05-01T00:00:00Z"),
                         at("2022-05-02T00:00:00Z"));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("no hphc price at 6 kVA on 2022-05-01"), std::string::npos)
      << r.status().message();
}

TEST(Settings, RoundTripAndAtomicRefusal) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("cw_tariff_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  TariffSettings s;
  s.option = TariffOption::kHpHc;
  s.kva = 9;
  s.billing_day = 15;
  s.offpeak = {*parse_window("12:30-14:30"), *parse_window("01:30-07:30")};
  ASSERT_TRUE(save_settings(dir.string(), s, builtin_catalogue()).is_ok());
  auto back = load_settings(dir.string());
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->kva, 9);
  EXPECT_EQ(back->billing_day, 15);
  ASSERT_EQ(back->offpeak.size(), 2u);
  EXPECT_EQ(back->offpeak[1].start_min, 90);
  // A bad one is refused and the file keeps the previous settings.
  TariffSettings bad = s;
  bad.offpeak.push_back(*parse_window("13:00-14:00"));
  EXPECT_FALSE(save_settings(dir.string(), bad, builtin_catalogue()).is_ok());
  EXPECT_EQ(load_settings(dir.string())->offpeak.size(), 2u);
  // Custom prices survive the file as exact decimals.
  s.option = TariffOption::kBase;
  s.custom_prices = {{*parse_local_day("2025-01-01"),
                      *parse_local_day("2025-07-01"),
                      "offer",
                      false,
                      12345678,
                      {{"base", 199999}}}};
  ASSERT_TRUE(save_settings(dir.string(), s, builtin_catalogue()).is_ok());
  back = load_settings(dir.string());
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  ASSERT_EQ(back->custom_prices.size(), 1u);
  EXPECT_EQ(back->custom_prices[0].kwh.at("base"), 199999);
  EXPECT_EQ(back->custom_prices[0].to, *parse_local_day("2025-07-01"));
  EXPECT_EQ(back->custom_prices[0].subscription, 12345678);
  // Imported colours add to the built-in ones.
  auto n = import_tempo(dir.string(), {{*parse_local_day("2026-12-02"), TempoColour::kRed}});
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(load_tempo(dir.string())->colour(*parse_local_day("2026-12-02")), TempoColour::kRed);
  EXPECT_EQ(load_tempo(dir.string())->colour(*parse_local_day("2024-01-08")), TempoColour::kRed);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cw::analytics
