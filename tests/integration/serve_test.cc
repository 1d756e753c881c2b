// The real binary, real HTTP, a real SQLite file.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "process.h"
#include "udp_sender.h"

namespace cw::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

struct Paired {
  int id;
  store::Key128 key;
};

Paired pair_sensor(const std::string& data, const std::string& name, int id) {
  auto r = run_cli({"sensor", "add", name, "--id", std::to_string(id), "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  EXPECT_TRUE(std::regex_search(r.out, m, std::regex("key: ([0-9a-f]{32})"))) << r.out;
  return {id, parse_key(m[1].str())};
}

std::string make_token(const std::string& data, const std::string& scope = "read") {
  auto r = run_cli({"token", "create", "tests-" + scope, "--scope", scope, "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string t = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(t.rfind("cwt_", 0), 0u) << r.out;
  return t;
}

struct Base {
  std::unique_ptr<Process> proc;
  int http_port = 0;
  int udp_port = 0;
};

Base start_base(const TempDir& tmp, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"serve", "--data", (tmp.path() / "var").string(), "--listen",
                                   "127.0.0.1:0", "--flush-ms", "100"};
  args.insert(args.end(), extra.begin(), extra.end());
  Base b;
  static int runs = 0;  // a log per start: a restart must not read the previous run's lines
  b.proc = std::make_unique<Process>(args, tmp.path() / ("serve" + std::to_string(++runs) + ".log"));
  auto http = b.proc->wait_for_log(R"(base station on http://127\.0\.0\.1:(\d+))", 20s);
  EXPECT_TRUE(http.has_value()) << b.proc->log();
  if (http) b.http_port = std::stoi(*http);
  auto udp = b.proc->wait_for_log(R"(frames on udp://127\.0\.0\.1:(\d+))", 1s);
  if (udp) b.udp_port = std::stoi(*udp);
  return b;
}

json get_json(int port, const std::string& path, const std::string& token, int expect = 200) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(10, 0);
  httplib::Headers h;
  if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
  auto res = c.Get(path.c_str(), h);
  EXPECT_TRUE(res) << path;
  if (!res) return {};
  EXPECT_EQ(res->status, expect) << path << " " << res->body;
  return json::parse(res->body, nullptr, false);
}

TEST(IntegrationServe, FramesOverUdpReachTheApiAndSurviveAStop) {
  TempDir tmp;
  std::string data = (tmp.path() / "var").string();
  Paired s = pair_sensor(data, "kitchen", 5);
  std::string token = make_token(data);
  Base base = start_base(tmp, {"--source", "udp://127.0.0.1:0"});
  ASSERT_GT(base.udp_port, 0) << base.proc->log();

  UdpSender sensor(base.udp_port, 5, s.key);
  for (int i = 0; i < 20; ++i) sensor.send(1000 + i, 2);
  json sensors;
  ASSERT_TRUE(eventually(
      [&] {
        sensors = get_json(base.http_port, "/api/v1/sensors", token);
        return sensors["sensors"].size() == 1 && sensors["sensors"][0]["last_power_w"] == 1019;
      },
      10s))
      << sensors.dump();
  EXPECT_EQ(sensors["sensors"][0]["name"], "kitchen");
  EXPECT_FALSE(sensors["sensors"][0].contains("key"));

  json series = get_json(base.http_port, "/api/v1/sensors/5/series?points=100", token);
  ASSERT_TRUE(series["points"].is_array());
  int with_data = 0;
  for (const auto& p : series["points"]) with_data += p["mean"].is_null() ? 0 : 1;
  EXPECT_GT(with_data, 0) << series.dump();

  json energy = get_json(base.http_port, "/api/v1/sensors/5/energy?by=hour", token);
  EXPECT_NEAR(energy["total_wh"].get<double>(), 19 * 2, 1e-6) << energy.dump();

  httplib::Client c("127.0.0.1", base.http_port);
  auto csv = c.Get("/api/v1/export?sensor=5&format=csv",
                   httplib::Headers{{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 21) << csv->body;

  base.proc->signal(SIGTERM);
  EXPECT_EQ(base.proc->wait(10s), 0) << base.proc->log();
  EXPECT_NE(base.proc->log().find("stopped cleanly"), std::string::npos);

  // Everything is still there after a restart.
  Base again = start_base(tmp, {"--source", "udp://127.0.0.1:0"});
  json after = get_json(again.http_port, "/api/v1/sensors/5/energy?by=day", token);
  EXPECT_NEAR(after["total_wh"].get<double>(), 38, 1e-6);
}

TEST(IntegrationServe, ProtectedRoutesNeedAuthButHealthDoesNot) {
  TempDir tmp;
  Base base = start_base(tmp);
  json health = get_json(base.http_port, "/api/v1/health", "");
  EXPECT_EQ(health["status"], "ok");
  EXPECT_TRUE(health.contains("version"));
  get_json(base.http_port, "/api/v1/sensors", "", 401);
  json err = get_json(base.http_port, "/api/v1/sensors", "cwt_not-a-real-token", 401);
  EXPECT_TRUE(err.contains("error"));
  EXPECT_TRUE(err.contains("message"));
}

TEST(IntegrationServe, SimulatedHouseholdShowsLiveData) {
  TempDir tmp;
  std::string data = (tmp.path() / "var").string();
  std::string token = make_token(data);
  Base base = start_base(tmp, {"--simulate", "--speed", "30"});
  json sensors;
  ASSERT_TRUE(eventually(
      [&] {
        sensors = get_json(base.http_port, "/api/v1/sensors", token);
        return sensors["sensors"].size() == 1 && !sensors["sensors"][0]["last_seen"].is_null();
      },
      30s))
      << sensors.dump() << base.proc->log();

  // The live stream delivers a new sample within a few seconds.
  httplib::Client c("127.0.0.1", base.http_port);
  c.set_read_timeout(15, 0);
  std::string received;
  auto res = c.Get("/api/v1/live", httplib::Headers{{"Authorization", "Bearer " + token}},
                   [&](const char* data, size_t n) {
                     received.append(data, n);
                     return received.find("event: sample") == std::string::npos;
                   });
  EXPECT_NE(received.find("event: sample"), std::string::npos) << received;
  base.proc->signal(SIGINT);
  EXPECT_EQ(base.proc->wait(10s), 0) << base.proc->log();
}

TEST(IntegrationServe, BadConfigurationAndBusyPortGetClearErrors) {
  TempDir tmp;
  std::string data = (tmp.path() / "var").string();
  auto r = run_cli({"serve", "--data", data, "--timezone", "Mars/Olympus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("time zone"), std::string::npos) << r.err;

  std::filesystem::create_directories(data);
  std::ofstream(data + "/citizenwatt.toml") << "[base]\nlisten = \"127.0.0.1:8080\"\ntypo = 1\n";
  r = run_cli({"serve", "--data", data});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("base.typo"), std::string::npos) << r.err;
  std::filesystem::remove(data + "/citizenwatt.toml");

  Base first = start_base(tmp);
  r = run_cli({"serve", "--data", (tmp.path() / "other").string(), "--listen",
               "127.0.0.1:" + std::to_string(first.http_port)},
              "", 20s);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(std::to_string(first.http_port)), std::string::npos) << r.err;
}

TEST(IntegrationCli, SensorAndTokenCommandsValidateInput) {
  TempDir tmp;
  std::string data = (tmp.path() / "var").string();
  EXPECT_EQ(run_cli({"sensor", "add", "x", "--id", "0", "--data", data}).exit_code, 2);
  EXPECT_EQ(run_cli({"sensor", "add", "x", "--id", "70000", "--data", data}).exit_code, 2);
  EXPECT_EQ(run_cli({"sensor", "add", "x", "--id", "3", "--data", data}).exit_code, 0);
  EXPECT_EQ(run_cli({"sensor", "add", "y", "--id", "3", "--data", data}).exit_code, 2);
  auto list = run_cli({"sensor", "list", "--data", data});
  EXPECT_NE(list.out.find("x"), std::string::npos);
  EXPECT_EQ(list.out.find("key"), std::string::npos);  // keys are shown once, at pairing only
  EXPECT_EQ(run_cli({"token", "create", "t", "--scope", "admin", "--data", data}).exit_code, 2);
  EXPECT_EQ(run_cli({"user", "add", "alice", "--admin", "--data", data}, "short\n").exit_code, 2);
  EXPECT_EQ(run_cli({"user", "add", "alice", "--admin", "--data", data}, "long enough pw\n").exit_code, 0);
  EXPECT_EQ(run_cli({"user", "add", "alice", "--data", data}, "long enough pw\n").exit_code, 2);
}

}  // namespace
}  // namespace cw::testing
