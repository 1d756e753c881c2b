// The frame v2 measurement (protocol/frame.h) that a window's reading becomes: power rounded to
// the watt (VA in current-only mode, with the flag that says so), the energy register, Vrms in
// 0.1 V (0 = not measured), the supply and the flags.
//
// Portable: no heap, no exceptions, no OS. Builds for AVR.
#pragma once

#include <stdint.h>

#include "firmware/core/power_meter.h"
#include "protocol/frame.h"

namespace cw {
namespace firmware {

// Below this supply the sensor flags low_battery (mV): an ATmega328P at 16 MHz needs 3.8 V.
constexpr uint16_t kLowBatteryMv = 4000;

struct SensorState {
  uint32_t energy_wh = 0;
  uint16_t supply_mv = 0;
  bool first_since_boot = false;
};

protocol::Measurement to_measurement(const Reading& r, const SensorState& s);

// Rounds to the nearest integer, saturating at the int32 range.
int32_t round_to_int32(float x);

}  // namespace firmware
}  // namespace cw
