#include "firmware/core/energy_register.h"

#include <gtest/gtest.h>

#include "firmware/core/calibration.h"
#include "firmware/core/measurement.h"

namespace cw::firmware {
namespace {

TEST(EnergyRegister, KeepsTheRemainderSoMonthsOfSmallPowersAddUp) {
  EnergyRegister e;
  // 3.7 W every 10 s for 30 days: 2,663.999... Wh, each step only 10.3 mWh.
  for (int k = 0; k < 30 * 8640; ++k) e.add(3700, 10000);
  EXPECT_EQ(e.wh(), 2664u);  // 3.7 W x 720 h = 2664 Wh exactly
  EXPECT_EQ(e.remainder_uj(), 0u);
}

TEST(EnergyRegister, CarriesExactlyAcrossWattHours) {
  EnergyRegister e;
  e.restore(100);
  e.add(1, 3599999);  // 3599.999 mJ: just under 1 mWh
  EXPECT_EQ(e.wh(), 100u);
  EXPECT_EQ(e.remainder_uj(), 3599999u);
  e.add(3600000, 1000);  // 1 Wh
  EXPECT_EQ(e.wh(), 101u);
  e.add(-5000, 10000);  // export adds nothing
  EXPECT_EQ(e.wh(), 101u);
  e.add(2147483647, 4294967295u);  // the largest step neither overflows nor loses
  EXPECT_EQ(e.wh(), 101u + static_cast<uint32_t>((2147483647ull * 4294967295ull + 3599999) /
                                                 kMicrojoulesPerWh));
}

TEST(EnergyRegister, WrapsAtTwoToTheThirtyTwoLikeTheFrameField) {
  EnergyRegister e;
  e.restore(0xFFFFFFFFu);
  e.add(3600000, 1000);
  EXPECT_EQ(e.wh(), 0u);
}

TEST(Calibration, ValuesOutOfRangeFallBackToDefaults) {
  int32_t none[4] = {0, 0, 0, 0};
  Calibration c = calibration_from(none);
  EXPECT_EQ(c.current_gain, kDefaultCurrentGain);
  EXPECT_FALSE(c.has_voltage());
  EXPECT_EQ(c.period_s, kDefaultPeriodS);
  EXPECT_TRUE(calibration_valid(none));
  int32_t bad[4] = {-1, -5, 9000, 99999};
  c = calibration_from(bad);
  EXPECT_EQ(c.current_gain, kDefaultCurrentGain);
  EXPECT_EQ(c.voltage_gain, 0);
  EXPECT_EQ(c.phase_mdeg, 0);
  EXPECT_EQ(c.period_s, kDefaultPeriodS);
  EXPECT_FALSE(calibration_valid(bad));
  int32_t good[4] = {30000, 281111, -1200, 30};
  c = calibration_from(good);
  EXPECT_EQ(c.current_gain, 30000);
  EXPECT_TRUE(c.has_voltage());
  EXPECT_EQ(c.phase_mdeg, -1200);
  EXPECT_EQ(c.period_s, 30);
}

TEST(Calibration, TheIdChangesWithAnyValue) {
  int32_t a[4] = {24390, 281111, 1500, 10};
  uint16_t id = calibration_id(a);
  for (int k = 0; k < 4; ++k) {
    int32_t b[4] = {a[0], a[1], a[2], a[3]};
    b[k] += 1;
    EXPECT_NE(calibration_id(b), id) << k;
  }
}

TEST(Measurement, FlagsAndUnitsOfTheFrame) {
  Reading r;
  r.real_w = 1234.6f;
  r.vrms = 230.14f;
  SensorState s{567890, 3700, true};
  protocol::Measurement m = to_measurement(r, s);
  EXPECT_EQ(m.power_w, 1235);
  EXPECT_EQ(m.energy_wh, 567890u);
  EXPECT_EQ(m.voltage_dv, 2301);
  EXPECT_EQ(m.supply_mv, 3700);
  EXPECT_EQ(m.flags, protocol::kFlagReboot | protocol::kFlagLowBattery);
  r.apparent_only = true;
  r.clamp_missing = true;
  r.real_w = -3.5f;
  s = {1, 5000, false};
  m = to_measurement(r, s);
  EXPECT_EQ(m.voltage_dv, 0);
  EXPECT_EQ(m.power_w, -4);
  EXPECT_EQ(m.flags, protocol::kFlagApparentOnly | protocol::kFlagClampMissing);
  EXPECT_EQ(round_to_int32(3e10f), INT32_MAX);
  EXPECT_EQ(round_to_int32(-3e10f), INT32_MIN);
}

}  // namespace
}  // namespace cw::firmware
