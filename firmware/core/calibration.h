// The sensor's calibration, from the four signed values that provisioning writes (`SET CAL c v`,
// docs/protocol.md) into what the measurement core needs. docs/hardware.md derives the values of
// the reference build; `citizenwatt sensor calibrate` measures them against a known load.
//
//   CAL 0  current gain: mains amperes per volt at the ADC pin, x1000 (0 = reference build)
//   CAL 1  voltage gain: mains volts per volt at the ADC pin, x1000 (0 = no voltage channel:
//          the sensor sends apparent power at kNominalMains, flagged apparent_only)
//   CAL 2  phase correction, millidegrees at 50 Hz, added to the voltage channel (compensates
//          the clamp's phase lead over the AC-AC adapter)
//   CAL 3  measurement period, seconds (0 = kDefaultPeriodS)
//
// Gains are per volt at the pin, not per ADC count, so a battery whose voltage (the ADC
// reference) sags changes nothing: the firmware measures its supply and scales every window.
//
// Portable: no heap, no exceptions, no OS. Builds for AVR.
#pragma once

#include <stdint.h>

namespace cw {
namespace firmware {

// Reference build (docs/hardware.md): SCT-013-000 (2000:1) on a 82 ohm burden: 24.39 A per V.
constexpr int32_t kDefaultCurrentGain = 24390;
// Reference build: 230 V : 9 V AC-AC adapter, then a 100k / 10k divider: 281.1 V per V.
constexpr int32_t kDefaultVoltageGain = 281111;
constexpr uint16_t kDefaultPeriodS = 10;
constexpr uint16_t kMaxPeriodS = 3600;
// Mains voltage assumed in current-only mode (EN 50160 nominal).
constexpr uint16_t kNominalMainsDv = 2300;
// |CAL 2| above this is refused: the core can only shift the voltage by two sample periods.
constexpr int32_t kMaxPhaseMdeg = 4000;

struct Calibration {
  int32_t current_gain = kDefaultCurrentGain;  // A per V at the pin, x1000
  int32_t voltage_gain = 0;                    // V per V at the pin, x1000; 0 = not wired
  int32_t phase_mdeg = 0;
  uint16_t period_s = kDefaultPeriodS;

  bool has_voltage() const { return voltage_gain > 0; }
};

// The calibration the four CAL values describe. Values out of range fall back to their
// default (a negative gain, a period of 0 or above an hour, an impossible phase), so a sensor
// always measures something sensible; calibration_valid() says whether all four were usable.
Calibration calibration_from(const int32_t cal[4]);
bool calibration_valid(const int32_t cal[4]);

// A 16-bit digest of the four values, sent in the hello frame as the calibration id, so the
// base sees when a sensor's calibration changed.
uint16_t calibration_id(const int32_t cal[4]);

}  // namespace firmware
}  // namespace cw
