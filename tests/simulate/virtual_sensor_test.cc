// The virtual sensor's energy register and frames, and the frame feed built on it.
#include "simulate/virtual_sensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "protocol/host/openssl_aead.h"
#include "simulate/frame_feed.h"
#include "simulate/household_model.h"

namespace cw::simulate {
namespace {

using protocol::FrameError;
using protocol::Measurement;

constexpr TimeMs kStart = 1736000000000;  // 2025-01-04

Key test_key() {
  Key k;
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(0xA0 + i);
  return k;
}

Measurement open(const std::uint8_t* f, std::size_t len) {
  Measurement m{};
  Key k = test_key();
  EXPECT_EQ(protocol::open_measurement(f, len, k.data(), protocol::openssl_aead(), &m),
            FrameError::kOk);
  return m;
}

TEST(VirtualSensor, RegisterEqualsTheIntegralOfPowerOverADay) {
  HouseholdOptions o;
  o.seed = 11;
  o.start = kStart;
  HouseholdModel model(o);
  VirtualSensorConfig c;
  c.key = test_key();
  VirtualSensor sensor(c);
  double exact_wh = 0, prev_w = 0;
  PowerSample s;
  for (int i = 0; i <= 86400; ++i) {
    model.next(&s);
    if (i > 0) exact_wh += prev_w / 3600.0;  // each 1 s reading holds for one second
    prev_w = s.power_w;
    sensor.feed(s);
  }
  EXPECT_GT(exact_wh, 5000);  // a January day
  EXPECT_NEAR(double(sensor.energy_wh()), exact_wh, 1.0);
  EXPECT_NEAR(sensor.energy_exact_wh(), exact_wh, 0.01);
  EXPECT_LE(double(sensor.energy_wh()), sensor.energy_exact_wh());
}

TEST(VirtualSensor, SubWattHourRemainderIsNeverLost) {
  VirtualSensor sensor({});
  // 0.4 W for 10 h in 1 s steps: 4 Wh, although each step adds 1/9000 Wh.
  for (int i = 0; i <= 36000; ++i) sensor.feed({kStart + i * kSecondMs, 0.4});
  EXPECT_EQ(sensor.energy_wh(), 4u);
  // 1 W for 1799 s more: 4.4997 Wh, the register stays at 4 and keeps the rest.
  sensor.feed({kStart + 36000 * kSecondMs + 1, 1.0});
  sensor.feed({kStart + 36000 * kSecondMs + 1 + 1799 * kSecondMs, 1.0});
  EXPECT_EQ(sensor.energy_wh(), 4u);
  EXPECT_NEAR(sensor.energy_exact_wh(), 4.0 + 1799.0 / 3600, 1e-6);
}

TEST(VirtualSensor, MeterIndexWinsAndGapsAddNothing) {
  VirtualSensorConfig c;
  c.max_gap_ms = 90 * kSecondMs;
  VirtualSensor sensor(c);
  sensor.feed({kStart, 3600});
  sensor.feed({kStart + 60 * kSecondMs, 3600});  // 60 Wh
  EXPECT_EQ(sensor.energy_wh(), 60u);
  sensor.feed({kStart + 10 * kMinuteMs, 3600});  // a 9-minute gap: power unknown
  EXPECT_EQ(sensor.energy_wh(), 60u);
  PowerSample metered{kStart + 11 * kMinuteMs, 500};
  metered.meter_wh = 123456;
  sensor.feed(metered);
  EXPECT_EQ(sensor.energy_wh(), 123456u);
  sensor.feed({kStart + 11 * kMinuteMs + 1, -2000});  // export adds nothing to the register
  sensor.feed({kStart + 12 * kMinuteMs, -2000});
  EXPECT_EQ(sensor.energy_wh(), 123456u);
}

TEST(VirtualSensor, FramesCarryCountersFlagsAndValues) {
  VirtualSensorConfig c;
  c.id = 513;
  c.key = test_key();
  c.first_counter = 77;
  VirtualSensor sensor(c);
  std::uint8_t f[protocol::kMaxFrame];
  std::size_t n = sensor.hello(f);
  ASSERT_EQ(n, protocol::kHelloFrame);
  protocol::Header h;
  ASSERT_EQ(protocol::parse_header(f, n, &h), FrameError::kOk);
  EXPECT_EQ(h.counter, 77u);
  EXPECT_EQ(h.sensor_id, 513);
  PowerSample s{kStart, 1234.6};
  s.voltage_dv = 2311;
  s.supply_mv = 3300;
  s.apparent = true;
  sensor.feed(s);
  n = sensor.measurement(f);
  ASSERT_EQ(protocol::parse_header(f, n, &h), FrameError::kOk);
  EXPECT_EQ(h.counter, 78u);
  Measurement m = open(f, n);
  EXPECT_EQ(m.power_w, 1235);
  EXPECT_EQ(m.voltage_dv, 2311);
  EXPECT_EQ(m.supply_mv, 3300);
  EXPECT_EQ(m.flags, protocol::kFlagReboot | protocol::kFlagApparentOnly);
  n = sensor.measurement(f);
  EXPECT_EQ(open(f, n).flags, protocol::kFlagApparentOnly) << "reboot only on the first";
  EXPECT_EQ(sensor.next_counter(), 80u);
}

TEST(VirtualSensor, NeverReusesTheLastCounter) {
  VirtualSensorConfig c;
  c.first_counter = UINT32_MAX;
  VirtualSensor sensor(c);
  std::uint8_t f[protocol::kMaxFrame];
  EXPECT_EQ(sensor.measurement(f), protocol::kMeasurementFrame);
  EXPECT_EQ(sensor.measurement(f), 0u);
  EXPECT_EQ(sensor.hello(f), 0u);
}

// A source of fixed readings.
class ListSource final : public PowerSource {
 public:
  explicit ListSource(std::vector<PowerSample> s) : s_(std::move(s)) {}
  bool next(PowerSample* out) override {
    if (i_ >= s_.size()) return false;
    *out = s_[i_++];
    return true;
  }
  TimeMs nominal_step_ms() const override { return kSecondMs; }

