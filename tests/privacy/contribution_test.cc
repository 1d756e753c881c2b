// The contribution's wire format, and building one from a real store (DST days included).
#include "privacy/contribution.h"

#include <gtest/gtest.h>

#include "hub/hub_env.h"
#include "privacy/contribution_builder.h"

namespace cw::privacy {
namespace {

using nlohmann::json;

Calendar paris() {
  return *Calendar::in_zone("Europe/Paris");
}

Contribution sample() {
  Contribution c;
  c.period = "2024-04-09";
  c.purposes = 3;
  c.context = {"75111", "3-4", "heat_pump", "house"};
  c.daily_wh = 8530;
  c.delete_hash = Bytes(32, 7);
  c.token = {std::string(64, 'a'), Bytes(64, 1), Bytes(256, 2)};
  return c;
}

TEST(Contribution, RoundTripsAndBindsEveryField) {
  const Calendar cal = paris();
  const Contribution c = sample();
  auto back = contribution_from_json(to_json(c), cal);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(binding_text(*back), binding_text(c));
  Contribution other = c;
  other.context.dwelling = "flat";
  EXPECT_NE(binding_text(other), binding_text(c));
  other = c;
  other.purposes = 1;
  EXPECT_NE(binding_text(other), binding_text(c));
}

TEST(Contribution, RefusesWhatIsNotCoarse) {
  const Calendar cal = paris();
  json j = to_json(sample());
  auto refused = [&](const std::function<void(json&)>& change) {
    json k = j;
    change(k);
    return !contribution_from_json(k, cal).is_ok();
  };
  EXPECT_TRUE(refused([](json& k) { k["daily_wh"] = 8531; }));  // not rounded to 10 Wh
  EXPECT_TRUE(refused([](json& k) { k["daily_wh"] = -10; }));
  EXPECT_TRUE(refused([](json& k) { k["context"]["area"] = "Rue de Rivoli"; }));
  EXPECT_TRUE(refused([](json& k) { k["context"]["sensor"] = "1"; }));
  EXPECT_TRUE(refused([](json& k) { k["purposes"] = json::array(); }));
  EXPECT_TRUE(
      refused([](json& k) { k["half_hours_wh"] = std::vector<int>(48, 10); }));  // day granularity
  EXPECT_TRUE(refused([](json& k) { k["period"] = "2024-13-01"; }));
  EXPECT_TRUE(refused([](json& k) { k["token"]["sig"] = "!!"; }));
  EXPECT_TRUE(refused([](json& k) { k.erase("token"); }));
}

TEST(Contribution, HalfHoursFollowTheLocalDay) {
  const Calendar cal = paris();
  EXPECT_EQ(half_hours_in_day(cal, *parse_day(cal, "2024-03-31")), 46);  // spring forward
  EXPECT_EQ(half_hours_in_day(cal, *parse_day(cal, "2024-10-27")), 50);  // fall back
  EXPECT_EQ(half_hours_in_day(cal, *parse_day(cal, "2024-04-09")), 48);
  Contribution c = sample();
  c.period = "2024-03-31";
  c.granularity = Granularity::kHalfHour;
  c.half_hours_wh.assign(48, 180);
  c.daily_wh = 48 * 180;
  EXPECT_FALSE(contribution_from_json(to_json(c), cal).is_ok());
  c.half_hours_wh.assign(46, 180);
  c.daily_wh = 46 * 180;
  EXPECT_TRUE(contribution_from_json(to_json(c), cal).is_ok());
}

TEST(ContributionBuilder, ExactEnergyOfTheLocalDayAndItsHalfHoursOnADstDay) {
  const Calendar cal = paris();
  hubtest::Dir dir;
  auto st = store::open_sqlite_store((dir.path() / "c.db").string(), cal);
  ASSERT_TRUE(st.is_ok());
  const TimeMs day = *parse_day(cal, "2024-03-31");  // 23 hours long
  const TimeMs end = cal.next(day, Period::kDay);
  hubtest::write_household(**st, day - kHourMs, end + kHourMs, 1.0, 3);
  BuildRequest req{1, day, 7, true, {"75111", "", "", ""}};
  auto c = build_contribution(**st, cal, req);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  ASSERT_TRUE(c->has_value());
  const Contribution& got = **c;
  EXPECT_EQ(got.period, "2024-03-31");
  ASSERT_EQ(got.half_hours_wh.size(), 46u);
  std::int64_t sum = 0;
  for (std::int64_t v : got.half_hours_wh) {
    EXPECT_EQ(v % 10, 0);
    sum += v;
  }
  EXPECT_LE(std::llabs(sum - got.daily_wh), 46 * 5 + 10);
  // The register at the day's end minus at its start (samples fall on those minutes), read back
  // raw, is what was sent, to the 10 Wh of rounding.
  std::int64_t first = -1, last = 0;
  Status scanned = (*st)->scan_raw(1, day, end + 1, [&](std::span<const Sample> s) {
    if (first < 0) first = s.front().energy_wh;
    last = s.back().energy_wh;
    return true;
  });
  ASSERT_TRUE(scanned.is_ok());
  EXPECT_NEAR(double(got.daily_wh), double(last - first), 5.0);
  // A day with too little data is not contributed.
  req.day_start = cal.next(end, Period::kDay);
  auto none = build_contribution(**st, cal, req);
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none->has_value());
}

}  // namespace
}  // namespace cw::privacy
