// /api/v1/tariff, /cost and /bill over a real server and store (fixture: 3600 W from
// 2024-04-01T10:00Z to 11:00Z, i.e. 12:00–13:00 in Paris; 3.6 kWh).
#include <filesystem>

#include "web_fixture.h"

namespace cw::web::testing {
namespace {

class MoneyApi : public WebTest {
 protected:
  void SetUp() override {
    data_dir_ = (dir_.path() / "data").string();
    std::filesystem::create_directories(data_dir_);
    WebTest::SetUp();
    add_test_data();
    write_ = token(store::TokenScope::kWrite);
    read_ = token(store::TokenScope::kRead);
  }
  httplib::Result put_tariff(const json& body, const std::string& tok) {
    return client()->Put("/api/v1/tariff", bearer(tok), body.dump(), "application/json");
  }
  json get(const std::string& path) {
    auto r = client()->Get(path, bearer(read_));
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    return body_json(r);
  }
  static constexpr const char* kCost =
      "/api/v1/cost?sensor=1&by=hour&from=2024-04-01T10:00:00Z&to=2024-04-01T12:00:00Z";
  std::string write_, read_;
};

TEST_F(MoneyApi, DefaultIsBaseSixKvaAtTheRegulatedPrice) {
  const json t = get("/api/v1/tariff");
  EXPECT_EQ(t["option"], "base");
  EXPECT_EQ(t["kva"], 6);
  EXPECT_EQ(t["current"]["kwh"]["base"], "0.2516");
  EXPECT_EQ(t["current"]["subscription_month"], "12.6");
  // 3.6 kWh × 0.2516 = 0.90576 €; subscription 12.60 € × 2 h / 720 h (April) = 0.035 €.
  const json c = get(kCost);
  EXPECT_EQ(c["energy_cost"]["micros"], 905760);
  EXPECT_EQ(c["subscription"]["micros"], 35000);
  EXPECT_EQ(c["total"]["cents"], 94);
  EXPECT_EQ(c["energy_wh"], 3600.0);
  ASSERT_EQ(c["buckets"].size(), 2u);
  EXPECT_EQ(c["buckets"][0]["start"], "2024-04-01T12:00:00+02:00");
  EXPECT_EQ(c["buckets"][1]["energy_wh"], 0.0);
}

TEST_F(MoneyApi, HpHcWindowSplitsTheHourAndPersists) {
  auto r = put_tariff({{"option", "hphc"}, {"kva", 6}, {"offpeak", {"12:30-14:30"}}}, write_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(std::filesystem::exists(data_dir_ + "/tariff.toml"));
  // 12:00–12:30 HP 1.8 kWh × 0.27 = 0.486 €; 12:30–13:00 HC 1.8 kWh × 0.2068 = 0.37224 €.
  const json c = get(kCost);
  EXPECT_EQ(c["option"], "hphc");
  ASSERT_EQ(c["periods"].size(), 2u);
  EXPECT_EQ(c["periods"][0]["period"], "hp");
  EXPECT_EQ(c["periods"][0]["cost"]["micros"], 486000);
  EXPECT_EQ(c["periods"][1]["period"], "hc");
  EXPECT_EQ(c["periods"][1]["energy_wh"], 1800.0);
  EXPECT_EQ(c["energy_cost"]["micros"], 858240);
}

TEST_F(MoneyApi, BadConfigurationIsRefusedAndThePreviousStays) {
  ASSERT_EQ(put_tariff({{"option", "hphc"}, {"offpeak", {"22:00-06:00"}}}, write_)->status, 200);
  auto overlap =
      put_tariff({{"option", "hphc"}, {"offpeak", {"22:00-06:00", "05:00-07:00"}}}, write_);
  expect_error(overlap, 400, "invalid_argument");
  EXPECT_NE(overlap->body.find("overlap"), std::string::npos);
  expect_error(put_tariff({{"option", "base"},
                           {"prices", {{{"from", "2024-01-01"}, {"kwh", {{"base", "-0.1"}}}}}}},
                          write_),
               400, "invalid_argument");
  expect_error(put_tariff({{"option", "base"},
                           {"prices", {{{"from", "2024-01-01"}, {"kwh", {{"base", 0.25}}}}}}},
                          write_),
               400, "invalid_argument");  // a price must be decimal text
  expect_error(put_tariff({{"option", "bogus"}}, write_), 400, "invalid_argument");
  expect_error(put_tariff({{"option", "base"}}, read_), 403);
  const json t = get("/api/v1/tariff");
  EXPECT_EQ(t["option"], "hphc");
  EXPECT_EQ(t["offpeak"], json::array({"22:00-06:00"}));
}

TEST_F(MoneyApi, CustomPricesAndTempoImport) {
  auto r = put_tariff(
      {{"option", "base"},
       {"prices",
        {{{"from", "2024-01-01"}, {"subscription_month", "0"}, {"kwh", {{"base", "0.1"}}}}}}},
      write_);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(get(kCost)["total"]["cents"], 36);  // 3.6 kWh × 0.1 €

  auto bad = client()->Post("/api/v1/tariff/tempo", bearer(write_),
                            "date,color\n2026-12-04,VIOLET\n", "text/csv");
  expect_error(bad, 400, "invalid_argument");
  auto ok = client()->Post("/api/v1/tariff/tempo", bearer(write_),
                           "date,color\n2026-12-04,ROUGE\n2026-12-05,blanc\n", "text/csv");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(body_json(ok)["household_days"], 2);
  EXPECT_TRUE(std::filesystem::exists(data_dir_ + "/tempo_days.csv"));
}

TEST_F(MoneyApi, BillAndCatalogue) {
  const json b = get("/api/v1/bill?sensor=1");
  EXPECT_EQ(b["period_start"], "2024-04-01T00:00:00+02:00");
  EXPECT_EQ(b["period_end"], "2024-05-01T00:00:00+02:00");
  EXPECT_EQ(b["so_far"]["energy_wh"], 3600.0);
  EXPECT_TRUE(b["last_year"].is_null());
  // No complete day with data: the projection is what is known (energy so far + the month's
  // subscription 12.60 €): 0.90576 + 12.60 = 13.50576 €.
  EXPECT_EQ(b["projection"]["total"]["cents"], 1351);
  const json c = get("/api/v1/tariff/catalogue");
  EXPECT_GE(c["options"]["base"].size(), 20u);
  EXPECT_TRUE(c["sources"].contains("CRE_OPEN_DATA_BASE"));
  auto missing = client()->Get("/api/v1/cost?sensor=9", bearer(read_));
  expect_error(missing, 404, "not_found");
}

}  // namespace
}  // namespace cw::web::testing
