// Behaviour of the measurement core beyond accuracy: windows of whole cycles back to back, what
// it says with no signal, no clamp, no voltage, over range, and the phase shift it applies.
#include "firmware/core/power_meter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace cw::firmware {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct Feed {
  double i_amp = 100, v_amp = 200;  // counts, peak
  double i_mid = 512, v_mid = 512;
  double phase_deg = 0;  // current lags the voltage by this much
  double hz = 50;
};

std::vector<Reading> run(const Feed& f, Calibration cal, int pairs, MeterSetup setup = {}) {
  PowerMeter m;
  m.begin(setup, cal);
  m.set_supply_mv(5000);
  std::vector<Reading> out;
  for (int k = 0; k < pairs; ++k) {
    double t = k * setup.pair_period_us * 1e-6, w = 2 * kPi * f.hz;
    double i = f.i_mid + f.i_amp * std::sin(w * t - f.phase_deg * kPi / 180);
    double v = f.v_mid + f.v_amp * std::sin(w * (t + setup.skew_us * 1e-6));
    auto clamp = [](double x) {
      return static_cast<uint16_t>(std::lround(std::fmin(1023, std::fmax(0, x))));
    };
    if (m.add(clamp(i), clamp(v))) out.push_back(m.reading());
  }
  return out;
}

Calibration with_voltage() {
  Calibration c;
  c.voltage_gain = kDefaultVoltageGain;
  return c;
}

TEST(PowerMeter, WindowsAreWholeCyclesBackToBack) {
  Feed f;
  f.hz = 49.7;
  auto r = run(f, with_voltage(), 8000 * 3);
  ASSERT_GE(r.size(), 4u);
  for (std::size_t k = 1; k < r.size(); ++k) {
    EXPECT_EQ(r[k].cycles, 25);
    EXPECT_NEAR(r[k].frequency_hz, 49.7, 0.01);
    // 25 cycles at 49.7 Hz are 4024.1 pairs of 125 us: every window has 4024 or 4025.
    EXPECT_NEAR(r[k].samples, 4024.1, 1.0);
    EXPECT_TRUE(r[k].settled);
  }
}

TEST(PowerMeter, ScalesWithTheCalibrationAndTheSupply) {
  Feed f;
  Calibration c = with_voltage();
  auto r = run(f, c, 8000 * 2);
  ASSERT_GE(r.size(), 2u);
  double vpc = 5.0 / 1024;
  EXPECT_NEAR(r.back().irms, 100 / std::sqrt(2.0) * vpc * 24.390, 0.01);
  EXPECT_NEAR(r.back().vrms, 200 / std::sqrt(2.0) * vpc * 281.111, 0.1);
  EXPECT_NEAR(r.back().power_factor, 1.0, 1e-3);
  c.current_gain *= 2;
  auto r2 = run(f, c, 8000 * 2);
  EXPECT_NEAR(r2.back().real_w, 2 * r.back().real_w, 1e-3 * r.back().real_w);
}

TEST(PowerMeter, PhaseCalibrationRemovesAKnownLead) {
  Feed f;
  f.phase_deg = -2.0;  // the current leads by 2 degrees: PF would read 0.9994 and P skewed
  Calibration c = with_voltage();
  auto lagging = run(f, c, 8000 * 2).back();
  c.phase_mdeg = 2000;
  auto fixed = run(f, c, 8000 * 2).back();
  // Linear interpolation between samples 2.25 deg apart loses up to 0.02 % of amplitude.
  EXPECT_NEAR(fixed.power_factor, 1.0, 3e-4);
  EXPECT_NEAR(lagging.power_factor, std::cos(2 * kPi / 180), 3e-4);
  EXPECT_LT(lagging.power_factor, fixed.power_factor - 3e-4);
  // A 60 degree lag (PF 0.5) is measured as such once the clamp's lead is removed.
  f.phase_deg = 58.0;
  auto inductive = run(f, c, 8000 * 2).back();
  EXPECT_NEAR(inductive.power_factor, 0.5, 2e-3);
}

