// `citizenwatt sensor provision` against a sensor on a pseudo-terminal: the real binary on the
// slave side, the portable device code (what the firmware runs) on the master side in a test
// thread, bytes flowing through the kernel's tty layer in split writes.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>

#include "core/calendar.h"
#include "process.h"
#include "pty_sensor.h"
#include "store/store.h"
#include "udp_sender.h"

namespace cw::testing {
namespace {

namespace pv = protocol::provision;
using namespace std::chrono_literals;

std::string key_hex(const store::Key128& k) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto b : k) s += {d[b >> 4], d[b & 15]};
  return s;
}

struct Paired {
  std::string data;
  int id;
  store::Key128 key;
};

Paired pair(const TempDir& tmp, int id = 5) {
  Paired p{(tmp.path() / "var").string(), id, {}};
  auto r = run_cli({"sensor", "add", "kitchen", "--id", std::to_string(id), "--data", p.data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  EXPECT_TRUE(std::regex_search(r.out, m, std::regex("key: ([0-9a-f]{32})"))) << r.out;
  p.key = parse_key(m[1].str());
  return p;
}

RunResult provision(const Paired& p, const PtySensor& s, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"sensor", "provision", "--port", s.path(), "--data", p.data};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args, "", 30s);
}

void expect_provisioned(PtySensor& s, const Paired& p) {
  const pv::Settings st = s.storage().stored;
  EXPECT_EQ(st.sensor_id, p.id);
  EXPECT_TRUE(st.key_set);
  EXPECT_EQ(0, memcmp(st.key, p.key.data(), 16));
  const std::uint8_t addr[5] = {0xE0, 0x56, 0xD4, 0x46, 0xD0};
  EXPECT_EQ(0, memcmp(st.radio_address, addr, 5));
}

TEST(IntegrationProvision, WritesIdKeyAndAddressAndNeverPrintsTheKey) {
  TempDir tmp;
  Paired p = pair(tmp);
  PtySensor sensor({});
  sensor.configure([](auto& st) { st.counter = 1234; });
  auto r = provision(p, sensor, {"--cal", "0:1500", "--cal", "3:-7"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_provisioned(sensor, p);
  EXPECT_EQ(sensor.storage().stored.calibration[0], 1500);
  EXPECT_EQ(sensor.storage().stored.calibration[3], -7);
  EXPECT_EQ(sensor.storage().saves, 1);
  EXPECT_NE(r.out.find("provisioned"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("frame counter: 1234"), std::string::npos) << r.out;
  EXPECT_EQ((r.out + r.err).find(key_hex(p.key)), std::string::npos);
}

TEST(IntegrationProvision, DamagedLinesBothWaysAreResent) {
  TempDir tmp;
  Paired p = pair(tmp);
  // Line 0 is the resynchronising "\n"; 1 HELLO, 2 INFO, 3 SET ID, 4 SET KEY ...
  PtySensor sensor({.damage_commands = {3, 5}, .damage_replies = {1, 6}});
  auto r = provision(p, sensor, {"--address", "C2C2C2C2C1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sensor.storage().stored.sensor_id, p.id);
  EXPECT_EQ(0, memcmp(sensor.storage().stored.key, p.key.data(), 16));
  EXPECT_EQ(sensor.storage().stored.radio_address[4], 0xC1);
  // "\n" HELLO INFO ID KEY ADDR COMMIT INFO = 8 lines, and each damaged line in either
  // direction costs one resend: INFO (damaged reply), INFO (damaged command), SET ID (damaged
  // command), SET KEY (damaged reply).
  EXPECT_EQ(sensor.lines_received(), 8 + 4);
}

TEST(IntegrationProvision, ALineThatStaysDamagedFailsClearly) {
  TempDir tmp;
  Paired p = pair(tmp);
  PtySensor sensor({.damage_every_reply = true});
  auto r = provision(p, sensor);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unreliable"), std::string::npos) << r.err;
  EXPECT_EQ(sensor.storage().saves, 0);
}

TEST(IntegrationProvision, ASilentDeviceTimesOut) {
  TempDir tmp;
  Paired p = pair(tmp);
  PtySensor sensor({.silent = true});
  auto start = std::chrono::steady_clock::now();
  auto r = provision(p, sensor, {"--timeout", "1"});
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no answer"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(sensor.path()), std::string::npos) << r.err;
  EXPECT_LT(took, 10s);
}

TEST(IntegrationProvision, ADeviceErrorIsReportedWithItsMessage) {
  TempDir tmp;
  Paired p = pair(tmp);
  PtySensor sensor({});
  sensor.configure([](auto& st) { st.fail_save = true; });
  auto r = provision(p, sensor);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("refused COMMIT: ERR 7 cannot write settings"), std::string::npos) << r.err;
}

TEST(IntegrationProvision, AReadBackMismatchIsCaught) {
  TempDir tmp;
  Paired p = pair(tmp);
  PtySensor sensor({});
  sensor.configure([](auto& st) { st.corrupt_id_on_save = true; });  // stores id 4 for 5
  auto r = provision(p, sensor);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("reports id 4 after COMMIT, expected 5"), std::string::npos) << r.err;
}

TEST(IntegrationProvision, ASensorBehindTheBasesCounterIsRefusedBeforeWriting) {
  TempDir tmp;
  Paired p = pair(tmp);
  {  // the base has accepted frames up to counter 5000 from sensor 5
    auto st = store::open_sqlite_store(p.data + "/citizenwatt.db", Calendar::utc());
    ASSERT_TRUE(st) << st.status().message();
    store::SensorBatch b;
    b.sensor = static_cast<SensorId>(p.id);
    b.state.has_counter = true;
    b.state.last_counter = 5000;
    ASSERT_TRUE((*st)->commit({{b}, {}}));
  }
  PtySensor sensor({});
  sensor.configure([](auto& st) { st.counter = 4000; });
  auto r = provision(p, sensor);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("rejected as replays"), std::string::npos) << r.err;
  EXPECT_EQ(sensor.lines_received(), 3);  // "\n", HELLO, INFO: nothing written
  EXPECT_EQ(sensor.storage().saves, 0);
  sensor.configure([](auto& st) { st.counter = 5001; });
  EXPECT_EQ(provision(p, sensor).exit_code, 0);
}

TEST(IntegrationProvision, BadRequestsAreRefusedBeforeTouchingTheSensor) {
  TempDir tmp;
  Paired p = pair(tmp);
  PtySensor sensor({});
  EXPECT_EQ(provision(p, sensor, {"--address", "e056d446"}).exit_code, 2);
  EXPECT_EQ(provision(p, sensor, {"--cal", "4:1"}).exit_code, 2);
  EXPECT_EQ(provision(p, sensor, {"--id", "9"}).exit_code, 2);  // not paired
  auto legacy = run_cli({"sensor", "add", "old", "--id", "7", "--legacy",
                         "000102030405060708090a0b0c0d0e0f", "--data", p.data});
  ASSERT_EQ(legacy.exit_code, 0) << legacy.err;
  auto r = provision(p, sensor, {"--id", "7"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("legacy"), std::string::npos) << r.err;
  ASSERT_EQ(run_cli({"sensor", "add", "garage", "--id", "8", "--data", p.data}).exit_code, 0);
  r = provision(p, sensor);  // two v2 sensors now: which one?
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--id"), std::string::npos) << r.err;
  EXPECT_EQ(sensor.lines_received(), 0);
  auto missing = run_cli({"sensor", "provision", "--port", (tmp.path() / "ttyNONE").string(),
                          "--id", "5", "--data", p.data});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("ttyNONE"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace cw::testing
