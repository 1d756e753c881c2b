// Costs of a sensor behind a Linky: where the meter's registers cover a bucket, its energy per
// period is the registers', not the split of the sensor's energy at the household's clock.
// The sensor draws 3600 W (3.6 kWh an hour); the meter's off-peak signal starts 30 min later
// than the household's settings say (22:30 instead of 22:00), which only the registers know.
#include "analytics/meter_cost.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "analytics/tariff_catalogue.h"
#include "analytics/tariff_settings.h"
#include "fixture.h"

namespace cw::analytics {
namespace {

using testing::at;
using testing::SampleWriter;

class MeterCostTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto i = store::open_sqlite_inputs((dir_ / "cw.db").string());
    ASSERT_TRUE(i.is_ok()) << i.status().to_string();
    inputs_ = std::move(*i);
  }
  void TearDown() override {
    inputs_.reset();
    StoreTest::TearDown();
  }
  Tariff tariff(TariffOption o) {
    TariffSettings s;
    s.option = o;
    if (o == TariffOption::kHpHc) s.offpeak = {*parse_window("22:00-06:00")};
    auto t = resolve(s, builtin_catalogue());
    EXPECT_TRUE(t.is_ok()) << t.status().to_string();
    return *t;
  }
  void samples(TimeMs from, TimeMs to) {
    SampleWriter w(from);
    w.constant(3600, 10 * kSecondMs, to);
    commit(w.samples());
  }
  // HCHC/HCHP as a Linky's recorder keeps them: every 5 min while a register grows, nothing while
  // it is idle, and its first Wh as soon as it grows again (here: its value at the restart).
  // Off-peak from 22:30 to 06:00 local (UTC+1 in January).
  void registers(TimeMs from, TimeMs to) {
    std::int64_t hc = 1'000'000, hp = 2'000'000;
    std::vector<store::RegisterReading> r{{"HCHC", "hc", from, hc}, {"HCHP", "hp", from, hp}};
    TimeMs hc_last = from, hp_last = from;
    for (TimeMs t = from + 5 * kMinuteMs; t <= to; t += 5 * kMinuteMs) {
      const TimeMs start = t - 5 * kMinuteMs;
      const int minute = int((start / kMinuteMs + 60) % 1440);  // local minute of the day
      const bool offpeak = minute < 6 * 60 || minute >= 22 * 60 + 30;
      std::int64_t& wh = offpeak ? hc : hp;
      TimeMs& last = offpeak ? hc_last : hp_last;
      const char* name = offpeak ? "HCHC" : "HCHP";
      const char* period = offpeak ? "hc" : "hp";
      if (last < start) r.push_back({name, period, start, wh});  // grows again from here
      wh += 300;                                                 // 3600 W × 5 min
      r.push_back({name, period, t, wh});
      last = t;
    }
    std::sort(r.begin(), r.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
    ASSERT_TRUE(inputs_->add_readings(sensor_, r).is_ok());
  }
  CostBreakdown cost(const Tariff& t, TimeMs from, TimeMs to, bool meter) {
    auto c = cost_of(*store_, calendar_, t, builtin_tempo(), sensor_, from, to, Period::kDay,
                     meter ? inputs_.get() : nullptr);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return c.is_ok() ? *c : CostBreakdown{};
  }
  static std::int64_t mwh(const CostBreakdown& c, const std::string& period) {
    for (const auto& p : c.periods)
      if (p.period == period) return p.energy_mwh;
    return -1;
  }
  std::unique_ptr<store::InputStore> inputs_;
};

// 2025-01-14 and 15, local days (UTC+1).
const TimeMs kDay1 = at("2025-01-13T23:00:00Z"), kDay2 = at("2025-01-14T23:00:00Z"),
             kDay3 = at("2025-01-15T23:00:00Z");

TEST_F(MeterCostTest, TheMetersOffPeakSignalWinsOverTheHouseholdsClock) {
  samples(kDay1 - kHourMs, kDay3 + kHourMs);
  registers(kDay1 - kHourMs, kDay3 + kHourMs);
  const Tariff t = tariff(TariffOption::kHpHc);
  const CostBreakdown split = cost(t, kDay1, kDay3, false);
  const CostBreakdown meter = cost(t, kDay1, kDay3, true);
  // The clock: 8 h off-peak a day (22:00–06:00); the meter: 7.5 h (22:30–06:00).
  EXPECT_EQ(mwh(split, "hc"), 2 * 8 * 3'600'000);
  EXPECT_EQ(mwh(meter, "hc"), 2 * 7'500 * 3'600);
  EXPECT_EQ(mwh(meter, "hp"), 2 * 16'500 * 3'600);
  EXPECT_EQ(meter.energy_mwh, split.energy_mwh);  // the same energy, split differently
  EXPECT_EQ(meter.meter_buckets, 2);
  for (const CostBucket& b : meter.buckets) EXPECT_TRUE(b.from_meter);
  // Off-peak is cheaper: half an hour more at peak price costs more.
  EXPECT_GT(meter.energy_cost, split.energy_cost);
  EXPECT_EQ(meter.subscription, split.subscription);
  Picos sum = 0;
  for (const PeriodCost& p : meter.periods) sum += p.cost;
  EXPECT_EQ(sum, meter.energy_cost);
}

TEST_F(MeterCostTest, ABucketTheRegistersDoNotCoverKeepsTheSplit) {
  samples(kDay1 - kHourMs, kDay3 + kHourMs);
  registers(kDay1 + 12 * kHourMs, kDay3 + kHourMs);  // the meter plugged in at noon, day 1
  const CostBreakdown meter = cost(tariff(TariffOption::kHpHc), kDay1, kDay3, true);
  ASSERT_EQ(meter.buckets.size(), 2u);
  EXPECT_FALSE(meter.buckets[0].from_meter);
  EXPECT_TRUE(meter.buckets[1].from_meter);
  EXPECT_EQ(meter.meter_buckets, 1);
  EXPECT_EQ(mwh(meter, "hc"), 8 * 3'600'000 + 7'500 * 3'600);
}

TEST_F(MeterCostTest, TheBucketInProgressWaitsForTheMetersNextReadings) {
  samples(kDay1 - kHourMs, kDay2 + 10 * kHourMs);
  registers(kDay1 - kHourMs, kDay2 + 10 * kHourMs);
  // Day 2 until now, 10:00 local: HCHC is idle since 06:00 and nothing is heard after now, so
  // whether it moved is not known yet.
  const CostBreakdown c = cost(tariff(TariffOption::kHpHc), kDay1, kDay2 + 10 * kHourMs, true);
  ASSERT_EQ(c.buckets.size(), 2u);
  EXPECT_TRUE(c.buckets[0].from_meter);  // HCHC idle all day after 06:00: still covered
  EXPECT_EQ(c.buckets[0].energy_mwh, 24 * 3'600'000);
  EXPECT_FALSE(c.buckets[1].from_meter);
}

TEST_F(MeterCostTest, RegistersOfAnotherOptionAreNotUsedToPriceIt) {
  samples(kDay1 - kHourMs, kDay3 + kHourMs);
  registers(kDay1 - kHourMs, kDay3 + kHourMs);
  const Tariff base = tariff(TariffOption::kBase);  // prices "base" only; the meter counts hc/hp
  const CostBreakdown split = cost(base, kDay1, kDay3, false);
  const CostBreakdown meter = cost(base, kDay1, kDay3, true);
  EXPECT_EQ(meter.meter_buckets, 0);
  EXPECT_EQ(meter.energy_cost, split.energy_cost);
  EXPECT_EQ(mwh(meter, "base"), 2 * 24 * 3'600'000);
}

TEST_F(MeterCostTest, ASensorWithoutAMeterIsUntouched) {
  samples(kDay1 - kHourMs, kDay3 + kHourMs);
  const Tariff t = tariff(TariffOption::kHpHc);
  const CostBreakdown split = cost(t, kDay1, kDay3, false);
  const CostBreakdown meter = cost(t, kDay1, kDay3, true);
  EXPECT_EQ(meter.meter_buckets, 0);
  EXPECT_EQ(meter.energy_cost, split.energy_cost);
}

}  // namespace
}  // namespace cw::analytics
