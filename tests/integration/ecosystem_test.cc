// The ecosystem through the real binary: a Linky TIC capture replayed through a socat pty pair
// at the meter's line settings, imports of export files (round trip, idempotent, refused while a
// base runs), backup of a running base and restore.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>

#include "ingest/mosquitto_broker.h"
#include "process.h"

namespace cw::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// socat linking two ptys, each set to the meter's line settings: the test writes the capture to
// one end, the base reads the other.
class SocatPair {
 public:
  SocatPair(const std::filesystem::path& dir, int baud) : meter_(dir / "meter"), tty_(dir / "tty") {
    const std::string opts = ",raw,echo=0,b" + std::to_string(baud) + ",cs7,parenb=1,parodd=0";
    const std::string a = "pty,link=" + meter_.string() + opts;
    const std::string b = "pty,link=" + tty_.string() + opts;
    pid_ = fork();
    if (pid_ == 0) {
      int null = ::open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);
      execlp("socat", "socat", a.c_str(), b.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~SocatPair() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool ready() const {
    return eventually(
        [&] { return std::filesystem::exists(meter_) && std::filesystem::exists(tty_); }, 5s);
  }
  void send(const std::vector<std::uint8_t>& bytes) const {
    int fd = ::open(meter_.c_str(), O_WRONLY | O_NOCTTY);
    ASSERT_GE(fd, 0);
    for (std::size_t at = 0; at < bytes.size();) {
      ssize_t n = ::write(fd, bytes.data() + at, std::min<std::size_t>(128, bytes.size() - at));
      ASSERT_GT(n, 0);
      at += std::size_t(n);
    }
    ::close(fd);
  }
  std::string tty() const { return tty_.string(); }

 private:
  std::filesystem::path meter_, tty_;
  pid_t pid_ = -1;
};

std::vector<std::uint8_t> capture(const std::string& rel) {
  std::ifstream in(std::string(CW_SHARED_DATA) + "/linky_tic/" + rel, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string make_token(const std::string& data, const std::string& scope) {
  auto r = run_cli({"token", "create", "t-" + scope, "--scope", scope, "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out.substr(0, r.out.find('\n'));
}

struct Base {
  std::unique_ptr<Process> proc;
  int port = 0;
};

Base start_base(const TempDir& tmp, const std::string& data, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"serve",       "--data",     data, "--listen",
                                   "127.0.0.1:0", "--flush-ms", "100"};
  args.insert(args.end(), extra.begin(), extra.end());
  static int runs = 0;
  Base b;
  b.proc =
      std::make_unique<Process>(args, tmp.path() / ("serve" + std::to_string(++runs) + ".log"));
  auto port = b.proc->wait_for_log(R"(base station on http://127\.0\.0\.1:(\d+))", 20s);
  EXPECT_TRUE(port.has_value()) << b.proc->log();
  if (port) b.port = std::stoi(*port);
  return b;
}

httplib::Result get(int port, const std::string& path, const std::string& token) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(10, 0);
  return c.Get(path.c_str(), httplib::Headers{{"Authorization", "Bearer " + token}});
}

json get_json(int port, const std::string& path, const std::string& token) {
  auto r = get(port, path, token);
  EXPECT_TRUE(r && r->status == 200) << path << (r ? r->body : "");
  return r ? json::parse(r->body, nullptr, false) : json();
}

struct TicCase {
  const char* mode;
  int baud;
  const char* file;
  const char* period;
  std::size_t registers;
};

TEST(IntegrationTic, CapturesThroughAPtyShowUpLiveWithRegistersAndPeriod) {
  for (const TicCase& c :
       {TicCase{"historique", 1200, "pyteleinfo_esciara/captured_frames.bin", "tempo_blue_hc", 6},
        TicCase{"standard", 9600, "goteleinfo_test_literal/standard_frame_from_reader_test_go.bin",
                "hc", 10}}) {
    SCOPED_TRACE(c.mode);
    TempDir tmp;
    const std::string data = (tmp.path() / "var").string();
    const std::string token = make_token(data, "read");
    SocatPair pty(tmp.path(), c.baud);
    ASSERT_TRUE(pty.ready());
    Base base =
        start_base(tmp, data, {"--source", "tic:" + pty.tty() + "?mode=" + c.mode + "&interval=0"});
    ASSERT_TRUE(base.proc->wait_for_log(
        "reading the meter's TIC on .* at " + std::to_string(c.baud) + " 7E1", 5s))
        << base.proc->log();
    // A single standard frame is one sample: with no time covered, a chart has no mean yet.
    for (int k = 0; k < 3; ++k) pty.send(capture(c.file));
    json sensors;
    ASSERT_TRUE(eventually(
        [&] {
          sensors = get_json(base.port, "/api/v1/sensors", token);
          return sensors["sensors"].size() == 1 && sensors["sensors"][0]["meter"].is_object() &&
                 sensors["sensors"][0]["meter"]["registers"].size() == c.registers &&
                 !sensors["sensors"][0]["last_power_w"].is_null();
        },
        15s))
        << sensors.dump() << base.proc->log();
    const json& s = sensors["sensors"][0];
    EXPECT_EQ(s["kind"], "tic");
    EXPECT_EQ(s["power_unit"], "VA");
    EXPECT_EQ(s["energy_source"], "meter");
    EXPECT_EQ(s["meter"]["period"], c.period);
    EXPECT_EQ(s["meter"]["mode"], c.mode);
    const int id = s["id"];
    json series;
    EXPECT_TRUE(eventually(
        [&] {
          series = get_json(base.port,
                            "/api/v1/sensors/" + std::to_string(id) + "/series?points=10", token);
          int with_data = 0;
          for (const auto& p : series["points"]) with_data += p["mean"].is_null() ? 0 : 1;
          return with_data > 0;
        },
        10s))
        << series.dump();
    EXPECT_EQ(series["unit"], "VA");
    json regs = get_json(base.port, "/api/v1/sensors/" + std::to_string(id) + "/registers", token);
    EXPECT_EQ(regs["registers"].size(), c.registers) << regs.dump();
    base.proc->signal(SIGTERM);
    EXPECT_EQ(base.proc->wait(10s), 0) << base.proc->log();
  }
}

std::string source_file(const std::string& name) {
  return std::string(CW_SOURCE_DIR) + "/tests/ingest/data/" + name;
}

TEST(IntegrationImport, EnedisImportIsIdempotentRoundTripsAndWaitsForAStoppedBase) {
  TempDir tmp;
  const std::string a = (tmp.path() / "a").string();
  const std::string b = (tmp.path() / "b").string();
  auto dry = run_cli({"import", source_file("enedis_load_curve.csv"), "--format", "enedis", "--new",
                      "Linky history", "--dry-run", "--data", a});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("dry run: would import 93 samples"), std::string::npos) << dry.out;
  auto first = run_cli({"import", source_file("enedis_load_curve.csv"), "--format", "enedis",
                        "--new", "Linky history", "--data", a});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("imported 93 samples"), std::string::npos) << first.out;
  auto again = run_cli({"import", source_file("enedis_load_curve.csv"), "--format", "enedis",
                        "--sensor", "1", "--data", a});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("imported 0 samples"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("92 already present"), std::string::npos) << again.out;
  auto bad = run_cli(
      {"import", source_file("ha_history.csv"), "--format", "enedis", "--new", "x", "--data", a});
  EXPECT_EQ(bad.exit_code, 2);

  const std::string token = make_token(a, "read");
  Base base = start_base(tmp, a);
  auto busy = run_cli({"import", source_file("enedis_index.csv"), "--format", "enedis", "--new",
                       "index", "--data", a});
  EXPECT_NE(busy.exit_code, 0);
  EXPECT_NE(busy.err.find("a base station is running"), std::string::npos) << busy.err;
  auto exported =
      get(base.port,
          "/api/v1/export?sensor=1&format=json&from=2024-03-29T00:00:00Z&to=2024-04-02T00:00:00Z",
          token);
  ASSERT_TRUE(exported && exported->status == 200);
  json sensors = get_json(base.port, "/api/v1/sensors", token);
  EXPECT_EQ(sensors["sensors"][0]["kind"], "import");
  base.proc->signal(SIGTERM);
  ASSERT_EQ(base.proc->wait(10s), 0);

  // The export comes back into another base unchanged.
  const std::string file = (tmp.path() / "export.json").string();
  std::ofstream(file) << exported->body;
  auto in_b = run_cli({"import", file, "--format", "citizenwatt", "--new", "copy", "--data", b});
  ASSERT_EQ(in_b.exit_code, 0) << in_b.err;
  const std::string token_b = make_token(b, "read");
  Base base_b = start_base(tmp, b);
  auto back =
      get(base_b.port,
          "/api/v1/export?sensor=1&format=json&from=2024-03-29T00:00:00Z&to=2024-04-02T00:00:00Z",
          token_b);
  ASSERT_TRUE(back && back->status == 200);
  json x = json::parse(exported->body)["samples"], y = json::parse(back->body)["samples"];
  ASSERT_EQ(x.size(), 93u);
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(x[i]["t_ms"], y[i]["t_ms"]);
    EXPECT_EQ(x[i]["power_w"], y[i]["power_w"]);
    EXPECT_EQ(x[i]["energy_wh"], y[i]["energy_wh"]);
  }
  base_b.proc->signal(SIGTERM);
  EXPECT_EQ(base_b.proc->wait(10s), 0);
}

TEST(IntegrationBackup, OnlineBackupOfARunningBaseAndRestore) {
  TempDir tmp;
  const std::string data = (tmp.path() / "var").string();
  const std::string ingest = make_token(data, "ingest");
  const std::string read = make_token(data, "read");
  std::ofstream(data + "/tariff.toml") << "# household settings file\n";
  Base base = start_base(tmp, data);
  httplib::Client c("127.0.0.1", base.port);
  for (int i = 0; i < 20; ++i) {
    auto r = c.Get(
        ("/input/post?node=emontx&csv=" + std::to_string(100 + i) + "&apikey=" + ingest).c_str());
    ASSERT_TRUE(r && r->body == "ok");
  }
  ASSERT_TRUE(eventually(
      [&] {
        return get_json(base.port, "/api/v1/sensors", read)["sensors"][0]["last_power_w"] == 119;
      },
      10s));
  const std::string file = (tmp.path() / "base.backup").string();
  auto backup = run_cli({"backup", "--data", data, "--to", file});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  // It holds sensor keys and password hashes: owner-only.
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto refused = run_cli({"restore", file, "--data", data});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("a base station is running"), std::string::npos) << refused.err;
  auto metrics = get(base.port, "/metrics", read);
  ASSERT_TRUE(metrics && metrics->status == 200);
  EXPECT_NE(metrics->body.find("cw_sensor_frames_total{sensor=\"1\",verdict=\"accepted\"} 20"),
            std::string::npos)
      << metrics->body;
  base.proc->signal(SIGTERM);
  ASSERT_EQ(base.proc->wait(10s), 0);

