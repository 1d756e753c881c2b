// A measurement from an input that is not a radio frame (TIC, MQTT, emoncms-style HTTP): already
// trusted by its channel, judged by Pipeline::submit_input (docs/architecture.md, "Inputs that
// are not radio frames").
#pragma once

#include <cstdint>
#include <optional>

#include "core/sample.h"

namespace cw::ingest {

// SensorState.flags of an input sensor: protocol::kFlagApparentOnly (0x04) when its power is
// apparent (VA), and this bit when its energy is integrated by the base from power (an
// estimate), not read from a register. Radio frame flags use bits 0..3 only.
inline constexpr std::uint8_t kInputFlagEstimated = 0x80;

struct InputMeasurement {
  SensorId sensor = 0;
  TimeMs t = 0;                           // the device's own time, UTC ms; 0 = stamped on receipt
  std::int32_t power = 0;                 // W, or VA when apparent
  bool apparent = false;                  // TIC PAPP/SINSTS: apparent power, never called W
  std::optional<std::int64_t> energy_wh;  // the device's cumulative register; none = integrate
  std::uint16_t voltage_dv = 0;           // 0.1 V, 0 = not measured
};

}  // namespace cw::ingest
