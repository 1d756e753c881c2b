// Sensor keys stay secret: the data folder and database are owner-only, and no key shows in
// `sensor list`, in serve's log (at trace level, with frames flowing) or in any API response.
// Also legacy CitizenWatt v1 pairing (`sensor add --legacy KEY`), whose key the user supplies.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "process.h"
#include "store/store.h"
#include "udp_sender.h"

namespace cw::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kLegacyKey = "8899aabbccddeeff0011223344556677";

std::string base64(const store::Key128& k) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < k.size(); i += 3) {
    std::uint32_t v =
        k[i] << 16 | (i + 1 < k.size() ? k[i + 1] << 8 : 0) | (i + 2 < k.size() ? k[i + 2] : 0);
    for (int j = 0; j < 4; ++j) out += (i + j <= k.size()) ? t[(v >> (18 - 6 * j)) & 63] : '=';
  }
  return out;
}

// Every spelling of a key that a careless log line or JSON field could use.
std::vector<std::string> spellings(const std::string& hex) {
  store::Key128 k = parse_key(hex);
  std::string upper = hex;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  std::string b64 = base64(k);
  return {hex, upper, b64.substr(0, 20), std::string(k.begin(), k.begin() + 8)};
}

void expect_no_key(const std::string& text, const std::vector<std::string>& keys,
                   const std::string& where) {
  for (const auto& hex : keys)
    for (const auto& s : spellings(hex))
      EXPECT_EQ(text.find(s), std::string::npos) << "a key in " << where << ":\n" << text;
}

std::string paired_key(const std::string& data, const std::string& name, int id) {
  auto r = run_cli({"sensor", "add", name, "--id", std::to_string(id), "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  EXPECT_TRUE(std::regex_search(r.out, m, std::regex("key: ([0-9a-f]{32})"))) << r.out;
  return m[1].str();
}

int mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

TEST(IntegrationKeys, DataFolderAndDatabaseAreOwnerOnly) {
  TempDir tmp;
  fs::path data = tmp.path() / "var";
  fs::create_directories(data);
  fs::permissions(data, fs::perms(0755));  // a folder made by hand, too open
  paired_key(data.string(), "kitchen", 1);
  EXPECT_EQ(mode_of(data), 0700);
  EXPECT_EQ(mode_of(data / "citizenwatt.db"), 0600);
  for (const auto& e : fs::directory_iterator(data))
    EXPECT_EQ(mode_of(e.path()) & 077, 0) << e.path();
}

std::string get(int port, const std::string& path, const std::string& token) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(10, 0);
  auto res = c.Get(path.c_str(), httplib::Headers{{"Authorization", "Bearer " + token}});
  EXPECT_TRUE(res) << path;
  if (!res) return "";
  EXPECT_EQ(res->status, 200) << path << " " << res->body;
  return res->body;
}

TEST(IntegrationKeys, NoKeyInListLogOrApi) {
  TempDir tmp;
  std::string data = (tmp.path() / "var").string();
  std::string v2 = paired_key(data, "kitchen", 5);
  ASSERT_EQ(run_cli({"sensor", "add", "old", "--id", "6", "--legacy", kLegacyKey, "--data", data})
                .exit_code,
            0);
  const std::vector<std::string> keys = {v2, kLegacyKey};

  auto list = run_cli({"sensor", "list", "--data", data});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  expect_no_key(list.out + list.err, keys, "sensor list");

  auto tok = run_cli({"token", "create", "t", "--data", data});
  std::string token = tok.out.substr(0, tok.out.find('\n'));
  Process serve({"serve", "--data", data, "--listen", "127.0.0.1:0", "--flush-ms", "100",
                 "--log-level", "trace", "--source", "udp://127.0.0.1:0"},
                tmp.path() / "serve.log");
  auto http = serve.wait_for_log(R"(base station on http://127\.0\.0\.1:(\d+))", 20s);
  auto udp = serve.wait_for_log(R"(frames on udp://127\.0\.0\.1:(\d+))", 5s);
  ASSERT_TRUE(http && udp) << serve.log();
  int port = std::stoi(*http);

  UdpSender good(std::stoi(*udp), 5, parse_key(v2));
  UdpSender forged(std::stoi(*udp), 5, parse_key(kLegacyKey));  // wrong key: rejected, logged
  for (int i = 0; i < 5; ++i) {
    good.send(100 + i);
    forged.send(1);
  }
  std::string sensors;
  ASSERT_TRUE(eventually(
      [&] {
        sensors = get(port, "/api/v1/sensors", token);
        auto j = json::parse(sensors, nullptr, false);
        return j.contains("sensors") && j["sensors"].size() == 2 &&
               j["sensors"][0]["last_power_w"] == 104;
      },
      10s))
      << sensors;
  json j = json::parse(sensors);
  EXPECT_EQ(j["sensors"][1]["kind"], "legacy");
  EXPECT_EQ(j["sensors"][1]["secure"], false);
  std::string bodies = sensors;
  for (const char* path : {"/api/v1/health", "/api/v1/me", "/api/v1/sensors/5/series?points=10",
                           "/api/v1/sensors/5/energy?by=hour", "/api/v1/sensors/6/series"})
    bodies += get(port, path, token);
  expect_no_key(bodies, keys, "the API");

  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait(10s), 0);
  std::string log = serve.log();
  EXPECT_NE(log.find("forged"), std::string::npos) << "the forged frames were not even seen";
  expect_no_key(log, keys, "serve's log");
}

