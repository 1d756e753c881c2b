// Calibration of a sensor against a reference load (`citizenwatt sensor calibrate`): from the
// MEASURE windows the sensor reports while only a known resistive load (a kettle, a heater)
// draws current, the gain constants that make its readings match the reference, in the units
// of the firmware's CAL channels (firmware/core/calibration.h).
//
// A resistive load has P = S = V x I. So the current gain is scaled by reference / S (S, not
// P: a phase error changes P but not S), after the voltage gain was scaled by V_ref / V when a
// multimeter gave V_ref. Without a voltage channel the sensor reports S at the nominal 230 V,
// and the same scaling makes that right for this household. The phase (CAL 2) cannot be
// signed from one reading: P / S is measured at the present CAL 2 and at two probes either
// side, and the peak of a cosine fitted through them is the CAL 2 that cancels the phase error.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/status.h"
#include "protocol/provision_info.h"

namespace cw::app {

using CalValues = std::array<std::int32_t, protocol::provision::kCalChannels>;

// The reference load's limits: enough current for a precise reading, within the clamp's range.
inline constexpr double kMinReferenceW = 300, kMaxReferenceW = 9000;
inline constexpr double kMinReferenceV = 180, kMaxReferenceV = 260;
// Windows whose real power spreads more than this around their mean: the load is not steady.
inline constexpr double kMaxSpread = 0.02;
// A measured gain more than this factor off the current one means a wiring fault, not drift.
inline constexpr double kMaxGainChange = 2.0;

struct Reference {
  double watts = 0;
  std::optional<double> volts;  // from a multimeter; none: the voltage channel is trusted
};
Status check_reference(const Reference& ref);

// The mean of MEASURE windows of a steady load.
struct MeasuredLoad {
  double vrms = 0;  // V; 0 when the sensor has no voltage channel
  double irms = 0;  // A
  double real_w = 0;
  double apparent_va = 0;
  double spread = 0;  // (max - min) / mean of the windows' real power
  std::size_t windows = 0;
  bool has_voltage() const { return vrms > 0; }
  double power_factor() const { return apparent_va > 0 ? real_w / apparent_va : 0; }
};
// Refuses windows that cannot calibrate anything: no clamp, no current, power going the wrong
// way, a load that is not steady or not resistive.
Result<MeasuredLoad> average(const std::vector<protocol::provision::Measure>& windows);

// The CAL values that make `load`, measured with `current`, read as `ref`. Only the current
// gain (CAL 0) and, with ref.volts and a voltage channel, the voltage gain (CAL 1) change.
Result<CalValues> calibrate_gains(const CalValues& current, const MeasuredLoad& load,
                                  const Reference& ref);

// The CAL 2 values to measure besides the present one: kPhaseProbeMdeg either side, within the
// firmware's range.
inline constexpr std::int32_t kPhaseProbeMdeg = 2000;
std::vector<std::int32_t> phase_probes(std::int32_t present_mdeg);

struct PhasePoint {
  std::int32_t cal_mdeg;  // CAL 2 while measuring
  double power_factor;    // P / S of the resistive load
};
// The CAL 2 at the peak of P / S = A cos(x - x0) fitted through the points (least squares):
// A, whatever lowers every reading alike (the load's own PF, the interpolation), cancels out.
// Clamped to the firmware's range; an error with fewer than two distinct points.
Result<std::int32_t> fit_phase(const std::vector<PhasePoint>& points);

}  // namespace cw::app
