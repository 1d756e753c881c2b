// The simulation against a real UDP socket on 127.0.0.1: frames arrive, open with the sensor's
// key, carry increasing counters, and are paced by the clock and speed.
#include "simulate/simulation.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <vector>

#include "protocol/host/openssl_aead.h"
#include "simulate/udp_sender.h"

namespace cw::simulate {
namespace {

using protocol::FrameError;
using protocol::FrameType;
using Bytes = std::vector<std::uint8_t>;

// A bound UDP socket on 127.0.0.1 with an ephemeral port.
class Receiver {
 public:
  Receiver() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~Receiver() { ::close(fd_); }
  std::string target() const { return "udp://127.0.0.1:" + std::to_string(port_); }

  // The next datagram, or nothing after timeout_ms.
  std::optional<Bytes> recv(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) return std::nullopt;
    Bytes b(64);
    ssize_t n = ::recv(fd_, b.data(), b.size(), 0);
    if (n < 0) return std::nullopt;
    b.resize(std::size_t(n));
    return b;
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

Key key_for(std::uint16_t id) {
  Key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(id * 31 + i);
  return k;
}

SimSensor household(std::uint16_t id) {
  SimSensor s;
  s.id = id;
  s.key = key_for(id);
  s.seed = id;
  return s;
}

struct Received {
  protocol::Header header;
  protocol::Measurement m{};
  std::uint16_t hello_period_s = 0;
};

// Parses and opens a frame with its sensor's key; fails the test when it does not open.
Received open_frame(const Bytes& f) {
  Received r{};
  EXPECT_EQ(protocol::parse_header(f.data(), f.size(), &r.header), FrameError::kOk);
  Key k = key_for(r.header.sensor_id);
  if (r.header.type == FrameType::kMeasurement) {
    EXPECT_EQ(
        protocol::open_measurement(f.data(), f.size(), k.data(), protocol::openssl_aead(), &r.m),
        FrameError::kOk);
  } else {
    protocol::Hello h;
    EXPECT_EQ(protocol::open_hello(f.data(), f.size(), k.data(), protocol::openssl_aead(), &h),
              FrameError::kOk);
    r.hello_period_s = h.period_s;
  }
  return r;
}

TEST(Simulation, HouseholdSensorsSendFramesThatOpenWithIncreasingCounters) {
  Receiver rx;
  SystemClock clock;
  SimulationOptions o;
  o.target = rx.target();
  o.sensors = {household(1), household(2)};
  o.sensors[1].first_counter = 1000;
  o.speed = 500;  // a 10 s period every 20 ms
  Simulation sim(o, clock);
  ASSERT_TRUE(sim.start().is_ok());
  std::map<std::uint16_t, std::vector<Received>> by_sensor;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((by_sensor[1].size() < 20 || by_sensor[2].size() < 20) &&
         std::chrono::steady_clock::now() < deadline) {
    if (auto f = rx.recv(1000)) {
      Received r = open_frame(*f);
      by_sensor[r.header.sensor_id].push_back(r);
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  sim.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(500));
  EXPECT_EQ(sim.start().code(), Code::kAlreadyExists) << "a restart would reuse counters";
  for (std::uint16_t id : {1, 2}) {
    const auto& frames = by_sensor[id];
    ASSERT_GE(frames.size(), 20u) << "sensor " << id;
    EXPECT_EQ(frames[0].header.type, FrameType::kHello);
    EXPECT_EQ(frames[0].hello_period_s, 10);
    EXPECT_EQ(frames[0].header.counter, id == 1 ? 1u : 1000u);
    EXPECT_EQ(frames[1].m.flags & protocol::kFlagReboot, protocol::kFlagReboot);
    for (std::size_t i = 1; i < frames.size(); ++i) {
      EXPECT_EQ(frames[i].header.type, FrameType::kMeasurement);
      EXPECT_GT(frames[i].header.counter, frames[i - 1].header.counter);
      if (i > 1) {
        EXPECT_GE(frames[i].m.energy_wh, frames[i - 1].m.energy_wh);
        EXPECT_EQ(frames[i].m.flags & protocol::kFlagReboot, 0);
      }
      EXPECT_GT(frames[i].m.power_w, 0);
    }
  }
  EXPECT_GE(sim.frames_sent(), 40u);
  EXPECT_EQ(sim.send_errors(), 0u);
}

std::shared_ptr<const Recording> three_rows() {
  auto rec = std::make_shared<Recording>();
  rec->format = "test";
  rec->nominal_step_ms = 30 * kSecondMs;
  rec->samples = {{500000, 100}, {530000, 200}, {560000, 300}};
  return rec;
}

TEST(Simulation, ReplayIsPacedByTheClockAndSpeed) {
  Receiver rx;
  ManualClock clock(1700000000000);
  SimulationOptions o;
  o.target = rx.target();
  SimSensor s;
  s.id = 9;
  s.key = key_for(9);
  s.source = SourceKind::kReplay;
  s.recording = three_rows();
  o.sensors = {s};
  o.speed = 2;  // rows 30 s apart are sent 15 s apart
  Simulation sim(o, clock);
  ASSERT_TRUE(sim.start().is_ok());
  // The hello and the first row are due at once.
  auto hello = rx.recv(2000);
  ASSERT_TRUE(hello);
  EXPECT_EQ(open_frame(*hello).header.type, FrameType::kHello);
  EXPECT_EQ(open_frame(*hello).hello_period_s, 30) << "a replay announces its native rate";
  auto first = rx.recv(2000);
  ASSERT_TRUE(first);
  EXPECT_EQ(open_frame(*first).m.power_w, 100);
  // 14.999 s later the second row is not due yet; the sender must still be waiting.
  clock.advance(14999);
  EXPECT_FALSE(rx.recv(150)) << "sent before its time";
  clock.advance(1);
  auto second = rx.recv(2000);
  ASSERT_TRUE(second);
  EXPECT_EQ(open_frame(*second).m.power_w, 200);
  EXPECT_FALSE(sim.wait_done(0));
  clock.advance(15000);
  auto third = rx.recv(2000);
  ASSERT_TRUE(third);
  Received r = open_frame(*third);
  EXPECT_EQ(r.m.power_w, 300);
  EXPECT_EQ(r.m.energy_wh, 2u);  // 100 W × 30 s + 200 W × 30 s = 2.5 Wh
  EXPECT_TRUE(sim.wait_done(2000));
  EXPECT_EQ(sim.frames_sent(), 4u);
}

TEST(Simulation, FastReplayOfARealDatasetEnds) {
  Receiver rx;
  SystemClock clock;
  SimulationOptions o;
  o.target = rx.target();
  SimSensor s;
  s.id = 3;
  s.key = key_for(3);
  s.source = SourceKind::kReplay;
  s.replay_path = std::string(CW_SHARED_DATA) + "/sebgeek_teleinfo_30s/log.csv.2017-11-01";
  o.sensors = {s};
  o.speed = 1e6;  // a day in under a tenth of a second
  Simulation sim(o, clock);
  ASSERT_TRUE(sim.start().is_ok());
  ASSERT_TRUE(sim.wait_done(10000));
  EXPECT_EQ(sim.frames_sent(), 2881u);  // hello + 2,880 rows
  // Frames went out as fast as allowed; check the ones the socket kept.
  std::uint32_t last = 0;
  int got = 0;
  while (auto f = rx.recv(100)) {
    Received r = open_frame(*f);
    EXPECT_GT(r.header.counter, last);
    last = r.header.counter;
    if (r.header.type == FrameType::kMeasurement) {
      EXPECT_EQ(r.m.flags & protocol::kFlagApparentOnly, protocol::kFlagApparentOnly);
    }
    ++got;
  }
  EXPECT_GT(got, 0);
}

TEST(Simulation, RefusesBadOptionsWithClearErrors) {
  SystemClock clock;
  auto start_with = [&](SimulationOptions o) {
    Simulation sim(std::move(o), clock);
    return sim.start();
  };
  SimulationOptions o;
  o.sensors = {household(1)};
  o.target = "tcp://127.0.0.1:9";
  EXPECT_EQ(start_with(o).code(), Code::kInvalidArgument);
  o.target = "udp://127.0.0.1:0";
  EXPECT_EQ(start_with(o).code(), Code::kInvalidArgument);
  o.target = "udp://127.0.0.1:9";
  o.speed = 0;
  EXPECT_EQ(start_with(o).code(), Code::kInvalidArgument);
  o.speed = 1;
  o.sensors = {household(1), household(1)};
  EXPECT_EQ(start_with(o).code(), Code::kInvalidArgument);
  o.sensors = {};
  EXPECT_EQ(start_with(o).code(), Code::kInvalidArgument);
  SimSensor replay = household(2);
  replay.source = SourceKind::kReplay;
  replay.replay_path = "/nonexistent/data.csv";
  o.sensors = {replay};
  EXPECT_EQ(start_with(o).code(), Code::kNotFound);
}

TEST(UdpTarget, Parses) {
  auto v4 = parse_udp_target("udp://127.0.0.1:4200");
  ASSERT_TRUE(v4.is_ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 4200);
  auto v6 = parse_udp_target("udp://[::1]:5");
  ASSERT_TRUE(v6.is_ok());
  EXPECT_EQ(v6->host, "::1");
  for (const char* bad :
       {"udp://host", "udp://:5", "udp://h:70000", "udp://::1:5", "h:5", "udp://h:5x"}) {
    EXPECT_FALSE(parse_udp_target(bad).is_ok()) << bad;
  }
}

}  // namespace
}  // namespace cw::simulate
