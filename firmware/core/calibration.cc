#include "firmware/core/calibration.h"

namespace cw {
namespace firmware {

namespace {

bool gain_ok(int32_t v) {
  return v >= 0;
}
bool phase_ok(int32_t v) {
  return v >= -kMaxPhaseMdeg && v <= kMaxPhaseMdeg;
}
bool period_ok(int32_t v) {
  return v >= 0 && v <= kMaxPeriodS;
}

}  // namespace

Calibration calibration_from(const int32_t cal[4]) {
  Calibration c;
  if (gain_ok(cal[0]) && cal[0] != 0) c.current_gain = cal[0];
  if (gain_ok(cal[1])) c.voltage_gain = cal[1];
  if (phase_ok(cal[2])) c.phase_mdeg = cal[2];
  if (period_ok(cal[3]) && cal[3] != 0) c.period_s = static_cast<uint16_t>(cal[3]);
  return c;
}

bool calibration_valid(const int32_t cal[4]) {
  return gain_ok(cal[0]) && gain_ok(cal[1]) && phase_ok(cal[2]) && period_ok(cal[3]);
}

uint16_t calibration_id(const int32_t cal[4]) {
  // FNV-1a over the 16 bytes, folded to 16 bits: any change of any value shows.
  uint32_t h = 2166136261u;
  for (int i = 0; i < 4; ++i) {
    uint32_t v = static_cast<uint32_t>(cal[i]);
    for (int b = 0; b < 4; ++b) {
      h ^= (v >> (8 * b)) & 0xFF;
      h *= 16777619u;
    }
  }
  return static_cast<uint16_t>(h ^ (h >> 16));
}

}  // namespace firmware
}  // namespace cw