Result<store::Sensor> stored_sensor(const std::string& data, SensorId id) {
  auto st = store::open_sqlite_store(data + "/citizenwatt.db", Calendar::utc());
  if (!st) return st.status();
  return (*st)->sensor(id);
}

TEST(IntegrationKeys, LegacyPairingKeepsTheGivenKeyAndIsShownInsecure) {
  TempDir tmp;
  std::string data = (tmp.path() / "var").string();
  for (const char* bad : {"8899aabbccddeeff001122334455667", "8899aabbccddeeff00112233445566778",
                          "8899aabbccddeeff00112233445566zz", ""}) {
    auto r = run_cli({"sensor", "add", "old", "--legacy", bad, "--data", data});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("32 hex digits"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(data)) << "a refused command must change nothing";

  auto r = run_cli({"sensor", "add", "old", "--id", "3", "--legacy", kLegacyKey, "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("insecure"), std::string::npos) << r.out;
  expect_no_key(r.out + r.err, {kLegacyKey}, "sensor add --legacy");
  auto s = stored_sensor(data, 3);
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->kind, store::SensorKind::kLegacy);
  EXPECT_EQ(s->key, parse_key(kLegacyKey));

  auto list = run_cli({"sensor", "list", "--data", data});
  EXPECT_NE(list.out.find("legacy (insecure)"), std::string::npos) << list.out;

  auto def = run_cli(
      {"sensor", "add", "default", "--legacy", "000102030405060708090A0B0C0D0E0F", "--data", data});
  ASSERT_EQ(def.exit_code, 0) << def.err;
  EXPECT_NE(def.out.find("default key"), std::string::npos) << def.out;
}

TEST(IntegrationKeys, RekeyOfALegacySensorIsRefusedAndChangesNothing) {
  TempDir tmp;
  std::string data = (tmp.path() / "var").string();
  ASSERT_EQ(run_cli({"sensor", "add", "old", "--id", "3", "--legacy", kLegacyKey, "--data", data})
                .exit_code,
            0);
  auto r = run_cli({"sensor", "rekey", "3", "--data", data});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("2014 firmware"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("key:"), std::string::npos) << r.out;
  auto s = stored_sensor(data, 3);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->key, parse_key(kLegacyKey));

  paired_key(data, "new", 4);  // a v2 sensor can still be rekeyed
  EXPECT_EQ(run_cli({"sensor", "rekey", "4", "--data", data}).exit_code, 0);
  EXPECT_EQ(run_cli({"sensor", "rekey", "9", "--data", data}).exit_code, 2);  // no such sensor
}

}  // namespace
}  // namespace cw::testing
