// The monthly target: its parsing, where a month stands against it, the month's progress.
#include "analytics/targets.h"

#include <gtest/gtest.h>

#include "analytics/tariff_catalogue.h"
#include "fixture.h"
#include "insight_data.h"

namespace cw::analytics {
namespace {

using testing::at;
using testing::samples_of;

Household base_6kva() {
  auto tariff = resolve(TariffSettings{}, builtin_catalogue());
  EXPECT_TRUE(tariff.is_ok());
  return Household{TariffSettings{}, *tariff, builtin_tempo()};
}

TEST(Target, ParsedFromADecimalStringAndAUnit) {
  auto t = make_target("eur", "45.00", 7);
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(t->unit, "eur");
  EXPECT_EQ(t->amount_micros, 45000000);
  EXPECT_EQ(t->set, 7);
  EXPECT_EQ(target_amount_text(*t), "45.00");
  EXPECT_EQ(make_target("kwh", "300", 0)->amount_micros, 300000000);
  EXPECT_EQ(target_amount_text(*make_target("kwh", "300", 0)), "300.00");
  EXPECT_EQ(target_amount_text(*make_target("eur", "45.5", 0)), "45.50");
  EXPECT_EQ(target_amount_text(*make_target("eur", "12.345", 0)), "12.345");
  EXPECT_TRUE(make_target("eur", "999999.99", 0).is_ok());
  for (const char* bad : {"0", "0.00", "-1", "abc", "", "1e3", "45,00", "1000000", " 45"})
    EXPECT_EQ(make_target("eur", bad, 0).status().code(), Code::kInvalidArgument) << bad;
  EXPECT_EQ(make_target("usd", "45", 0).status().code(), Code::kInvalidArgument);
}

TEST(Target, StatusAgainstTheMonth) {
  MonthProgress m;
  m.so_far_kwh = 10;
  m.projection_kwh = 20;
  const store::Target kwh{"kwh", 30000000, 0};
  TargetCheck c = check_target(m, kwh);
  EXPECT_EQ(c.status, TargetStatus::kOnTrack);
  EXPECT_NEAR(*c.share, 1.0 / 3, 1e-12);
  m.projection_kwh = 31;
  EXPECT_EQ(check_target(m, kwh).status, TargetStatus::kAtRisk);
  m.so_far_kwh = 31;
  EXPECT_EQ(check_target(m, kwh).status, TargetStatus::kOver);
  EXPECT_EQ(check_target(m, std::nullopt).status, TargetStatus::kNone);
  EXPECT_FALSE(check_target(m, std::nullopt).share);
  // A target in € over a month the tariff cannot price: nothing to say.
  const store::Target eur{"eur", 45000000, 0};
  m.priced = false;
  EXPECT_EQ(check_target(m, eur).status, TargetStatus::kNone);
  m.priced = true;
  m.so_far_cost = Picos(22500000) * 1000000;  // 22.50 €
  m.projection_cost = Picos(46000000) * 1000000;
  c = check_target(m, eur);
  EXPECT_EQ(c.status, TargetStatus::kAtRisk);
  EXPECT_DOUBLE_EQ(*c.share, 0.5);
  EXPECT_DOUBLE_EQ(c.projection, 46);
}

TEST(Target, MonthLabelIsTheLocalMonth) {
  const Calendar paris = *Calendar::in_zone("Europe/Paris");
  EXPECT_EQ(month_label(paris, at("2024-03-31T22:30:00Z")), "2024-04");  // 00:30 on 1 April
  EXPECT_EQ(month_label(paris, at("2024-03-31T21:30:00Z")), "2024-03");
}

class MonthProgressTest : public testing::StoreTest {};

TEST_F(MonthProgressTest, SoFarIsExactAndTheProjectionFollowsTheForecast) {
  // 1000 W from the start of April (local) to 10 April 14:00: 230 h, 230 kWh.
  const TimeMs start = at("2024-03-31T22:00:00Z"), now = at("2024-04-10T12:00:00Z");
  commit(samples_of(start, now, kMinuteMs, [](TimeMs) { return 1000.0; }));
  auto m = month_progress(*store_, calendar_, base_6kva(), sensor_, now);
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(m->month_start, start);
  EXPECT_EQ(m->month_end, at("2024-04-30T22:00:00Z"));
  EXPECT_DOUBLE_EQ(m->so_far_kwh, 230);
  ASSERT_TRUE(m->priced);
  // 230 kWh × 0.2516 € + 12.60 € × 230 h / 720 h = 57.868 + 4.025 €.
  EXPECT_EQ(round_to_micros(m->so_far_cost), 61893000);
  // A flat load: the forecast's remaining 490 hours are 490 kWh.
  EXPECT_NEAR(m->projection_kwh, 720, 1.0);
  EXPECT_LE(m->low_kwh, m->projection_kwh);
  EXPECT_GE(m->high_kwh, m->projection_kwh);
  EXPECT_GE(m->low_kwh, m->so_far_kwh);
  // 720 kWh × 0.2516 € + the whole month's 12.60 €.
  EXPECT_NEAR(double(m->projection_cost) / 1e12, 720 * 0.2516 + 12.6, 0.3);
}

TEST_F(MonthProgressTest, ASensorWithNoDataProjectsNothing) {
  auto m = month_progress(*store_, calendar_, base_6kva(), sensor_, at("2024-04-10T12:00:00Z"));
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(m->so_far_kwh, 0);
  EXPECT_EQ(m->projection_kwh, 0);
  EXPECT_EQ(m->confidence, Confidence::kNone);
  EXPECT_EQ(month_progress(*store_, calendar_, base_6kva(), 77, at("2024-04-10T12:00:00Z"))
                .status()
                .code(),
            Code::kNotFound);
}

}  // namespace
}  // namespace cw::analytics
