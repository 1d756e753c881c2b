// `citizenwatt sensor calibrate` (the command's own code, in a thread) against the real
// firmware under simavr, over a pseudo-terminal wired to the simulated UART, the simulation
// held to a few times real time. The front end is not the reference build (an 84 ohm burden,
// another adapter, the clamp leading by 1.5 degrees): the sensor reads a 2 kW kettle 4 % high
// until calibrated, and its radio frames are right after.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "app/commands.h"
#include "protocol/provision_info.h"
#include "sensor_session.h"
#include "uart_bridge.h"

namespace cw::firmware::testing {
namespace {

using namespace std::chrono_literals;
constexpr double kSpeed = 4;  // simulated seconds per real second, at most

double measured_w(AvrSensor& s) {
  std::string r = command(s, "MEASURE");
  std::size_t p = r.find(" P=");
  return p == std::string::npos ? 0 : std::stod(r.substr(p + 3)) / 10;
}

TEST(FirmwareUnderSimavr, CalibrateAgainstAKettleMakesItsFramesRight) {
  FrontEnd f{23.8, 276.0, 1.5};
  AvrSensor s(CW_FIRMWARE_ELF, {}, current_pin(f), voltage_pin(f));
  provision(s, 42);
  double before = measured_w(s);
  EXPECT_GT(std::abs(before / kWatts - 1), 0.03) << before;  // calibration has work to do

  s.uart_received().clear();  // the host sees only what comes after it opened the port
  UartBridge bridge(s);
  app::CalibrateArgs args;
  args.port = bridge.path();
  args.reference_w = kWatts;
  args.reference_v = kVrms;
  args.windows = 2;
  args.timeout_s = 10;
  std::atomic<int> exit_code{-1};
  std::thread cli([&] { exit_code = app::run_sensor_calibrate(args); });
  bool finished = bridge.pump([&] { return exit_code >= 0; }, kSpeed, 120s);
  cli.join();
  ASSERT_TRUE(finished);
  ASSERT_EQ(exit_code, 0);

  // The constants it found are the front end's: 23.8 A and 276 V per volt, 1.5 degrees.
  std::string info = command(s, "INFO");
  protocol::provision::Info parsed;
  ASSERT_TRUE(protocol::provision::parse_info(info.data(), info.size(), &parsed)) << info;
  EXPECT_NEAR(parsed.calibration[0], 23800, 23800 * 0.003);
  EXPECT_NEAR(parsed.calibration[1], 276000, 276000 * 0.003);
  EXPECT_NEAR(parsed.calibration[2], 1500, 150);
  s.radio().lose_next(0);
  ASSERT_TRUE(s.run_until([&] { return s.radio().received_count() >= 3; }, 60));
  for (const auto& p : s.radio().received()) {
    Decoded d = decode(p);
    if (d.hello) continue;
    EXPECT_NEAR(d.m.power_w, kWatts, 0.01 * kWatts);
    EXPECT_NEAR(d.m.voltage_dv, kVrms * 10, kVrms * 10 * 0.005);
  }
  std::printf("RAM after calibration: %zu bytes never used\n", s.ram_never_used());
  EXPECT_GE(s.ram_never_used(), 128u);  // the stack's margin holds through COMMITs and MEASUREs
}

}  // namespace
}  // namespace cw::firmware::testing
