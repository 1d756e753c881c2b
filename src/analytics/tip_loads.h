// Load patterns the tips look for, found in the minute and hour rollups. Pure functions.
#pragma once

#include <vector>

#include "core/calendar.h"
#include "core/sample.h"

namespace cw::analytics {

// A large appliance switching on and staying on: a rise of at least min_step_w from one minute
// to the next, held at least min_step_w / 2 above the level before for min_minutes or more.
struct LoadRun {
  TimeMs start = 0;
  TimeMs end = 0;
  double step_w = 0;  // mean power of the run above the minute before it
  double kwh = 0;     // energy of the step over the run
};

struct LoadRunOptions {
  double min_step_w = 1500;  // a water heater draws 1.5-3 kW
  int min_minutes = 30;      // longer than a kettle, an oven preheating or a hob
  int max_minutes = 6 * 60;
  double min_minute_coverage = 0.5;
};

// Runs in minute rollups (time order); a missing minute ends a run and cannot start one.
std::vector<LoadRun> load_runs(const std::vector<Rollup>& minutes, const LoadRunOptions& o = {});

// The local hour at which runs start on the most days, and on how many days (one start per day
// counts). days == 0 when there is no run.
struct UsualStart {
  int hour = 0;
  int days = 0;
  double kwh = 0;      // mean energy of those runs
  double step_w = 0;   // mean step of those runs
  TimeMs example = 0;  // the start of one of them (to ask the tariff which period it is in)
};
UsualStart usual_start(const std::vector<LoadRun>& runs, const Calendar& calendar);

// Sustained load above the always-on: hours whose mean is at least min_excess_w above it, in runs
// of at least min_hours consecutive hours; the energy above the always-on, kWh per local day.
struct SustainedOptions {
  double min_excess_w = 1000;
  int min_hours = 3;
  double min_hour_coverage = 0.75;
};
struct SustainedHour {
  TimeMs start = 0;
  double excess_kwh = 0;
};
std::vector<SustainedHour> sustained_hours(const std::vector<Rollup>& hours, double baseload_w,
                                           const SustainedOptions& o = {});

}  // namespace cw::analytics
