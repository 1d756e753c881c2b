// Bills computed from a real store, checked against expected amounts computed by hand (in the
// comments). 3600 W sampled every 10 s adds exactly 10 Wh per sample, so every hour holds
// exactly 3.6 kWh and the expected amounts are exact decimals.
#include "analytics/cost.h"

#include <gtest/gtest.h>

#include <optional>

#include "analytics/bill.h"
#include "analytics/tariff_catalogue.h"
#include "analytics/tariff_settings.h"
#include "fixture.h"

namespace cw::analytics {
namespace {

using testing::at;
using testing::SampleWriter;

constexpr Picos kPicosPerMicro = 1000000;

class CostTest : public testing::StoreTest {
 protected:
  Tariff regulated(TariffOption o, std::vector<OffPeakWindow> w = {}, int billing_day = 1) {
    TariffSettings s;
    s.option = o;
    s.offpeak = std::move(w);
    s.billing_day = billing_day;
    auto t = resolve(s, builtin_catalogue());
    EXPECT_TRUE(t.is_ok()) << t.status().to_string();
    return t.is_ok() ? *t : Tariff{};
  }
  // 3600 W over [from, to]; ranges in time order. Between ranges the sensor was off: one
  // register that never decreases, and no energy in the silence.
  void constant_3600w(TimeMs from, TimeMs to) {
    if (!writer_) {
      writer_.emplace(from);
    } else {
      writer_->after_gap(from, 0, 3600);
    }
    writer_->constant(3600, 10 * kSecondMs, to);
    const auto& all = writer_->samples();
    commit({all.begin() + long(committed_), all.end()});
    committed_ = all.size();
  }
  std::optional<SampleWriter> writer_;
  std::size_t committed_ = 0;
  CostBreakdown cost(const Tariff& t, TimeMs from, TimeMs to, Period by = Period::kDay) {
    auto c = cost_of(*store_, calendar_, t, builtin_tempo(), sensor_, from, to, by);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return c.is_ok() ? *c : CostBreakdown{};
  }
  static const PeriodCost& period(const CostBreakdown& c, const std::string& name) {
    for (const auto& p : c.periods)
      if (p.period == name) return p;
    static PeriodCost none;
    ADD_FAILURE() << "no period " << name;
    return none;
  }
};

TEST_F(CostTest, DayCrossingHpHcBoundariesAtHalfHours) {
  // HPHC 6 kVA, windows 12:30–14:30 + 01:30–07:30, Monday 2025-03-10 (EDF grid 2025-02:
  // HP 0.2146, HC 0.1696, 14.04 €/month). HC 8 h × 3.6 = 28.8 kWh × 0.1696 = 4.88448 €;
  // HP 16 h × 3.6 = 57.6 kWh × 0.2146 = 12.36096 €. Subscription: March 2025 lasts 743 h
  // (DST), so 14.04 × 24 / 743 = 0.45351305… €. Total 17.69895… → 17.70 €.
  const TimeMs from = at("2025-03-09T23:00:00Z"), to = at("2025-03-10T23:00:00Z");
  constant_3600w(from - kHourMs, to + kHourMs);
  const Tariff t =
      regulated(TariffOption::kHpHc, {*parse_window("12:30-14:30"), *parse_window("01:30-07:30")});
  const CostBreakdown c = cost(t, from, to);
  EXPECT_EQ(period(c, "hc").energy_mwh, 28800000);
  EXPECT_EQ(period(c, "hp").energy_mwh, 57600000);
  EXPECT_EQ(round_to_micros(period(c, "hc").cost), 4884480);
  EXPECT_EQ(round_to_micros(period(c, "hp").cost), 12360960);
  EXPECT_EQ(round_to_micros(c.subscription), 453513);  // 14 040 000 × 24 / 743 = 453 513.06
  EXPECT_EQ(round_to_cents(c.total()), 1770);
  EXPECT_FALSE(c.estimated);
  EXPECT_DOUBLE_EQ(c.coverage, 1.0);
}

TEST_F(CostTest, RealTempoRedDay) {
  // 2024-01-08 was red, 2024-01-07 blue (RTE). Tempo 6 kVA, EDF grid 2023-08: 00–06 blue HC
  // 21.6 kWh × 0.1056 = 2.28096 €; 06–22 red HP 57.6 kWh × 0.7324 = 42.18624 €; 22–24 red HC
  // 7.2 kWh × 0.1328 = 0.95616 €. Energy 45.42336 €; subscription 12.80 × 24/744 = 0.4129032 €.
  const TimeMs from = at("2024-01-07T23:00:00Z"), to = at("2024-01-08T23:00:00Z");
  constant_3600w(from, to);
  const CostBreakdown c = cost(regulated(TariffOption::kTempo), from, to);
  EXPECT_EQ(round_to_micros(period(c, "tempo_blue_hc").cost), 2280960);
  EXPECT_EQ(round_to_micros(period(c, "tempo_red_hp").cost), 42186240);
  EXPECT_EQ(round_to_micros(period(c, "tempo_red_hc").cost), 956160);
  EXPECT_EQ(round_to_micros(c.energy_cost), 45423360);
  EXPECT_EQ(round_to_micros(c.subscription), 412903);
  EXPECT_EQ(round_to_cents(c.total()), 4584);  // 45.836263 €
  EXPECT_FALSE(c.colour_assumed);
}

TEST_F(CostTest, PriceChangeInsideABillingPeriod) {
  // HPHC 22:00–06:00 across 2025-02-01: 31 Jan at 0.27/0.2068 €, 13.09 €/month (Jan: 744 h);
  // 1 Feb at 0.2146/0.1696 €, 14.04 €/month (Feb: 672 h).
  // 31 Jan: 57.6 × 0.27 + 28.8 × 0.2068 = 15.552 + 5.95584 = 21.50784 €
  // 1 Feb:  57.6 × 0.2146 + 28.8 × 0.1696 = 12.36096 + 4.88448 = 17.24544 €
  // Subscription: 13.09 × 24/744 + 14.04 × 24/672 = 0.42225806 + 0.50142857 = 0.92368664 €.
  const TimeMs from = at("2025-01-30T23:00:00Z"), to = at("2025-02-01T23:00:00Z");
  constant_3600w(from, to);
  const Tariff t = regulated(TariffOption::kHpHc, {*parse_window("22:00-06:00")}, 15);
  const CostBreakdown c = cost(t, from, to);
  ASSERT_EQ(c.buckets.size(), 2u);
  EXPECT_EQ(round_to_micros(c.buckets[0].energy_cost), 21507840);
  EXPECT_EQ(round_to_micros(c.buckets[1].energy_cost), 17245440);
  EXPECT_EQ(round_to_micros(c.subscription), 923687);
  EXPECT_EQ(round_to_cents(c.total()), 3968);  // 38.75328 + 0.92368664 = 39.67696664 €
  // The hour that straddles nothing still sums the same by hour.
  const CostBreakdown h = cost(t, from, to, Period::kHour);
  EXPECT_EQ(h.buckets.size(), 48u);
  EXPECT_EQ(h.energy_cost, c.energy_cost);
}

TEST_F(CostTest, DstDays25And23Hours) {
  // HPHC 22:00–06:00, 6 kVA, 2024 prices 0.27 / 0.2068.
  const Tariff t = regulated(TariffOption::kHpHc, {*parse_window("22:00-06:00")});
  // 2024-10-27 (25 h): HC 9 h = 32.4 kWh × 0.2068 = 6.70032 €; HP 57.6 × 0.27 = 15.552 €.
  const TimeMs a0 = at("2024-10-26T22:00:00Z"), a1 = at("2024-10-27T23:00:00Z");
  // 2024-03-31 (23 h): HC 7 h = 25.2 kWh × 0.2068 = 5.21136 €; HP 15.552 €.
  const TimeMs s0 = at("2024-03-30T23:00:00Z"), s1 = at("2024-03-31T22:00:00Z");
  constant_3600w(s0, s1);
  constant_3600w(a0, a1);  // (the silence in between holds no energy)
  const CostBreakdown autumn = cost(t, a0, a1);
  ASSERT_EQ(autumn.buckets.size(), 1u);
  EXPECT_EQ(period(autumn, "hc").energy_mwh, 32400000);
  EXPECT_EQ(round_to_micros(period(autumn, "hc").cost), 6700320);
  EXPECT_EQ(round_to_micros(period(autumn, "hp").cost), 15552000);
  const CostBreakdown spring = cost(t, s0, s1);
  EXPECT_EQ(period(spring, "hc").energy_mwh, 25200000);
  EXPECT_EQ(round_to_micros(period(spring, "hc").cost), 5211360);
  EXPECT_EQ(round_to_micros(period(spring, "hp").cost), 15552000);
}

TEST_F(CostTest, GapIsSplitFromTheSamplesAroundItAndMarkedEstimated) {
  // HPHC 22:00–06:00 on 2025-03-10; silence from 05:00 to 07:00 local while the register moved
  // 4000 Wh: spread evenly, 2000 Wh fall in HC (05–06) and 2000 Wh in HP (06–07).
  // HC = 18 + 2 + 7.2 = 27.2 kWh × 0.1696 = 4.61312 €; HP = 2 + 54 = 56 kWh × 0.2146 = 12.0176 €.
  const TimeMs from = at("2025-03-09T23:00:00Z"), to = at("2025-03-10T23:00:00Z");
  SampleWriter w(from);
  w.constant(3600, 10 * kSecondMs, at("2025-03-10T04:00:00Z"));
  w.after_gap(at("2025-03-10T06:00:00Z"), 4000, 3600);
  w.constant(3600, 10 * kSecondMs, to);
  commit(w.samples());
  const Tariff t = regulated(TariffOption::kHpHc, {*parse_window("22:00-06:00")});
  const CostBreakdown c = cost(t, from, to);
  EXPECT_EQ(period(c, "hc").energy_mwh, 27200000);
  EXPECT_EQ(period(c, "hp").energy_mwh, 56000000);
  EXPECT_EQ(round_to_micros(c.energy_cost), 4613120 + 12017600);
  EXPECT_TRUE(c.estimated);
  EXPECT_NEAR(c.coverage, 22.0 / 24.0, 1e-9);
}

TEST_F(CostTest, CounterResetKeepsTheEnergyContinuous) {
  // The store keeps a continuous register (core/sample.h): a sensor reset is hidden by an offset
  // before samples are stored. Here the raw register would have dropped to 0 at 12:00; the
  // stored energy continues, so the day still costs 24 × 3.6 kWh at the Base price 0.2016 €.
  const TimeMs from = at("2025-03-09T23:00:00Z"), to = at("2025-03-10T23:00:00Z");
  constant_3600w(from, to);
  const CostBreakdown c = cost(regulated(TariffOption::kBase), from, to);
  EXPECT_EQ(c.energy_mwh, 86400000);
  EXPECT_EQ(round_to_micros(c.energy_cost), 17418240);  // 86.4 × 0.2016
}

TEST_F(CostTest, BillProjectsTheRestOfThePeriod) {
  // Billing day 1; now = 2025-03-11 00:00 local; 10 complete days of 86.4 kWh at Base 0.2016 €
  // = 17.41824 €/day, σ = 0. Projection: 31 days × 17.41824 = 539.96544 € + 13.72 € (March
  // subscription, 6 kVA) = 553.68544 €; low = high = projection.
  const TimeMs start = at("2025-02-28T23:00:00Z"), now = at("2025-03-10T23:00:00Z");
  constant_3600w(start, now);
  const Tariff t = regulated(TariffOption::kBase);
  auto bill = current_bill(*store_, calendar_, t, builtin_tempo(), sensor_, now);
  ASSERT_TRUE(bill.is_ok()) << bill.status().to_string();
  EXPECT_EQ(bill->period_start, start);
  EXPECT_EQ(bill->period_end, at("2025-03-31T22:00:00Z"));
  EXPECT_EQ(bill->days_observed, 10);
  EXPECT_EQ(round_to_micros(bill->so_far.energy_cost), 174182400);
  // Days left are 31 × 24 - 1 - 240 = 503 h (DST on 30 March): 503/24 × 17.41824 = 365.057… €
  const double expected_energy = 174.1824 + 503.0 / 24.0 * 17.41824;
  EXPECT_NEAR(double(round_to_cents(bill->projected)) / 100, expected_energy + 13.72, 0.011);
  EXPECT_EQ(bill->projected_low, bill->projected);
  EXPECT_EQ(bill->projected_high, bill->projected);
  EXPECT_FALSE(bill->last_year.has_value());  // no data in March 2024
}

TEST_F(CostTest, BillComparesWithLastYear) {
  constant_3600w(at("2024-03-01T00:00:00Z"), at("2024-03-02T00:00:00Z"));
  constant_3600w(at("2025-03-09T23:00:00Z"), at("2025-03-10T23:00:00Z"));
  auto bill = current_bill(*store_, calendar_, regulated(TariffOption::kBase), builtin_tempo(),
                           sensor_, at("2025-03-10T23:00:00Z"));
  ASSERT_TRUE(bill.is_ok()) << bill.status().to_string();
  ASSERT_TRUE(bill->last_year.has_value());
  EXPECT_EQ(bill->last_year->from, at("2024-02-29T23:00:00Z"));
  EXPECT_EQ(bill->last_year->energy_mwh, 86400000);  // 24 h × 3.6 kWh on 1 March 2024
  // 86.4 kWh × 0.2516 € (2024 price, not today's) = 21.73824 €
  EXPECT_EQ(round_to_micros(bill->last_year->energy_cost), 21738240);
}

TEST(PriceIntervals, ForecastBucketsAreSplitByTime) {
  const Calendar paris = *Calendar::in_zone("Europe/Paris");
  TariffSettings s;
  s.option = TariffOption::kHpHc;
  s.offpeak = {*parse_window("12:30-14:30")};
  auto t = resolve(s, builtin_catalogue());
  ASSERT_TRUE(t.is_ok());
  // 12:00–13:00 local with 1 kWh: half HP (0.2146), half HC (0.1696) → 0.1921 €.
  auto p = price_intervals(paris, *t, builtin_tempo(),
                           {{at("2025-03-10T11:00:00Z"), at("2025-03-10T12:00:00Z"), 1000.0}});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ((*p)[0].energy_mwh, 1000000);
  EXPECT_EQ(round_to_micros((*p)[0].cost), 192100);
  EXPECT_FALSE(price_intervals(paris, *t, builtin_tempo(),
                               {{at("2025-03-10T11:00:00Z"), at("2025-03-10T12:00:00Z"), -1.0}})
                   .is_ok());
}

}  // namespace
}  // namespace cw::analytics
