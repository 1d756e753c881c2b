// Health, sensors, series and energy on samples committed through the real store.
#include "web_fixture.h"

namespace cw::web::testing {
namespace {

class DataApiTest : public WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    add_test_data();
    read_ = token(store::TokenScope::kRead);
  }
  httplib::Result get(const std::string& path) { return client()->Get(path, bearer(read_)); }
  json get_json(const std::string& path, int status = 200) {
    auto r = get(path);
    EXPECT_TRUE(r);
    if (!r) return json();
    EXPECT_EQ(r->status, status) << path << ": " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
    return json::parse(r->body);
  }
  std::string read_;
};

const std::string kFrom = "2024-04-01T10:00:00Z";
const std::string kTo = "2024-04-01T11:00:00Z";

TEST_F(DataApiTest, HealthReportsStoreIngestAndZone) {
  auto r = client()->Get("/api/v1/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  json j = json::parse(r->body);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["version"], "test-1.0");
  EXPECT_EQ(j["time_zone"], "Europe/Paris");
  EXPECT_EQ(j["store"]["raw_samples"], kSamples);
  EXPECT_EQ(j["ingest"]["committed_samples"], 0);
  EXPECT_GE(j["uptime_s"].get<int>(), 0);
}

TEST_F(DataApiTest, SensorsShowStateButNeverTheKey) {
  json j = get_json("/api/v1/sensors");
  ASSERT_EQ(j["sensors"].size(), 1u);
  const json& s = j["sensors"][0];
  EXPECT_EQ(s["id"], 1);
  EXPECT_EQ(s["name"], "Kitchen");
  EXPECT_EQ(s["kind"], "v2");
  EXPECT_EQ(s["secure"], true);
  EXPECT_EQ(s["last_seen"], "2024-04-01T11:00:00.000Z");
  EXPECT_EQ(s["last_power_w"], 3600);
  EXPECT_EQ(s["energy_wh"], 1000 + 10 * (kSamples - 1));
  EXPECT_DOUBLE_EQ(s["voltage_v"].get<double>(), 230.1);
  EXPECT_DOUBLE_EQ(s["supply_v"].get<double>(), 3.3);
  EXPECT_EQ(s["flags"]["low_battery"], true);
  EXPECT_EQ(s["flags"]["reboot"], false);
  EXPECT_EQ(s["frames"]["accepted"], kSamples);
  EXPECT_EQ(s["frames"]["forged"], 2);
  EXPECT_EQ(s["frames"]["lost"], 39);
  EXPECT_DOUBLE_EQ(s["loss_ratio"].get<double>(), 39.0 / (kSamples + 39));
  EXPECT_FALSE(s.contains("key"));
}

TEST_F(DataApiTest, SeriesGivesMeanPowerAndEnergyPerPoint) {
  json j = get_json("/api/v1/sensors/1/series?from=" + kFrom + "&to=" + kTo + "&points=60");
  EXPECT_EQ(j["unit"], "W");
  EXPECT_TRUE(j["level"].is_string());
  EXPECT_GT(j["step_s"].get<double>(), 0);
  ASSERT_FALSE(j["points"].empty());
  EXPECT_LE(j["points"].size(), 60u);
  double energy = 0;
  for (const json& p : j["points"]) {
    for (const char* k : {"t", "t_ms", "end_ms", "mean", "min", "max", "energy_wh", "coverage",
                          "estimated", "value"})
      ASSERT_TRUE(p.contains(k)) << k;
    ASSERT_FALSE(p["mean"].is_null()) << p.dump();
    EXPECT_NEAR(p["mean"].get<double>(), 3600, 1e-6);
    EXPECT_EQ(p["min"], 3600);
    EXPECT_EQ(p["max"], 3600);
    EXPECT_EQ(p["value"], p["mean"]);
    energy += p["energy_wh"].get<double>();
  }
  EXPECT_NEAR(energy, 3600, 1e-6);
  EXPECT_EQ(j["points"][0]["t"], "2024-04-01T10:00:00.000Z");

  json wh =
      get_json("/api/v1/sensors/1/series?from=" + kFrom + "&to=" + kTo + "&points=60&unit=Wh");
  EXPECT_EQ(wh["unit"], "Wh");
  EXPECT_EQ(wh["points"][0]["value"], wh["points"][0]["energy_wh"]);
}

TEST_F(DataApiTest, SeriesShowsGapsAsNullValues) {
  // 10:00-12:00 with data only in the first hour: the second hour is a gap.
  json j =
      get_json("/api/v1/sensors/1/series?from=" + kFrom + "&to=2024-04-01T12:00:00Z&points=24");
  bool gap = false;
  for (const json& p : j["points"])
    if (p["t_ms"].get<TimeMs>() >= kT0 + kHourMs + 10 * kMinuteMs) {
      EXPECT_TRUE(p["mean"].is_null()) << p.dump();
      EXPECT_TRUE(p["value"].is_null()) << p.dump();
      gap = true;
    }
  EXPECT_TRUE(gap);
}

TEST_F(DataApiTest, EnergyPerLocalHourAndDay) {
  json h = get_json("/api/v1/sensors/1/energy?by=hour&from=" + kFrom + "&to=2024-04-01T12:00:00Z");
  ASSERT_EQ(h["buckets"].size(), 2u);
  EXPECT_EQ(h["buckets"][0]["start"], "2024-04-01T12:00:00+02:00");  // local time
  EXPECT_EQ(h["buckets"][0]["start_ms"], kT0);
  EXPECT_NEAR(h["buckets"][0]["energy_wh"].get<double>(), 3600, 1e-6);
  EXPECT_NEAR(h["buckets"][1]["energy_wh"].get<double>(), 0, 1e-6);
  EXPECT_NEAR(h["total_wh"].get<double>(), 3600, 1e-6);

  json d =
      get_json("/api/v1/sensors/1/energy?by=day&from=2024-03-31T22:00:00Z&to=2024-04-01T22:00:00Z");
  ASSERT_EQ(d["buckets"].size(), 1u);
  EXPECT_EQ(d["buckets"][0]["start"], "2024-04-01T00:00:00+02:00");
  EXPECT_EQ(d["buckets"][0]["end"], "2024-04-02T00:00:00+02:00");
  EXPECT_NEAR(d["total_wh"].get<double>(), 3600, 1e-6);
  for (const char* k : {"start", "end", "start_ms", "end_ms", "energy_wh", "estimated", "coverage"})
    EXPECT_TRUE(d["buckets"][0].contains(k)) << k;
}

TEST_F(DataApiTest, BadParametersAreRefusedWithJsonErrors) {
  const std::string base = "/api/v1/sensors/1/series?";
  const std::pair<std::string, int> cases[] = {
      {base + "from=" + kTo + "&to=" + kFrom, 400},
      {base + "from=" + kFrom + "&to=" + kFrom, 400},
      {base + "points=0", 400},
      {base + "points=1e9", 400},
      {base + "points=1000000000", 400},
      {base + "points=10001", 400},
      {base + "points=-5", 400},
      {base + "from=2024-13-45T99:00:00Z", 400},
      {base + "from=yesterday", 400},
      {base + "to=2024-04-01T10:00:00", 400},  // no zone
      {base + "unit=kW", 400},
      {"/api/v1/sensors/9/series", 404},
      {"/api/v1/sensors/70000/series", 404},
      {"/api/v1/sensors/9/energy", 404},
      {"/api/v1/sensors/1/energy?by=fortnight", 400},
      {"/api/v1/sensors/1/energy?by=hour&from=2020-01-01T00:00:00Z&to=2024-01-01T00:00:00Z", 400},
      {"/api/v1/export", 400},
      {"/api/v1/export?sensor=abc", 400},
      {"/api/v1/export?sensor=9", 404},
      {"/api/v1/export?sensor=1&format=xml", 400},
      {"/api/v1/live?sensor=x", 400},
      {"/api/v1/nope", 404},
  };
  for (const auto& [path, status] : cases) {
    SCOPED_TRACE(path);
    expect_error(get(path), status);
  }
  EXPECT_EQ(get(base + "points=10000&from=" + kFrom + "&to=" + kTo)->status, 200);
}

TEST_F(DataApiTest, DefaultRangeIsTheLastDay) {
  json j = get_json("/api/v1/sensors/1/series");
  EXPECT_EQ(j["to"], format_iso_utc(clock_.now()));
  EXPECT_EQ(j["from"], format_iso_utc(clock_.now() - kDayMs));
}

}  // namespace
}  // namespace cw::web::testing
