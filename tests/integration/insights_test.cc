// The insights of the real binary: `serve` over weeks of a simulated household and of the real
// UCI recording answers baseload, tips, target and challenges with self-consistent numbers; a
// sensor that stops opens one sensor_silent alert, acknowledged, closed by its next frames, and
// all of it survives a restart.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "analytics/money.h"
#include "core/calendar.h"
#include "process.h"
#include "simulate/household_model.h"
#include "simulate/recording.h"
#include "store/store.h"
#include "udp_sender.h"

namespace cw::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

struct Served {
  std::unique_ptr<Process> proc;
  int http = 0;
  int udp = 0;
};

Served serve(const TempDir& tmp, const std::string& data, const std::string& log) {
  Served s;
  s.proc = std::make_unique<Process>(
      std::vector<std::string>{"serve", "--data", data, "--listen", "127.0.0.1:0", "--source",
                               "udp://127.0.0.1:0", "--flush-ms", "50"},
      tmp.path() / log);
  auto http = s.proc->wait_for_log(R"(base station on http://127\.0\.0\.1:(\d+))", 30s);
  auto udp = s.proc->wait_for_log(R"(frames on udp://127\.0\.0\.1:(\d+))", 5s);
  EXPECT_TRUE(http && udp) << s.proc->log();
  if (http) s.http = std::stoi(*http);
  if (udp) s.udp = std::stoi(*udp);
  return s;
}

std::string make_token(const std::string& data) {
  auto r = run_cli({"token", "create", "insights", "--scope", "write", "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out.substr(0, r.out.find('\n'));
}

struct Api {
  int port;
  std::string token;
  httplib::Result call(const std::string& method, const std::string& path,
                       const std::string& body = "") const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    httplib::Headers h{{"Authorization", "Bearer " + token}};
    if (method == "PUT") return c.Put(path, h, body, "application/json");
    if (method == "POST") return c.Post(path, h, body, "application/json");
    return c.Get(path, h);
  }
  json get(const std::string& path, int status = 200) const {
    return send("GET", path, "", status);
  }
  json send(const std::string& method, const std::string& path, const std::string& body,
            int status = 200) const {
    auto r = call(method, path, body);
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, status) << method << " " << path << ": " << r->body;
    return json::parse(r->body, nullptr, false);
  }
};

// Commits power readings as a sensor with a continuous register (power held over the interval
// before each reading, as the rollups read it).
TimeMs write_history(const std::string& data, SensorId id,
                     const std::vector<simulate::PowerSample>& readings) {
  const Calendar paris = *Calendar::in_zone("Europe/Paris");
  auto store = store::open_sqlite_store(data + "/citizenwatt.db", paris);
  EXPECT_TRUE(store.is_ok()) << store.status().to_string();
  std::vector<Sample> samples;
  std::int64_t wms = 0;
  for (const auto& r : readings) {
    const auto w = std::int32_t(std::lround(r.power_w));
    if (!samples.empty()) wms += std::int64_t(w) * (r.t - samples.back().t);
    samples.push_back({r.t, std::uint32_t(samples.size() + 1), w, wms / kHourMs});
  }
  for (std::size_t i = 0; i < samples.size(); i += 20000) {
    store::SensorBatch b;
    b.sensor = id;
    b.samples.assign(samples.begin() + i, samples.begin() + std::min(samples.size(), i + 20000));
    b.state.has_counter = true;
    b.state.last_counter = b.samples.back().counter;
    b.state.last_seen = b.samples.back().t;
    b.state.last_power_w = b.samples.back().power_w;
    b.state.last_raw_energy_wh = b.samples.back().energy_wh;
    Status st = (*store)->commit({.sensors = {b}});
    EXPECT_TRUE(st.is_ok()) << st.to_string();
  }
  return samples.back().t;
}

std::vector<simulate::PowerSample> simulated_household(TimeMs from, TimeMs to) {
  simulate::HouseholdOptions o;
  o.seed = 11;
  o.start = from;
  o.step_ms = kMinuteMs;
  simulate::HouseholdModel home(o, *Calendar::in_zone("Europe/Paris"));
  std::vector<simulate::PowerSample> out;
  for (simulate::PowerSample p; home.next(&p) && p.t < to;) out.push_back(p);
  return out;
}

