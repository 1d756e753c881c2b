#include "app/reference_calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "protocol/frame.h"

namespace cw::app {
namespace {

namespace pv = protocol::provision;

// A window as the sensor's MEASURE reply says it (docs/protocol.md), through the host's parser.
pv::Measure window(double v, double i, double p, double s, unsigned flags = 0) {
  char body[160];
  std::snprintf(body, sizeof body,
                "OK MEASURE V=%ld I=%ld P=%ld S=%ld PF=%ld HZ=5000 VCC=5000 F=%u",
                std::lround(v * 100), std::lround(i * 1000), std::lround(p * 10),
                std::lround(s * 10), s > 0 ? std::lround(1000 * p / s) : 0L, flags);
  pv::Measure m;
  EXPECT_TRUE(pv::parse_measure(body, std::strlen(body), &m)) << body;
  return m;
}

TEST(ReferenceCalibration, AveragesSteadyWindows) {
  auto m = average({window(230, 8.6, 1980, 1980), window(230.2, 8.61, 1990, 1990)});
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_NEAR(m->vrms, 230.1, 1e-9);
  EXPECT_NEAR(m->irms, 8.605, 1e-9);
  EXPECT_NEAR(m->real_w, 1985, 1e-9);
  EXPECT_NEAR(m->spread, 10.0 / 1985, 1e-9);
  EXPECT_EQ(m->windows, 2u);
}

TEST(ReferenceCalibration, RefusesWhatCannotCalibrate) {
  auto no_clamp = average({window(230, 0, 0, 0, protocol::kFlagClampMissing)});
  EXPECT_NE(no_clamp.status().message().find("no clamp"), std::string::npos);
  auto no_load = average({window(230, 0.05, 11, 11.5)});
  EXPECT_NE(no_load.status().message().find("reference load on"), std::string::npos);
  auto reversed = average({window(230, 8.7, -2000, 2000)});
  EXPECT_NE(reversed.status().message().find("turn the clamp over"), std::string::npos);
  auto unsteady = average({window(230, 8.7, 2000, 2000), window(230, 9.2, 2100, 2100)});
  EXPECT_NE(unsteady.status().message().find("not steady"), std::string::npos);
  auto motor = average({window(230, 8.7, 1600, 2000)});
  EXPECT_NE(motor.status().message().find("resistive"), std::string::npos);
  EXPECT_FALSE(average({}));
}

TEST(ReferenceCalibration, ScalesTheCurrentGainByReferenceOverApparentPower) {
  // Reads 1960 VA for a 2000 W kettle with the reference build's gains (CAL 0 = 0: default).
  auto m = average({window(230, 8.522, 1958, 1960)});
  ASSERT_TRUE(m);
  auto cal = calibrate_gains({0, 281111, 0, 0}, *m, {2000, std::nullopt});
  ASSERT_TRUE(cal) << cal.status().message();
  EXPECT_EQ((*cal)[0], std::lround(24390 * 2000 / 1960.0));
  EXPECT_EQ((*cal)[1], 281111);  // no multimeter: the voltage channel is trusted
  EXPECT_EQ((*cal)[3], 0);
}

TEST(ReferenceCalibration, AMultimeterCalibratesTheVoltageToo) {
  auto m = average({window(225, 8.7, 1957.5, 1957.5)});
  ASSERT_TRUE(m);
  auto cal = calibrate_gains({25000, 280000, -300, 10}, *m, {2000, 235.0});
  ASSERT_TRUE(cal);
  EXPECT_EQ((*cal)[1], std::lround(280000 * 235 / 225.0));
  // With the new voltage gain S reads 1957.5 x 235 / 225; the current gain takes the rest.
  EXPECT_EQ((*cal)[0], std::lround(25000 * 2000 / (1957.5 * 235 / 225)));
  EXPECT_EQ((*cal)[2], -300);
  EXPECT_EQ((*cal)[3], 10);
}

TEST(ReferenceCalibration, CurrentOnlyScalesTheCurrentGainAlone) {
  auto m = average({window(0, 8.0, 1840, 1840, protocol::kFlagApparentOnly)});
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->has_voltage());
  EXPECT_EQ(m->power_factor(), 1);
  auto cal = calibrate_gains({0, 0, 0, 0}, *m, {2000, 240.0});  // the voltage cannot be used
  ASSERT_TRUE(cal);
  EXPECT_EQ((*cal)[0], std::lround(24390 * 2000 / 1840.0));
  EXPECT_EQ((*cal)[1], 0);
}

TEST(ReferenceCalibration, AGainOffByMoreThanTwiceIsAWiringFault) {
  auto m = average({window(230, 4.0, 920, 920)});
  ASSERT_TRUE(m);
  auto cal = calibrate_gains({0, 281111, 0, 0}, *m, {2000, std::nullopt});
  ASSERT_FALSE(cal);
  EXPECT_NE(cal.status().message().find("wiring"), std::string::npos);
}

// P / S of a resistive load measured at CAL 2 = x when x0 cancels the phase error, lowered
// alike by a = 0.9998 (the interpolation's own attenuation), rounded as MEASURE rounds.
double pf_at(double x_mdeg, double x0_mdeg) {
  double d = (x_mdeg - x0_mdeg) / 1000 * 3.14159265358979323846 / 180;
  return std::round(0.9998 * std::cos(d) * 20000) / 20000;
}

TEST(ReferenceCalibration, ThePhaseIsFittedThroughTheProbes) {
  for (double x0 : {1500.0, -700.0, 0.0, 3300.0}) {
    std::vector<PhasePoint> pts = {{0, pf_at(0, x0)}};
    for (auto p : phase_probes(0)) pts.push_back({p, pf_at(p, x0)});
    auto fit = fit_phase(pts);
    ASSERT_TRUE(fit);
    EXPECT_NEAR(*fit, x0, 60) << x0;  // a resolution of 5e-5 on P / S
  }
  EXPECT_EQ(phase_probes(500), (std::vector<std::int32_t>{2500, -1500}));
  EXPECT_EQ(phase_probes(3000), (std::vector<std::int32_t>{4000, 1000}));  // clamped
  EXPECT_EQ(phase_probes(4000), (std::vector<std::int32_t>{2000}));
  EXPECT_FALSE(fit_phase({{100, 0.99}}));
  EXPECT_FALSE(fit_phase({{100, 0.99}, {100, 0.98}}));
  // A peak beyond the firmware's range is clamped to it.
  EXPECT_EQ(
      *fit_phase({{0, pf_at(0, 6000)}, {2000, pf_at(2000, 6000)}, {-2000, pf_at(-2000, 6000)}}),
      4000);
}

TEST(ReferenceCalibration, ReferencesOutsideTheSensorsRangeAreRefused) {
  EXPECT_TRUE(check_reference({2000, std::nullopt}));
  EXPECT_TRUE(check_reference({2000, 231.5}));
  EXPECT_FALSE(check_reference({100, std::nullopt}));
  EXPECT_FALSE(check_reference({12000, std::nullopt}));
  EXPECT_FALSE(check_reference({2000, 120.0}));
  EXPECT_FALSE(check_reference({std::nan(""), std::nullopt}));
}

}  // namespace
}  // namespace cw::app
