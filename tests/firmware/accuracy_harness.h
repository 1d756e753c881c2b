// Runs the measurement core and the EmonLib baseline on the same synthetic mains and front
// end, and reports both against the truth: what tests/firmware/accuracy_test.cc asserts and
// docs/performance.md ("Sensor accuracy") shows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emonlib_baseline.h"
#include "firmware/core/power_meter.h"
#include "front_end.h"
#include "mains_signal.h"

namespace cw::firmware::testing {

struct CaseSpec {
  std::vector<LoadPart> load;
  double frequency_hz = 50;
  std::uint64_t seed = 1;
};

struct Outcome {
  double true_power = 0, true_irms = 0, true_vrms = 0;
  Reading ours;
  EmonResult emon;
};

// The firmware's sampling: 8,000 pairs/s, the voltage 55 us after the current, 25 cycles.
MeterSetup firmware_setup();
Calibration calibration_for(const FrontEnd& fe, bool voltage);

// One window of each, started at a random phase: ours with real power (after the window that
// settles its running means), EmonLib's calcVI over as many half-cycles (after two calls that
// settle its DC filters).
Outcome run_vi(const CaseSpec& c, const FrontEnd& fe);
// Current only: ours in apparent-only mode, EmonLib's calcIrms over the same number of samples.
Outcome run_current_only(const CaseSpec& c, const FrontEnd& fe);

double relative_error(double measured, double truth);

}  // namespace cw::firmware::testing
