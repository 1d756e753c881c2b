#include "firmware/core/measurement.h"

namespace cw {
namespace firmware {

int32_t round_to_int32(float x) {
  if (x >= 2147483520.0f) return INT32_MAX;  // the largest float below 2^31
  if (x <= -2147483520.0f) return INT32_MIN;
  return static_cast<int32_t>(x < 0 ? x - 0.5f : x + 0.5f);
}

protocol::Measurement to_measurement(const Reading& r, const SensorState& s) {
  protocol::Measurement m{};
  m.power_w = round_to_int32(r.real_w);
  m.energy_wh = s.energy_wh;
  int32_t dv = r.apparent_only ? 0 : round_to_int32(r.vrms * 10.0f);
  m.voltage_dv = static_cast<uint16_t>(dv < 0 ? 0 : (dv > 0xFFFF ? 0xFFFF : dv));
  m.supply_mv = s.supply_mv;
  if (s.first_since_boot) m.flags |= protocol::kFlagReboot;
  if (r.clamp_missing) m.flags |= protocol::kFlagClampMissing;
  if (r.apparent_only) m.flags |= protocol::kFlagApparentOnly;
  if (s.supply_mv < kLowBatteryMv) m.flags |= protocol::kFlagLowBattery;
  return m;
}

}  // namespace firmware
}  // namespace cw
