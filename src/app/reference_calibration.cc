#include "app/reference_calibration.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "firmware/core/calibration.h"
#include "protocol/frame.h"

namespace cw::app {

namespace {

namespace pv = protocol::provision;
constexpr double kPi = 3.14159265358979323846;
constexpr double kMinCurrentA = 0.5;      // below: the clamp is not around the load's conductor
constexpr double kMinPowerFactor = 0.98;  // a resistive load; a motor or a PC is not one

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

Result<std::int32_t> scaled_gain(std::int32_t gain, double factor, const char* what) {
  if (!(factor > 1 / kMaxGainChange && factor < kMaxGainChange))
    return invalid_argument(std::string("the ") + what + " reads " + fixed(1 / factor, 2) +
                            " times the reference: more than calibration can fix. Check the "
                            "wiring (burden resistor, divider), and that the clamp is around "
                            "one conductor only");
  double v = std::round(gain * factor);
  if (v < 1 || v > INT32_MAX)
    return invalid_argument(std::string("the new ") + what + " gain is out of range");
  return static_cast<std::int32_t>(v);
}

}  // namespace

Status check_reference(const Reference& ref) {
  if (!(ref.watts >= kMinReferenceW && ref.watts <= kMaxReferenceW))
    return invalid_argument("the reference load must be between " + fixed(kMinReferenceW, 0) +
                            " and " + fixed(kMaxReferenceW, 0) + " W");
  if (ref.volts && !(*ref.volts >= kMinReferenceV && *ref.volts <= kMaxReferenceV))
    return invalid_argument("the reference voltage must be between " + fixed(kMinReferenceV, 0) +
                            " and " + fixed(kMaxReferenceV, 0) + " V");
  return Status::ok();
}

Result<MeasuredLoad> average(const std::vector<pv::Measure>& windows) {
  if (windows.empty()) return invalid_argument("no measurement");
  MeasuredLoad m;
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& w : windows) {
    if (w.flags & protocol::kFlagClampMissing)
      return invalid_argument("the sensor sees no clamp: is it plugged into the sensor?");
    m.vrms += w.vrms_cv / 100.0;
    m.irms += w.irms_ma / 1000.0;
    m.real_w += w.real_dw / 10.0;
    m.apparent_va += w.apparent_dva / 10.0;
    lo = std::min(lo, w.real_dw / 10.0);
    hi = std::max(hi, w.real_dw / 10.0);
  }
  double n = static_cast<double>(windows.size());
  m.vrms /= n, m.irms /= n, m.real_w /= n, m.apparent_va /= n;
  m.windows = windows.size();
  if (m.irms < kMinCurrentA)
    return invalid_argument("the sensor sees " + fixed(m.irms, 3) +
                            " A: is the reference load on, and the clamp around one conductor "
                            "of its circuit?");
  if (m.real_w < 0)
    return invalid_argument(
        "the power reads negative: turn the clamp over (its arrow towards "
        "the load)");
  m.spread = (hi - lo) / m.real_w;
  if (m.spread > kMaxSpread)
    return invalid_argument("the load is not steady (" + fixed(lo, 1) + " to " + fixed(hi, 1) +
                            " W): use a resistive load without a thermostat, and switch "
                            "everything else on the circuit off");
  if (m.has_voltage() && m.real_w / m.apparent_va < kMinPowerFactor)
    return invalid_argument("the load's power factor reads " + fixed(m.real_w / m.apparent_va, 3) +
                            ": the reference must be resistive (a kettle, a heater), or the "
                            "clamp and the adapter are not on the same circuit");
  return m;
}

Result<CalValues> calibrate_gains(const CalValues& current, const MeasuredLoad& load,
                                  const Reference& ref) {
  firmware::Calibration eff = firmware::calibration_from(current.data());
  CalValues out = current;
  double volts_factor = 1;  // true V / measured V
  if (ref.volts && load.has_voltage()) {
    volts_factor = *ref.volts / load.vrms;
    auto v = scaled_gain(eff.voltage_gain, volts_factor, "voltage");
    if (!v) return v.status();
    out[1] = *v;
  }
  // S as it will read with the new voltage gain; the current gain makes it the reference.
  auto i = scaled_gain(eff.current_gain, ref.watts / (load.apparent_va * volts_factor), "power");
  if (!i) return i.status();
  out[0] = *i;
  return out;
}

std::vector<std::int32_t> phase_probes(std::int32_t present_mdeg) {
  std::vector<std::int32_t> out;
  for (std::int32_t p : {present_mdeg + kPhaseProbeMdeg, present_mdeg - kPhaseProbeMdeg}) {
    p = std::clamp<std::int32_t>(p, -firmware::kMaxPhaseMdeg, firmware::kMaxPhaseMdeg);
    if (p != present_mdeg) out.push_back(p);
  }
  return out;
}

Result<std::int32_t> fit_phase(const std::vector<PhasePoint>& points) {
  // A cos(x - x0) = a cos x + b sin x, with a = A cos x0 and b = A sin x0: linear in a and b.
  double cc = 0, cs = 0, ss = 0, fc = 0, fs = 0;
  for (const auto& p : points) {
    double x = p.cal_mdeg / 1000.0 * kPi / 180, c = std::cos(x), s = std::sin(x);
    cc += c * c, cs += c * s, ss += s * s, fc += p.power_factor * c, fs += p.power_factor * s;
  }
  double det = cc * ss - cs * cs;
  if (!(std::abs(det) > 1e-9)) return invalid_argument("not enough phase measurements to fit");
  double a = (fc * ss - fs * cs) / det, b = (fs * cc - fc * cs) / det;
  double x0 = std::atan2(b, a) * 180 / kPi * 1000;
  return static_cast<std::int32_t>(
      std::round(std::clamp<double>(x0, -firmware::kMaxPhaseMdeg, firmware::kMaxPhaseMdeg)));
}

}  // namespace cw::app
