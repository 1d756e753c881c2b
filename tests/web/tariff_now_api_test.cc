// GET /api/v1/tariff/now: the price period in force and the changes of the next 24 hours, over
// a real server (clock: 2024-04-01T12:00Z, 14:00 in Paris).
#include <filesystem>

#include "analytics/tempo_calendar.h"
#include "web_fixture.h"

namespace cw::web::testing {
namespace {

class TariffNowApi : public WebTest {
 protected:
  void SetUp() override {
    data_dir_ = (dir_.path() / "data").string();
    std::filesystem::create_directories(data_dir_);
    WebTest::SetUp();
    write_ = token(store::TokenScope::kWrite);
  }
  void put_tariff(const json& body) {
    auto r = client()->Put("/api/v1/tariff", bearer(write_), body.dump(), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }
  json get(const std::string& path) {
    auto r = client()->Get(path, bearer(write_));
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    return body_json(r);
  }
  std::string write_;
};

TEST_F(TariffNowApi, BaseHasOnePeriodAllDay) {
  const json n = get("/api/v1/tariff/now");
  EXPECT_EQ(n["option"], "base");
  EXPECT_EQ(n["period"], "base");
  EXPECT_EQ(n["price_kwh"], get("/api/v1/tariff")["current"]["kwh"]["base"]);
  EXPECT_EQ(n["at_ms"], kT0 + 2 * kHourMs);
  ASSERT_EQ(n["upcoming"].size(), 1u);
  EXPECT_EQ(n["until_ms"], kT0 + 2 * kHourMs + kDayMs);
  EXPECT_EQ(n["colour_assumed"], false);
}

TEST_F(TariffNowApi, TwoOffPeakWindowsGiveTheNextChanges) {
  put_tariff({{"option", "hphc"}, {"offpeak", {"12:30-14:30", "01:30-07:30"}}});
  const json n = get("/api/v1/tariff/now");
  const json prices = get("/api/v1/tariff")["current"]["kwh"];
  EXPECT_EQ(n["period"], "hc");  // 14:00 in Paris is inside 12:30-14:30
  EXPECT_EQ(n["price_kwh"], prices["hc"]);
  EXPECT_EQ(n["until"], "2024-04-01T14:30:00+02:00");
  const json& up = n["upcoming"];
  ASSERT_EQ(up.size(), 5u) << up.dump();  // hc → hp 14:30 → hc 01:30 → hp 07:30 → hc 12:30
  EXPECT_EQ(up[1]["period"], "hp");
  EXPECT_EQ(up[1]["price_kwh"], prices["hp"]);
  EXPECT_EQ(up[1]["end"], "2024-04-02T01:30:00+02:00");
  EXPECT_EQ(up[2]["period"], "hc");
  EXPECT_EQ(up[2]["end"], "2024-04-02T07:30:00+02:00");
  EXPECT_EQ(up[3]["end"], "2024-04-02T12:30:00+02:00");
  EXPECT_EQ(up[4]["end_ms"], kT0 + 2 * kHourMs + kDayMs);
  for (std::size_t i = 1; i < up.size(); ++i) EXPECT_EQ(up[i]["start_ms"], up[i - 1]["end_ms"]);
}

TEST_F(TariffNowApi, TempoNamesTheColourOfTheDay) {
  put_tariff({{"option", "tempo"}, {"kva", 9}});
  const json n = get("/api/v1/tariff/now");
  auto day = analytics::parse_local_day("2024-04-01");
  ASSERT_TRUE(day.is_ok());
  const std::string colour = analytics::colour_name(analytics::builtin_tempo().colour(*day));
  ASSERT_NE(colour, "unknown");  // the built-in RTE history covers 2024
  EXPECT_EQ(n["period"], "tempo_" + colour + "_hp");
  EXPECT_EQ(n["colour_assumed"], false);
  EXPECT_EQ(n["until"], "2024-04-01T22:00:00+02:00");
  EXPECT_EQ(n["upcoming"][1]["period"], "tempo_" + colour + "_hc");
  EXPECT_EQ(n["upcoming"][1]["end"], "2024-04-02T06:00:00+02:00");
}

TEST_F(TariffNowApi, UnknownTempoColourIsSaidAssumed) {
  put_tariff({{"option", "tempo"}, {"kva", 9}});
  clock_.set(kT0 + 1000 * kDayMs);  // 2026-12-27: after the compiled-in colours
  const json n = get("/api/v1/tariff/now");
  EXPECT_EQ(n["period"], "tempo_blue_hp");
  EXPECT_EQ(n["colour_assumed"], true);
}

TEST_F(TariffNowApi, NeedsCredentials) {
  expect_error(client()->Get("/api/v1/tariff/now"), 401, "unauthenticated");
}

}  // namespace
}  // namespace cw::web::testing