TEST(PowerMeter, ExportedPowerIsNegative) {
  Feed f;
  f.phase_deg = 180;
  auto r = run(f, with_voltage(), 8000 * 2).back();
  EXPECT_LT(r.real_w, 0);
  EXPECT_NEAR(r.power_factor, -1.0, 1e-3);
}

TEST(PowerMeter, NoSignalStillEndsWindowsOfNominalCycles) {
  Feed f;
  f.i_amp = 0;
  f.v_amp = 0;
  auto r = run(f, Calibration{}, 8000 * 2);
  ASSERT_GE(r.size(), 3u);
  EXPECT_EQ(r.back().frequency_hz, 0);    // no crossing seen: no frequency claimed
  EXPECT_EQ(r.back().samples, 25 * 160);  // 25 nominal cycles
  EXPECT_EQ(r.back().irms, 0);
  EXPECT_TRUE(r.back().apparent_only);
  EXPECT_FALSE(r.back().clamp_missing);
}

TEST(PowerMeter, CurrentOnlyModeSendsApparentPowerAtNominalVoltage) {
  Feed f;
  auto r = run(f, Calibration{}, 8000 * 2).back();
  EXPECT_TRUE(r.apparent_only);
  EXPECT_EQ(r.vrms, 0);
  EXPECT_NEAR(r.real_w, r.irms * 230, 1e-3);
  EXPECT_NEAR(r.frequency_hz, 50, 0.01);  // from the current's crossings
}

TEST(PowerMeter, AnUnpluggedAdapterFallsBackToApparentPower) {
  Feed f;
  f.v_amp = 0;
  auto r = run(f, with_voltage(), 8000 * 2).back();
  EXPECT_TRUE(r.apparent_only);
  EXPECT_EQ(r.vrms, 0);
  EXPECT_GT(r.real_w, 0);
}

TEST(PowerMeter, AMissingClampAndClippingAreFlagged) {
  Feed f;
  f.i_mid = 0;  // the jack's switch grounds the input when no clamp is plugged in
  f.i_amp = 0;
  auto r = run(f, with_voltage(), 8000 * 2).back();
  EXPECT_TRUE(r.clamp_missing);
  Feed big;
  big.i_amp = 600;  // beyond the ADC's range
  auto c = run(big, with_voltage(), 8000 * 2).back();
  EXPECT_TRUE(c.clipped);
  EXPECT_FALSE(c.clamp_missing);
  EXPECT_FALSE(run(Feed{}, with_voltage(), 8000 * 2).back().clipped);
}

TEST(PowerMeter, TheFirstWindowCentresTheChannels) {
  Feed f;
  f.i_mid = 480;  // bias far from mid-scale, weak signal: the first window is not trusted
  f.i_amp = 5;
  auto r = run(f, Calibration{}, 8000 * 3);
  ASSERT_GE(r.size(), 3u);
  EXPECT_FALSE(r[0].settled);
  EXPECT_TRUE(r.back().settled);
  EXPECT_NEAR(r.back().frequency_hz, 50, 0.05);
}

TEST(PowerMeter, RestartDropsTheWindowUnderWay) {
  PowerMeter m;
  m.begin(MeterSetup{}, with_voltage());
  int done = 0;
  for (int k = 0; k < 8000 * 2; ++k) {
    if (k == 3000) m.restart();  // samples lost: this window must not complete with a gap
    double t = k * 125e-6;
    uint16_t v = static_cast<uint16_t>(512 + 200 * std::sin(2 * kPi * 50 * t));
    if (m.add(512, v)) {
      ++done;
      if (done == 1) {
        EXPECT_GT(k, 3000 + 4000);
      }
    }
  }
  EXPECT_GE(done, 2);
}

}  // namespace
}  // namespace cw::firmware
