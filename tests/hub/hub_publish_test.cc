// Publication on a real PostgreSQL: disclosure control on every cell, erasure leaving later
// releases, the open API over HTTPS (JSON and CSV), noise with its ε ledger.
#include <httplib.h>

#include "hub_fixture.h"

namespace cw::hubtest {
namespace {

using nlohmann::json;

class HubPublishTest : public HubTest {
 protected:
  json get(const std::string& path, int expect = 200, std::string* raw = nullptr) {
    httplib::SSLClient c("127.0.0.1", port_);
    c.enable_server_certificate_verification(false);
    auto res = c.Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, expect) << path << " " << res->body;
    if (raw) *raw = res->body;
    return json::parse(res->body, nullptr, false);
  }

  // A cell of the daily dataset, or null.
  json cell(const json& cells, const std::string& area, const std::string& dim = "all",
            const std::string& grp = "*") {
    for (const auto& c : cells["cells"])
      if (c["area"] == area && c["dimension"] == dim && c["group"] == grp) return c;
    return nullptr;
  }

  void households(int n, const std::string& area, std::int64_t wh, const std::string& size = "2") {
    auto hub = client();
    for (int i = 0; i < n; ++i) {
      Status s = contribute(hub, enrol(), daily("2024-04-09", wh + 10 * i, area, size));
      ASSERT_TRUE(s.is_ok()) << s.to_string();
    }
  }
};

TEST_F(HubPublishTest, CellsBelowKAreSuppressedAndSecondarySuppressionHidesTheDifference) {
  households(12, "75111", 8000);
  households(11, "75112", 9000);
  households(9, "75113", 7000);
  auto n = publisher_->publish_dirty();
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_EQ(*n, 1);
  json d = get("/open/v1/daily?period=2024-04-09");
  EXPECT_EQ(d["licence"], "Licence Ouverte 2.0 (Etalab)");
  json city = cell(d, "*");
  ASSERT_TRUE(city.is_object());
  EXPECT_EQ(city["households"], 32);
  EXPECT_TRUE(city["suppressed"].is_null());
  EXPECT_EQ(cell(d, "75111")["households"], 12);
  EXPECT_EQ(cell(d, "75111")["percentiles"].size(), 5u);
  // 9 households: below k.
  EXPECT_EQ(cell(d, "75113")["suppressed"], "fewer_than_k");
  EXPECT_TRUE(cell(d, "75113")["total_wh"].is_null());
  // City minus 75111 minus 75112 would give 75113: the smallest published area goes too.
  EXPECT_EQ(cell(d, "75112")["suppressed"], "secondary");
  EXPECT_TRUE(cell(d, "75112")["households"].is_null());
  // Every published daily cell has at least k households.
  for (const auto& c : d["cells"])
    if (c["suppressed"].is_null()) EXPECT_GE(c["households"].get<int>(), 10) << c.dump();
}

TEST_F(HubPublishTest, OneDominantHouseholdSuppressesItsCell) {
  households(9, "75114", 1000);
  households(1, "75114", 100000);  // 100 kWh against 9 of about 1 kWh: 92 % of the total
  households(10, "75115", 5000);
  ASSERT_TRUE(publisher_->publish_dirty().is_ok());
  json d = get("/open/v1/daily?period=2024-04-09");
  EXPECT_EQ(cell(d, "75114")["suppressed"], "dominance");
  // The city (20 households, top one 100 kWh of 159 kWh: 63 %) is shown, so 75115 must go too.
  EXPECT_TRUE(cell(d, "*")["suppressed"].is_null());
  EXPECT_EQ(cell(d, "75115")["suppressed"], "secondary");
}

TEST_F(HubPublishTest, AnErasedContributionLeavesTheNextRelease) {
  auto hub = client();
  const privacy::Bytes handle = privacy::random_bytes(32);
  privacy::Contribution mine = daily("2024-04-09", 6000, "75111");
  mine.delete_hash = privacy::sha256(handle);
  ASSERT_TRUE(contribute(hub, enrol(), mine).is_ok());
  households(10, "75111", 5000);
  ASSERT_TRUE(publisher_->publish_dirty().is_ok());
  json before = get("/open/v1/daily?period=2024-04-09");
  EXPECT_EQ(cell(before, "*")["households"], 11);
  const std::int64_t total = cell(before, "*")["total_wh"];
  ASSERT_TRUE(hub.erase({privacy::b64url(handle)}).is_ok());
  ASSERT_TRUE(publisher_->publish_dirty().is_ok());
  json after = get("/open/v1/daily?period=2024-04-09");
  EXPECT_EQ(cell(after, "*")["households"], 10);
  EXPECT_EQ(cell(after, "*")["total_wh"].get<std::int64_t>(), total - 6000);
}

TEST_F(HubPublishTest, LoadCurveComparatorChallengesAndCsv) {
  auto hub = client();
  for (int i = 0; i < 10; ++i) {
    privacy::Contribution c = daily("2024-04-09", 48 * 100, "75111", i < 5 ? "1" : "3-4");
    c.granularity = privacy::Granularity::kHalfHour;
    c.half_hours_wh.assign(48, 100);
    ASSERT_TRUE(contribute(hub, enrol(), c).is_ok());
  }
  ASSERT_TRUE(publisher_->publish_dirty().is_ok());
  json curve = get("/open/v1/load_curve?period=2024-04-09&area=75111");
  ASSERT_EQ(curve["cells"].size(), 48u);
  EXPECT_EQ(curve["cells"][0]["slot"], 0);
  EXPECT_EQ(curve["cells"][0]["total_wh"], 1000);
  json cmp = get("/open/v1/comparator");
  bool area_cell = false;
  for (const auto& c : cmp["cells"])
    if (c["area"] == "75111" && c["household_size"] == "") {
      area_cell = true;
      EXPECT_EQ(c["percentiles"].size(), 19u);
    }
  EXPECT_TRUE(area_cell);
  // Groups of 5 are below k and never reach the bases.
  for (const auto& c : cmp["cells"]) EXPECT_NE(c["household_size"], "1");
  json ch = get("/open/v1/challenges?area=75111");
  EXPECT_EQ(ch["mean_daily_wh"], 4800.0);
  EXPECT_TRUE(ch["saving"].is_null());  // no published last year to compare with
  std::string csv;
  get("/open/v1/daily.csv?period=2024-04-09", 200, &csv);
  EXPECT_EQ(csv.rfind("period,area,dimension,group,slot,households", 0), 0u) << csv;
  EXPECT_NE(csv.find("2024-04-09,75111,all,*,,10,48000"), std::string::npos) << csv;
  json dict = get("/open/v1/datasets");
  EXPECT_EQ(dict["datasets"].size(), 4u);
  EXPECT_TRUE(dict["fields"].contains("suppressed"));
  get("/open/v1/daily?from=2024-04-09&to=2023-01-01", 400);
  get("/open/v1/daily?from=2020-01-01&to=2024-04-09", 400);
}

TEST_F(HubPublishTest, NoiseSpendsEpsilonFromTheDaysBudgetThenStops) {
  hub::PublishOptions popts;
  popts.epsilon = 0.5;
  popts.epsilon_budget = 8;  // 8 partitions x 0.5: two releases
  server_.reset();
  start_server(0, popts);
  households(12, "75111", 8000);
  for (int release = 1; release <= 3; ++release) {
    ASSERT_TRUE(publisher_->recompute("2024-04-09").is_ok());
    json d = get("/open/v1/daily?period=2024-04-09");
    json c = cell(d, "75111");
    if (release <= 2) {
      EXPECT_TRUE(c["suppressed"].is_null()) << release;
      EXPECT_TRUE(c["noisy"].get<bool>());
      EXPECT_TRUE(c["percentiles"].is_null());
      EXPECT_GE(c["households"].get<int>(), 1);
    } else {
      EXPECT_EQ(c["suppressed"], "epsilon_budget") << "the budget is spent: no third release";
    }
  }
  json eps = get("/open/v1/epsilon");
  ASSERT_EQ(eps["ledger"].size(), 2u);
  EXPECT_DOUBLE_EQ(eps["ledger"][0]["epsilon"].get<double>(), 4.0);
}

}  // namespace
}  // namespace cw::hubtest