// The UCI recording (Sceaux, Dec 2006 - Jan 2007, one minute), moved by whole days to end
// within the last day: the same local hours, recent enough for the last nights and weeks.
std::vector<simulate::PowerSample> uci_replay(TimeMs now) {
  auto rec = simulate::load_recording(
      std::string(CW_SHARED_DATA) +
      "/uci_household_power/household_power_consumption_2006-12-16_2007-01-19.txt");
  if (!rec.is_ok()) return {};
  const TimeMs shift = floor_to(now - rec->samples.back().t, kDayMs);
  std::vector<simulate::PowerSample> out = rec->samples;
  for (auto& p : out) p.t += shift;
  return out;
}

void pair(const std::string& data, int id) {
  auto r = run_cli({"sensor", "add", "home", "--id", std::to_string(id), "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// A local time ("...T00:00:00+01:00") as a query value: '+' would read as a space.
std::string plus_encoded(const json& text) {
  std::string out;
  for (char c : text.get<std::string>()) out += c == '+' ? std::string("%2B") : std::string(1, c);
  return out;
}

// Every figure checked against another route or against its own definition.
void expect_self_consistent(const Api& api, TimeMs last_sample) {
  const json b = api.get("/api/v1/baseload");
  ASSERT_TRUE(b["watts"].is_number()) << b.dump();
  const double watts = b["watts"];
  EXPECT_GE(b["nights"].get<int>(), 6) << b.dump();
  EXPECT_GT(watts, 20);
  EXPECT_LT(watts, 2000);
  EXPECT_NEAR(b["yearly_kwh"].get<double>(), watts * 8766 / 1000, 1e-9);
  const auto price = analytics::parse_micros(b["price_kwh"].get<std::string>());
  ASSERT_TRUE(price.is_ok());
  EXPECT_EQ(b["yearly_cost"]["micros"], analytics::round_to_micros(analytics::energy_cost(
                                            *price, std::llround(watts * 8766 * 1000))));
  double lo = 1e9, hi = 0;
  for (const auto& n : b["per_night"]) {
    if (!n["watts"].is_number()) continue;
    lo = std::min(lo, n["watts"].get<double>());
    hi = std::max(hi, n["watts"].get<double>());
  }
  EXPECT_GE(watts, lo - 1) << b.dump();  // the pooled percentile lies among the nights'
  EXPECT_LE(watts, hi + 1) << b.dump();

  const json tips = api.get("/api/v1/tips");
  std::int64_t previous = INT64_MAX;
  for (const auto& t : tips["tips"]) {
    const std::int64_t v = t["saving_year"]["micros"];
    EXPECT_LE(v, previous) << tips.dump();
    previous = v;
    if (t["id"] == "high_baseload") {
      EXPECT_EQ(t["params"]["watts"], watts);
      EXPECT_NEAR(t["saving_kwh_year"].get<double>(), (watts - 50) * 8.766, 0.051);
    }
    if (t["id"] == "switch_option") {
      // The current cost is the cost route's, over the same days.
      const json cost = api.get("/api/v1/cost?by=month&from=" + plus_encoded(t["params"]["from"]) +
                                "&to=" + plus_encoded(t["params"]["to"]));
      EXPECT_NEAR(t["params"]["current_cost"]["micros"].get<double>() / 1e4,
                  cost["total"]["cents"].get<double>(), 0.51);
    }
  }
  // Each of the five rules gave a tip, could not judge (skipped), or found nothing (checked).
  EXPECT_EQ(tips["tips"].size() + tips["skipped"].size() + tips["checked"].size(), 5u)
      << tips.dump();

  const json target = api.send("PUT", "/api/v1/target", R"({"unit": "kwh", "amount": "400"})");
  EXPECT_EQ(target["target"], (json{{"unit", "kwh"}, {"amount", "400.00"}}));
  const double so_far = target["so_far"]["kwh"], proj = target["projection"]["kwh"];
  const json energy =
      api.get("/api/v1/sensors/1/energy?by=month&from=" + plus_encoded(target["month_start"]));
  EXPECT_NEAR(so_far, energy["total_wh"].get<double>() / 1000, 0.002);
  EXPECT_GE(proj + 0.05, so_far);
  EXPECT_LE(target["projection"]["low_kwh"].get<double>(), proj + 0.05);
  EXPECT_GE(target["projection"]["high_kwh"].get<double>(), proj - 0.05);
  EXPECT_NEAR(target["share"].get<double>(), so_far / 400, 0.0011);
  const std::string expected = so_far > 400 ? "over" : proj > 400 ? "at_risk" : "on_track";
  EXPECT_EQ(target["status"], expected) << target.dump();

  const json ch = api.get("/api/v1/challenges");
  ASSERT_TRUE(ch["current"].is_object()) << ch.dump();
  const json& cur = ch["current"];
  EXPECT_EQ(cur["week_start"].get<std::string>().substr(10, 9), "T00:00:00");
  const json& goal = cur["params"];
  if (cur["kind"] == "week_less_10") {
    EXPECT_NEAR(cur["goal_kwh"].get<double>(), cur["usual_kwh"].get<double>() * 0.9, 0.051);
    EXPECT_GT(cur["usual_kwh"].get<double>(), 10);
  } else if (cur["kind"] == "baseload_less_20w") {
    EXPECT_EQ(goal.value("goal_w", 0.0), goal.value("usual_w", -1.0) - 20) << ch.dump();
  } else {
    EXPECT_EQ(cur["kind"], "peak_to_offpeak") << ch.dump();
    EXPECT_NEAR(goal.value("goal_share", 0.0), goal.value("usual_share", -1.0) + 0.05, 1e-9);
  }
  EXPECT_GE(cur["projection_kwh"].get<double>() + 0.05, cur["so_far_kwh"].get<double>());

  // The replay ended before now: the sensor is silent since its last sample.
  json alerts;
  ASSERT_TRUE(eventually(
      [&] {
        alerts = api.get("/api/v1/alerts");
        for (const auto& a : alerts["alerts"])
          if (a["kind"] == "sensor_silent") return true;
        return false;
      },
      20s))
      << alerts.dump();
  for (const auto& a : alerts["alerts"])
    if (a["kind"] == "sensor_silent") {
      EXPECT_EQ(a["params"]["since_ms"], last_sample);
    }
}

class IntegrationInsights : public ::testing::TestWithParam<const char*> {};

TEST_P(IntegrationInsights, ServeAnswersSelfConsistentInsights) {
  TempDir tmp;
  const std::string data = (tmp.path() / "var").string();
  pair(data, 1);
  const TimeMs now = SystemClock().now();
  const bool uci = std::string(GetParam()) == "uci";
  auto readings = uci ? uci_replay(now)
                      : simulated_household(floor_to(now, kMinuteMs) - 35 * kDayMs, now - kHourMs);
  if (readings.empty()) GTEST_SKIP() << "the UCI recording is absent";
  const TimeMs last = write_history(data, 1, readings);
  const std::string token = make_token(data);
  Served base = serve(tmp, data, "serve1.log");
  Api api{base.http, token};
  if (uci)  // the Sceaux home peaks near 10 kW: HP/HC 9 kVA
    api.send("PUT", "/api/v1/tariff",
             R"({"option": "hphc", "kva": 9, "offpeak": ["22:00-06:00"]})");
  expect_self_consistent(api, last);

  // A restart keeps the target and this week's challenge.
  const json before = api.get("/api/v1/challenges");
  base.proc->signal(SIGTERM);
  ASSERT_EQ(base.proc->wait(20s), 0) << base.proc->log();
  Served again = serve(tmp, data, "serve2.log");
  Api api2{again.http, token};
  EXPECT_EQ(api2.get("/api/v1/target")["target"]["amount"], "400.00");
  EXPECT_EQ(api2.get("/api/v1/challenges")["current"]["kind"], before["current"]["kind"]);
}

INSTANTIATE_TEST_SUITE_P(Households, IntegrationInsights, ::testing::Values("simulated", "uci"));

TEST(IntegrationAlerts, ASensorThatStopsOpensOneSilentAlertAckedThenClosedByFrames) {
  TempDir tmp;
  const std::string data = (tmp.path() / "var").string();
  auto add = run_cli({"sensor", "add", "hall", "--id", "2", "--data", data});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(add.out, m, std::regex("key: ([0-9a-f]{32})")));
  const std::string token = make_token(data);
  std::ofstream(data + "/citizenwatt.toml") << "[alerts]\nsilent_after = \"2s\"\n";
  Served base = serve(tmp, data, "serve1.log");
  Api api{base.http, token};
  UdpSender sensor(base.udp, 2, parse_key(m[1].str()));
  for (int i = 0; i < 5; ++i) sensor.send(400);
  TimeMs last_seen = 0;
  ASSERT_TRUE(eventually(
      [&] {
        const json s = api.get("/api/v1/sensors");
        if (s["sensors"].empty() || s["sensors"][0]["last_seen"].is_null()) return false;
        last_seen = *parse_instant(s["sensors"][0]["last_seen"].get<std::string>());
        return s["sensors"][0]["last_power_w"] == 400;
      },
      10s));

  // Silent now: one alert opens within a few seconds of the 2 s threshold.
  auto after_frames = [&] {
    json out = json::array();
    const json all = api.get("/api/v1/alerts?state=all");  // kept alive while iterated
    for (const auto& a : all["alerts"])
      if (a["kind"] == "sensor_silent" && a["opened_ms"].get<TimeMs>() > last_seen)
        out.push_back(a);
    return out;
  };
  json open;
  ASSERT_TRUE(eventually([&] { return (open = after_frames()).size() == 1; }, 20s))
      << api.get("/api/v1/alerts?state=all").dump() << base.proc->log();
  EXPECT_EQ(open[0]["state"], "open");
  const json now_sensors = api.get("/api/v1/sensors");  // silent now: its last frame is final
  EXPECT_EQ(open[0]["params"]["since_ms"],
            *parse_instant(now_sensors["sensors"][0]["last_seen"].get<std::string>()));
  const std::int64_t id = open[0]["id"];
  // The rules run every second: over the next four passes, no second alert for this silence.
  EXPECT_FALSE(eventually([&] { return after_frames().size() > 1; }, 4s)) << after_frames().dump();

  const json acked = api.send("POST", "/api/v1/alerts/" + std::to_string(id) + "/ack", "");
  EXPECT_EQ(acked["state"], "acknowledged");
  sensor.send(410);
  json closed;
  ASSERT_TRUE(eventually(
      [&] {
        const json list = api.get("/api/v1/alerts?state=closed");
        for (const auto& a : list["alerts"]) {
          if (a["id"] != id) continue;
          closed = a;
          return true;
        }
        return false;
      },
      20s));
  EXPECT_EQ(closed["acknowledged_ms"], acked["acknowledged_ms"]);
  EXPECT_TRUE(closed["closed_ms"].is_number());

  base.proc->signal(SIGTERM);
  ASSERT_EQ(base.proc->wait(20s), 0) << base.proc->log();
  Served again = serve(tmp, data, "serve2.log");
  bool kept = false;
  const json after = Api{again.http, token}.get("/api/v1/alerts?state=closed");
  for (const auto& a : after["alerts"])
    kept |= a["id"] == id && a["closed_ms"] == closed["closed_ms"] &&
            a["acknowledged_ms"] == acked["acknowledged_ms"];
  EXPECT_TRUE(kept);
}

TEST(IntegrationAlerts, BadAlertSettingsStopServeWithTheKeyNamed) {
  TempDir tmp;
  const std::string data = (tmp.path() / "var").string();
  std::filesystem::create_directories(data);
  for (const auto& [toml, key] : std::vector<std::pair<std::string, std::string>>{
           {"[alerts]\nsilent_after = \"5 parsecs\"\n", "alerts.silent_after"},
           {"[alerts]\nsilent_after = 300\n", "alerts.silent_after"},
           {"[alerts]\npower_share = 0.7\n", "power_clear_share"},
           {"[alerts]\nnight_facto = 2\n", "alerts.night_facto"}}) {
    std::ofstream(data + "/citizenwatt.toml") << toml;
    auto r = run_cli({"serve", "--data", data, "--listen", "127.0.0.1:0"}, "", 20s);
    EXPECT_EQ(r.exit_code, 2) << toml << r.err;
    EXPECT_NE(r.err.find(key), std::string::npos) << toml << r.err;
  }
}

}  // namespace
}  // namespace cw::testing
