// `citizenwatt simulate` against a real `serve`: replayed real data and the synthetic household
// arrive through UDP as the frames of a real sensor.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "process.h"

namespace cw::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

struct Running {
  std::unique_ptr<Process> proc;
  int http = 0;
  int udp = 0;
};

Running serve(const TempDir& tmp, const std::string& data) {
  Running r;
  r.proc = std::make_unique<Process>(
      std::vector<std::string>{"serve", "--data", data, "--listen", "127.0.0.1:0", "--source",
                               "udp://127.0.0.1:0", "--flush-ms", "50"},
      tmp.path() / "serve.log");
  auto http = r.proc->wait_for_log(R"(base station on http://127\.0\.0\.1:(\d+))", 20s);
  auto udp = r.proc->wait_for_log(R"(frames on udp://127\.0\.0\.1:(\d+))", 5s);
  EXPECT_TRUE(http && udp) << r.proc->log();
  if (http) r.http = std::stoi(*http);
  if (udp) r.udp = std::stoi(*udp);
  return r;
}

std::uint64_t accepted(int port) {
  httplib::Client c("127.0.0.1", port);
  auto res = c.Get("/api/v1/health");
  if (!res || res->status != 200) return 0;
  return json::parse(res->body)["ingest"]["frames"]["accepted"].get<std::uint64_t>();
}

// The first rows of the real UCI file: a replay of real data, sped up.
TEST(IntegrationSimulate, ReplayOfRealDataArrivesThroughUdp) {
  TempDir tmp;
  const std::string data = (tmp.path() / "var").string();
  ASSERT_EQ(run_cli({"sensor", "add", "replay", "--id", "4", "--data", data}).exit_code, 0);
  // 200 rows of the UCI file, with its header.
  std::ifstream in(std::string(CW_SHARED_DATA) +
                   "/uci_household_power/household_power_consumption_2006-12-16_2007-01-19.txt");
  ASSERT_TRUE(in.good());
  std::ofstream out(tmp.path() / "uci_head.txt");
  std::string line;
  for (int i = 0; i < 201 && std::getline(in, line); ++i) out << line << "\n";
  out.close();

  Running base = serve(tmp, data);
  auto sim = run_cli({"simulate", "--data", data, "--sensor", "4", "--target",
                      "udp://127.0.0.1:" + std::to_string(base.udp), "--replay",
                      (tmp.path() / "uci_head.txt").string(), "--speed", "6000"},
                     "", 60s);
  ASSERT_EQ(sim.exit_code, 0) << sim.err << sim.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(sim.out, m, std::regex(R"((\d+) frames sent)"))) << sim.out;
  const std::uint64_t sent = std::stoull(m[1].str());
  EXPECT_GE(sent, 190u);  // 200 rows (a few may be missing '?' rows) + a hello frame
  // Every frame sent over loopback is accepted: same key, increasing counters.
  EXPECT_TRUE(eventually([&] { return accepted(base.http) == sent; }, 10s))
      << accepted(base.http) << " of " << sent << "\n" << base.proc->log();
}

TEST(IntegrationSimulate, RefusesToRunWithoutAPairedSensor) {
  TempDir tmp;
  auto r = run_cli({"simulate", "--data", (tmp.path() / "var").string(), "--duration", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("sensor add"), std::string::npos) << r.err;
}

TEST(IntegrationServe, DamagedDatabaseStopsServeWithAClearError) {
  TempDir tmp;
  const std::string data = (tmp.path() / "var").string();
  std::filesystem::create_directories(data);
  std::ofstream(data + "/citizenwatt.db") << std::string(8192, 'x');
  auto r = run_cli({"serve", "--data", data, "--listen", "127.0.0.1:0"}, "", 20s);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("citizenwatt.db"), std::string::npos) << r.err;
  // The damaged file is left as it was, for the owner to inspect or restore.
  EXPECT_EQ(std::filesystem::file_size(data + "/citizenwatt.db"), 8192u);
}

}  // namespace
}  // namespace cw::testing