 private:
  std::vector<PowerSample> s_;
  std::size_t i_ = 0;
};

TEST(FrameFeed, HelloThenOneMeasurementPerPeriod) {
  std::vector<PowerSample> readings;
  for (int i = 0; i <= 60; ++i) readings.push_back({kStart + i * kSecondMs, 360.0});
  VirtualSensorConfig c;
  c.key = test_key();
  FrameFeed feed(c, std::make_unique<ListSource>(readings), 10 * kSecondMs);
  TimedFrame f;
  ASSERT_TRUE(feed.next(&f));
  EXPECT_EQ(f.len, protocol::kHelloFrame);
  EXPECT_EQ(f.t, kStart);
  std::vector<TimeMs> times;
  std::vector<std::uint32_t> energy;
  while (feed.next(&f)) {
    times.push_back(f.t);
    energy.push_back(open(f.bytes, f.len).energy_wh);
  }
  // Frames at 10..60 s; none at 70 s, which the readings do not reach.
  EXPECT_EQ(times, (std::vector<TimeMs>{kStart + 10000, kStart + 20000, kStart + 30000,
                                        kStart + 40000, kStart + 50000, kStart + 60000}));
  EXPECT_EQ(energy, (std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6}));  // 360 W = 1 Wh per 10 s
}

TEST(FrameFeed, NativeRateSendsEveryReading) {
  std::vector<PowerSample> readings = {{kStart, 100}, {kStart + 30000, 200}, {kStart + 60000, 300}};
  FrameFeed feed({}, std::make_unique<ListSource>(readings), 0);
  TimedFrame f;
  std::vector<TimeMs> times;
  while (feed.next(&f)) times.push_back(f.t);
  EXPECT_EQ(times, (std::vector<TimeMs>{kStart, kStart, kStart + 30000, kStart + 60000}));
}

}  // namespace
}  // namespace cw::simulate
