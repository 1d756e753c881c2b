// GET /api/v1/forecast on the fixture's one hour of data: the model's short-history answer,
// shaped for the UI, and clear errors for a bad sensor parameter.
#include "web_fixture.h"

namespace cw::web::testing {
namespace {

class ForecastApiTest : public WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    add_test_data();  // 3600 Wh in 2024-04-01 12:00-13:00 local; the clock is at 14:00 local
    read_ = token(store::TokenScope::kRead);
  }
  httplib::Result get(const std::string& path) { return client()->Get(path, bearer(read_)); }
  std::string read_;
};

TEST_F(ForecastApiTest, OneHourOfDataGivesALowConfidenceFlatForecast) {
  auto r = get("/api/v1/forecast?sensor=1");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["sensor"], 1);
  EXPECT_EQ(j["time_zone"], "Europe/Paris");
  EXPECT_EQ(j["origin"], "2024-04-01T14:00:00+02:00");
  EXPECT_EQ(j["origin_ms"], kT0 + 2 * kHourMs);
  EXPECT_EQ(j["confidence"], "low");
  EXPECT_NEAR(j["history_days"].get<double>(), 1.0 / 24, 1e-12);
  EXPECT_TRUE(j["reason"].get<std::string>().starts_with("only 1 hour of data")) << j["reason"];
  ASSERT_EQ(j["hours"].size(), 24u);
  for (std::size_t i = 0; i < 24; ++i) {
    const json& p = j["hours"][i];
    EXPECT_EQ(p["start_ms"], kT0 + TimeMs(2 + i) * kHourMs);
    EXPECT_EQ(p["end_ms"], kT0 + TimeMs(3 + i) * kHourMs);
    EXPECT_NEAR(p["kwh"].get<double>(), 3.6, 1e-9);  // the one hour seen is the average hour
    EXPECT_LT(p["low_kwh"].get<double>(), 3.6);
    EXPECT_GT(p["high_kwh"].get<double>(), 3.6);
    // Base 6 kVA, regulated price in force on 2024-04-01: 0.2516 €/kWh; 3.6 kWh = 0.90576 €.
    EXPECT_EQ(p["cost"]["micros"], 905760);
  }
  EXPECT_EQ(j["hours"][0]["start"], "2024-04-01T14:00:00+02:00");
  const json& m = j["month_end"];
  EXPECT_EQ(m["month_start"], "2024-04-01T00:00:00+02:00");
  EXPECT_EQ(m["month_end"], "2024-05-01T00:00:00+02:00");
  EXPECT_NEAR(m["so_far_kwh"].get<double>(), 3.6, 1e-9);
  EXPECT_EQ(m["missing_hours"], 13);  // 00:00-14:00 local, but for 12:00
  EXPECT_NEAR(m["remaining_kwh"].get<double>(), (30 * 24 - 14) * 3.6, 1e-6);
  EXPECT_NEAR(m["total_kwh"].get<double>(), (30 * 24 - 13) * 3.6, 1e-6);
  EXPECT_LT(m["low_kwh"].get<double>(), m["total_kwh"].get<double>());
  EXPECT_GT(m["high_kwh"].get<double>(), m["total_kwh"].get<double>());
  // Measured 3.6 kWh + forecast 706 h × 3.6 kWh, all at 0.2516 €/kWh, + April's 12.60 €
  // subscription: 2545.2 × 0.2516 + 12.60 = 652.97232 €.
  EXPECT_EQ(m["cost"]["total"]["cents"], 65297);
  EXPECT_EQ(m["cost"]["subscription"]["cents"], 1260);
  EXPECT_EQ(m["cost"]["so_far_energy"]["cents"], 91);
  EXPECT_LT(m["cost"]["low"]["cents"].get<int>(), 65297);
  EXPECT_GT(m["cost"]["high"]["cents"].get<int>(), 65297);
}

TEST_F(ForecastApiTest, SensorWithoutDataSaysThereIsNothingToForecast) {
  store::NewSensor ns;
  ns.name = "New";
  ns.id = 2;
  ASSERT_TRUE(store_->add_sensor(ns).is_ok());
  auto r = get("/api/v1/forecast?sensor=2");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["confidence"], "none");
  EXPECT_TRUE(j["hours"].empty());
  EXPECT_EQ(j["month_end"]["total_kwh"], 0);
  EXPECT_TRUE(j["month_end"]["cost"].is_null());  // nothing to price
}

TEST_F(ForecastApiTest, BadOrMissingSensorIsAClearError) {
  expect_error(get("/api/v1/forecast"), 400, "invalid_argument");
  expect_error(get("/api/v1/forecast?sensor=abc"), 400, "invalid_argument");
  expect_error(get("/api/v1/forecast?sensor=7"), 404, "not_found");
  expect_error(client()->Get("/api/v1/forecast?sensor=1"), 401, "unauthenticated");
}

}  // namespace
}  // namespace cw::web::testing