  const std::string other = (tmp.path() / "restored").string();
  auto restore = run_cli({"restore", file, "--data", other});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_TRUE(std::filesystem::exists(other + "/tariff.toml"));
  Base again = start_base(tmp, other);
  json s = get_json(again.port, "/api/v1/sensors", read);  // the accounts came along
  ASSERT_EQ(s["sensors"].size(), 1u);
  EXPECT_EQ(s["sensors"][0]["last_power_w"], 119);
  EXPECT_EQ(s["sensors"][0]["frames"]["accepted"], 20);
  again.proc->signal(SIGTERM);
  EXPECT_EQ(again.proc->wait(10s), 0);
  // Restoring over existing data keeps the old database aside.
  auto over = run_cli({"restore", file, "--data", other});
  ASSERT_EQ(over.exit_code, 0) << over.err;
  EXPECT_NE(over.out.find("before-restore"), std::string::npos);
  EXPECT_EQ(run_cli({"restore", (tmp.path() / "nope").string(), "--data", other}).exit_code, 2);
}

}  // namespace
}  // namespace cw::testing

namespace cw::testing {
namespace {

// The shipped unit parses, starts the real binary's path and stays hardened. systemd-analyze
// comes with systemd; a machine without it (a bare container) cannot check a unit at all.
TEST(IntegrationSystemd, TheUnitVerifiesAndIsHardened) {
  if (std::system("command -v systemd-analyze >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "systemd-analyze is not installed";
  TempDir tmp;
  std::ifstream in(std::string(CW_SOURCE_DIR) + "/packaging/citizenwatt.service");
  std::string unit((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_NE(unit.find("ExecStart=/usr/bin/citizenwatt serve"), std::string::npos);
  unit.replace(unit.find("/usr/bin/citizenwatt"), 20, CW_BINARY);
  const auto path = tmp.path() / "citizenwatt.service";
  std::ofstream(path) << unit;
  const std::string out = (tmp.path() / "out.txt").string();
  EXPECT_EQ(std::system(("systemd-analyze verify " + path.string() + " >" + out + " 2>&1").c_str()),
            0);
  std::ifstream o(out);
  std::string verify((std::istreambuf_iterator<char>(o)), std::istreambuf_iterator<char>());
  EXPECT_EQ(verify, "");
  ASSERT_EQ(std::system(
                ("systemd-analyze security --offline=true " + path.string() + " >" + out + " 2>&1")
                    .c_str()),
            0);
  std::ifstream s(out);
  std::string security((std::istreambuf_iterator<char>(s)), std::istreambuf_iterator<char>());
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(security, m, std::regex(R"(Overall exposure level for \S+: ([0-9.]+))")))
      << security;
  EXPECT_LT(std::stod(m[1].str()), 2.5) << security;
}

}  // namespace
}  // namespace cw::testing

namespace cw::testing {
namespace {

// serve with --mqtt: an emoncms input posted over HTTP comes out on the broker as a Home Assistant
// device with the household's tariff period (the default tariff: Base).
TEST(IntegrationMqtt, ServePublishesDiscoveryAndStatesWithTheTariffPeriod) {
  TempDir tmp;
  ingest::testing::Mosquitto broker;
  const std::string data = (tmp.path() / "var").string();
  const std::string ingest = make_token(data, "ingest");
  Base base = start_base(
      tmp, data, {"--mqtt", "mqtt://127.0.0.1:" + std::to_string(broker.port()) + "?id=it"});
  ASSERT_TRUE(base.proc->wait_for_log("mqtt: connected", 10s)) << base.proc->log();
  ingest::testing::Client ha(broker.port(), {"homeassistant/#", "citizenwatt/#"});
  httplib::Client c("127.0.0.1", base.port);
  auto r =
      c.Get(("/input/post?node=emontx&fulljson=%7B%22power1%22%3A420%2C%22E1%22%3A1000%7D&apikey=" +
             ingest)
                .c_str());
  ASSERT_TRUE(r && r->body == "ok");
  std::map<std::string, std::vector<ingest::testing::Client::Msg>> got;
  ASSERT_TRUE(eventually(
      [&] {
        got = ha.received();
        return got.count("citizenwatt/sensor/1/state") &&
               got.count("homeassistant/sensor/it_1/period/config");
      },
      10s))
      << base.proc->log();
  json state = json::parse(got["citizenwatt/sensor/1/state"].at(0).payload);
  EXPECT_EQ(state["power"], 420);
  EXPECT_DOUBLE_EQ(state["energy_kwh"].get<double>(), 1.0);
  EXPECT_EQ(state["period"], "base");
  json energy = json::parse(got["homeassistant/sensor/it_1/energy/config"].at(0).payload);
  EXPECT_EQ(energy["state_class"], "total_increasing");
  base.proc->signal(SIGTERM);
  EXPECT_EQ(base.proc->wait(10s), 0) << base.proc->log();
  ASSERT_TRUE(eventually(
      [&] {
        auto st = ha.received()["citizenwatt/status"];
        return !st.empty() && st.back().payload == "offline";
      },
      5s));
}

}  // namespace
}  // namespace cw::testing
