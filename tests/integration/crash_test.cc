// kill -9 in the middle of ingest, again and again: whatever the base reported as committed is
// still there after each restart, the database is sound, and energy equals the sensor's counters.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <thread>

#include "core/calendar.h"
#include "process.h"
#include "store/store.h"
#include "udp_sender.h"

namespace cw::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

struct Committed {
  std::uint64_t samples = 0;
  std::uint32_t counter = 0;
};

std::optional<Committed> committed(int port, int sensor) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(5, 0);
  auto res = c.Get("/api/v1/health");
  if (!res || res->status != 200) return std::nullopt;
  auto h = json::parse(res->body, nullptr, false);
  const auto& ingest = h["ingest"];
  Committed out;
  out.samples = ingest.value("committed_samples", 0ull);
  auto counters = ingest["committed_counter"];
  if (counters.contains(std::to_string(sensor))) out.counter = counters[std::to_string(sensor)];
  return out;
}

TEST(CrashIngest, KillNineNeverLosesWhatWasReportedCommitted) {
  TempDir tmp;
  const std::string data = (tmp.path() / "var").string();
  auto add = run_cli({"sensor", "add", "meter", "--id", "1", "--data", data});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(add.out, m, std::regex("key: ([0-9a-f]{32})")));
  UdpSender sensor(0, 1, parse_key(m[1].str()));

  std::mt19937 rng(42);
  std::uint32_t reported_counter = 0;
  std::uint64_t reported_samples_total = 0;
  const int kRounds = 6;
  for (int round = 0; round < kRounds; ++round) {
    Process base({"serve", "--data", data, "--listen", "127.0.0.1:0", "--source",
                  "udp://127.0.0.1:0", "--flush-ms", "20"},
                 tmp.path() / ("round" + std::to_string(round) + ".log"));
    auto http = base.wait_for_log(R"(base station on http://127\.0\.0\.1:(\d+))", 20s);
    auto udp = base.wait_for_log(R"(frames on udp://127\.0\.0\.1:(\d+))", 5s);
    ASSERT_TRUE(http && udp) << base.log();
    sensor.set_port(static_cast<std::uint16_t>(std::stoi(*udp)));

    std::atomic<bool> sending{true};
    std::thread sender([&] {
      while (sending) {
        sensor.send(500 + static_cast<int>(sensor.counter() % 300), sensor.counter() % 4 == 0);
        std::this_thread::sleep_for(500us);
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + rng() % 700));
    auto c = committed(std::stoi(*http), 1);
    // Kill right after the report, while frames keep arriving and commits keep running.
    base.signal(SIGKILL);
    sending = false;
    sender.join();
    ASSERT_TRUE(c.has_value()) << base.log();
    ASSERT_GT(c->samples, 0u) << "round " << round << " committed nothing:\n" << base.log();
    ASSERT_TRUE(base.wait(10s).has_value());
    reported_counter = std::max(reported_counter, c->counter);
    reported_samples_total += c->samples;

    // Inspect the file the way the next start will find it.
    auto cal = *Calendar::in_zone("Europe/Paris");
    auto store = store::open_sqlite_store(data + "/citizenwatt.db", cal);
    ASSERT_TRUE(store.is_ok()) << store.status().to_string();
    auto integrity = (*store)->integrity_check();
    ASSERT_TRUE(integrity.is_ok());
    EXPECT_EQ(*integrity, "ok");
    std::uint64_t n = 0;
    std::uint32_t max_counter = 0;
    std::int64_t first_energy = -1, last_energy = -1;
    bool energy_matches = true;
    ASSERT_TRUE((*store)->scan_raw(1, 0, INT64_MAX, [&](std::span<const Sample> s) {
      for (const auto& x : s) {
        ++n;
        max_counter = std::max(max_counter, x.counter);
        if (first_energy < 0) first_energy = x.energy_wh;
        last_energy = x.energy_wh;
        auto it = sensor.sent().find(x.counter);
        energy_matches &= it != sensor.sent().end() && it->second == x.energy_wh;
      }
      return true;
    }).is_ok());
    EXPECT_GE(max_counter, reported_counter) << "round " << round;
    EXPECT_GE(n, reported_samples_total) << "round " << round;
    EXPECT_TRUE(energy_matches) << "a stored register differs from what the sensor sent";

    // Rollup energy telescopes to the register difference, whatever was cut by the kills.
    auto hours = (*store)->rollups(1, Level::kHour, 0, INT64_MAX);
    ASSERT_TRUE(hours.is_ok());
    std::int64_t mwh = 0;
    for (const auto& r : *hours) mwh += r.energy_mwh;
    EXPECT_EQ(mwh, (last_energy - first_energy) * 1000) << "round " << round;
  }
  EXPECT_GT(reported_samples_total, 100u);
}

}  // namespace
}  // namespace cw::testing
