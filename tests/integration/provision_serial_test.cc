// `citizenwatt sensor provision` against a sensor on a pseudo-terminal: the real binary on the
// slave side, the portable device code (what the firmware runs) on the master side in a test
// thread, bytes flowing through the kernel's tty layer in split writes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "core/calendar.h"
#include "process.h"
#include "protocol/provision_device.h"
#include "protocol/provision_memory_storage.h"
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

// How the simulated sensor misbehaves.
struct Faults {
  bool silent = false;
  std::set<int> damage_commands;  // 0-based index of received lines to flip a bit in
  std::set<int> damage_replies;   // 0-based index of reply lines to flip a bit in
  bool damage_every_reply = false;
};

// A sensor in provisioning mode at the master end of a pty.
class PtySensor {
 public:
  explicit PtySensor(Faults faults) : faults_(std::move(faults)) {
    master_ = posix_openpt(O_RDWR | O_NOCTTY);
    EXPECT_GE(master_, 0);
    EXPECT_EQ(grantpt(master_), 0);
    EXPECT_EQ(unlockpt(master_), 0);
    path_ = ptsname(master_);
    // Held open so the master never sees a hang-up between the CLI's open and close.
    slave_ = open(path_.c_str(), O_RDWR | O_NOCTTY);
    EXPECT_GE(slave_, 0);
    termios t{};
    tcgetattr(slave_, &t);
    cfmakeraw(&t);
    tcsetattr(slave_, TCSANOW, &t);
    fcntl(master_, F_SETFL, O_NONBLOCK);
    thread_ = std::thread([this] { run(); });
  }
  ~PtySensor() {
    stop_ = true;
    thread_.join();
    close(slave_);
    close(master_);
  }
  const std::string& path() const { return path_; }
  // The sensor's EEPROM, read or changed between the device thread's lines.
  pv::testing::MemoryStorage storage() {
    std::lock_guard lock(mu_);
    return storage_;
  }
  void configure(const std::function<void(pv::testing::MemoryStorage&)>& fn) {
    std::lock_guard lock(mu_);
    fn(storage_);
  }
  int lines_received() const { return lines_; }

 private:
  void run() {
    while (!stop_) {
      pollfd p{master_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      char buf[64];
      ssize_t n = read(master_, buf, sizeof buf);
      std::lock_guard lock(mu_);
      for (ssize_t i = 0; i < n; ++i) take(static_cast<std::uint8_t>(buf[i]));
    }
  }

  void take(std::uint8_t byte) {
    if (faults_.silent) return;
    if (byte == '\n') {
      ++lines_;
    } else if (faults_.damage_commands.count(lines_) && !damaged_this_line_) {
      byte ^= 0x04;
      damaged_this_line_ = true;
    }
    if (byte == '\n') damaged_this_line_ = false;
    std::size_t n = device_.receive(byte);
    if (n) send_reply(std::string(device_.reply(), n));
  }

  void send_reply(std::string line) {
    int index = replies_++;
    if (faults_.damage_every_reply || faults_.damage_replies.count(index)) line[3] ^= 0x01;
    // Two writes with a pause between: the host must reassemble the line.
    std::size_t half = line.size() / 2;
    write_all(line.data(), half);
    std::this_thread::sleep_for(2ms);
    write_all(line.data() + half, line.size() - half);
  }

  void write_all(const char* p, std::size_t n) {
    while (n > 0) {
      ssize_t w = write(master_, p, n);
      if (w > 0) {
        p += w;
        n -= static_cast<std::size_t>(w);
      } else {
        pollfd pf{master_, POLLOUT, 0};
        poll(&pf, 1, 20);
      }
    }
  }

  Faults faults_;
  int master_ = -1, slave_ = -1;
  std::string path_;
  pv::testing::MemoryStorage storage_;
  pv::Device device_{storage_, 0x0102};
  std::mutex mu_;  // guards storage_ and device_
  std::atomic<bool> stop_{false};
  std::atomic<int> lines_{0};
  int replies_ = 0;
  bool damaged_this_line_ = false;
  std::thread thread_;
};

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
