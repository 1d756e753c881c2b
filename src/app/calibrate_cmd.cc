// citizenwatt sensor calibrate: measures a known resistive load with the sensor (its MEASURE
// command over the USB serial link, docs/protocol.md), computes the gain constants that make
// the readings match (reference_calibration.h), writes them with SET CAL + COMMIT, reads them
// back, and measures again to show the result.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "app/base.h"
#include "app/commands.h"
#include "app/provision_link.h"
#include "app/reference_calibration.h"
#include "protocol/provision_line.h"

namespace cw::app {

namespace {

namespace pv = protocol::provision;
using std::chrono::milliseconds;

// A MEASURE runs up to 4 windows of 25 mains cycles; the firmware gives up at 3 s.
constexpr milliseconds kMeasureTimeout{5000};
constexpr double kCheckTolerance = 0.01;  // the check after writing: within 1 % of the reference

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

Result<std::vector<pv::Measure>> measure(ProvisionLink& link, int windows) {
  std::vector<pv::Measure> out;
  for (int k = 0; k < windows; ++k) {
    auto reply = link.exchange("MEASURE", "MEASURE", "OK MEASURE ", kMeasureTimeout);
    if (!reply) return reply.status();
    pv::Measure m;
    if (!pv::parse_measure(reply->data(), reply->size(), &m))
      return internal_error("malformed MEASURE from the sensor: \"" + *reply + "\"");
    out.push_back(m);
  }
  return out;
}

Result<MeasuredLoad> measure_load(ProvisionLink& link, int windows) {
  auto w = measure(link, windows);
  if (!w) return w.status();
  return average(*w);
}

void print_load(const char* what, const MeasuredLoad& m) {
  std::cout << what << " (" << m.windows << " windows):";
  if (m.has_voltage()) std::cout << " " << fixed(m.vrms, 1) << " V,";
  std::cout << " " << fixed(m.irms, 3) << " A, " << fixed(m.real_w, 1)
            << (m.has_voltage() ? " W, PF " + fixed(m.power_factor(), 4)
                                : " VA (no voltage channel)")
            << "\n";
}

Status write_cal(ProvisionLink& link, const CalValues& cal) {
  for (unsigned ch = 0; ch < cal.size(); ++ch) {
    std::string arg = std::to_string(ch) + " " + std::to_string(cal[ch]);
    CW_RETURN_IF_ERROR(link.exchange("SET CAL " + arg, "SET CAL", "OK CAL " + arg).status());
  }
  return link.exchange("COMMIT", "COMMIT", "OK COMMIT").status();
}

// COMMIT then INFO: what the sensor persisted must be what was written.
Status write_and_verify(ProvisionLink& link, const CalValues& cal) {
  CW_RETURN_IF_ERROR(write_cal(link, cal));
  auto info = read_info(link);
  if (!info) return info.status();
  for (unsigned ch = 0; ch < cal.size(); ++ch)
    if (info->calibration[ch] != cal[ch])
      return internal_error("the sensor reports CAL " + std::to_string(ch) + " = " +
                            std::to_string(info->calibration[ch]) + " after COMMIT, expected " +
                            std::to_string(cal[ch]) + ": its settings storage may be failing");
  return Status::ok();
}

// Measures P / S at two probes either side of the present CAL 2 and fits where it peaks.
Result<CalValues> calibrate_phase(ProvisionLink& link, CalValues cal, const MeasuredLoad& load,
                                  int windows) {
  std::vector<PhasePoint> points = {{cal[2], load.power_factor()}};
  for (std::int32_t probe : phase_probes(cal[2])) {
    CalValues trial = cal;
    trial[2] = probe;
    CW_RETURN_IF_ERROR(write_cal(link, trial));
    auto m = measure_load(link, windows);
    if (!m) return m.status();
    std::cout << "phase " << fixed(probe / 1000.0, 2) << " deg: PF " << fixed(m->power_factor(), 4)
              << "\n";
    points.push_back({probe, m->power_factor()});
  }
  auto best = fit_phase(points);
  if (!best) return best.status();
  cal[2] = *best;
  return cal;
}

// Asks for the reference's power when it was not given, and waits until the user has it on.
Result<Reference> ask_reference(const CalibrateArgs& args) {
  Reference ref{args.reference_w.value_or(0), args.reference_v};
  std::cout << "Calibration against a reference load. Switch off everything on the circuit the "
               "clamp measures but one resistive load of known power: a kettle, a heater, an "
               "oven (nothing with a motor or a thermostat that cycles). Best: read its power "
               "on a plug-in power meter; its rating plate is within a few %.\n";
  if (!args.reference_w) {
    std::cout << "Power of the reference load, in W: " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) return invalid_argument("no reference power given");
    char* end = nullptr;
    ref.watts = std::strtod(line.c_str(), &end);
    if (end == line.c_str()) return invalid_argument("'" + line + "' is not a power in W");
    std::cout << "Switch it on, then press Enter. " << std::flush;
    std::getline(std::cin, line);
  }
  CW_RETURN_IF_ERROR(check_reference(ref));
  return ref;
}

Status calibrate(ProvisionLink& link, const Reference& ref, const CalibrateArgs& args) {
  CW_RETURN_IF_ERROR(greet(link));
  auto info = read_info(link);
  if (!info) return info.status();
  if (info->sensor_id == 0 || !info->key_set)
    return invalid_argument(
        "the sensor is not provisioned yet: run `citizenwatt sensor "
        "provision` first (calibration is stored with its settings)");
  CalValues before;
  std::copy(std::begin(info->calibration), std::end(info->calibration), before.begin());
  auto load = measure_load(link, args.windows);
  if (!load) return load.status();
  print_load("measured", *load);
  auto cal = calibrate_gains(before, *load, ref);
  if (!cal) return cal.status();
  if (args.dry_run) {
    std::cout << "would write CAL 0 = " << (*cal)[0] << ", CAL 1 = " << (*cal)[1]
              << " (--dry-run: nothing written)\n";
    return Status::ok();
  }
  if (load->has_voltage()) {  // the gains scale P and S alike: P / S still tells the phase
    auto phased = calibrate_phase(link, *cal, *load, args.windows);
    if (!phased) return phased.status();
    cal = *phased;
  }
  CW_RETURN_IF_ERROR(write_and_verify(link, *cal));
  static const char* kNames[] = {"current gain", "voltage gain", "phase (mdeg)", "period (s)"};
  std::cout << "calibration written:\n";
  for (unsigned ch = 0; ch < 3; ++ch)
    std::cout << "  CAL " << ch << " " << kNames[ch] << ": " << before[ch] << " -> " << (*cal)[ch]
              << "\n";
  auto check = measure_load(link, args.windows);
  if (!check) return check.status();
  print_load("check", *check);
  double off = check->real_w / ref.watts - 1;
  std::cout << "the sensor now reads " << fixed(100 * off, 2) << " % from the reference\n";
  if (std::abs(off) > kCheckTolerance)
    return internal_error("still " + fixed(100 * off, 2) +
                          " % off after calibration: is the load steady and resistive, and the "
                          "only one on the circuit?");
  return Status::ok();
}

}  // namespace

int run_sensor_calibrate(const CalibrateArgs& args) {
  if (!(args.timeout_s > 0 && args.timeout_s <= 60))
    return report(invalid_argument("--timeout must be between 0 and 60 seconds"));
  if (args.windows < 1 || args.windows > 50)
    return report(invalid_argument("--windows must be between 1 and 50"));
  if (args.reference_w) {  // a wrong flag fails before anything is asked or opened
    if (Status s = check_reference({*args.reference_w, args.reference_v}); !s) return report(s);
  }
  auto link = open_provision_link(args.port, args.timeout_s);
  if (!link) return report(link.status());
  auto ref = ask_reference(args);
  if (!ref) return report(ref.status());
  return report(calibrate(**link, *ref, args));
}

}  // namespace cw::app
