// What the synthetic household does on one local day: a pure function of (seed, day), so a
// day looks the same wherever a generation starts. Times are local hours since local midnight.
#pragma once

#include <cstdint>

#include "core/calendar.h"
#include "core/time.h"

namespace cw::simulate {

struct HouseholdTraits {
  double heat_loss_w_per_k = 110;   // building + ventilation losses (a 1980s 100 m² house)
  double heater_capacity_w = 5000;  // sum of the convectors
  double internal_gains_k = 3;      // people, appliances and sun keep it this much warmer
  bool electric_heating = true;
  bool water_heater = true;
};

// A timed appliance run: [start_h, end_h) at power_w.
struct Run {
  double start_h = -1;
  double end_h = -1;
  double power_w = 0;
  bool contains(double h) const { return h >= start_h && h < end_h; }
};

struct DayPlan {
  std::int64_t day = 0;  // local days since 1970-01-01
  TimeMs start = 0;      // UTC of local midnight
  TimeMs end = 0;        // UTC of the next local midnight (23, 24 or 25 h later)
  int day_of_year = 0;   // 0..365
  bool weekend = false;
  double base_w = 100;     // always-on floor of the day (fridge excluded)
  double t_out_mean = 10;  // outdoor temperature, °C, daily mean
  double sunrise_h = 7, sunset_h = 19;
  double wake_h = 7, bed_h = 23;
  bool away = false;  // at work 8:30-17:30
  double light_w = 200;
  double media_w = 120;
  Run breakfast, lunch, dinner, oven;
  Run water_heater, water_heater_carry;  // tonight's run, and last night's tail after midnight
  bool washing = false;
  double washing_start_h = 0;
  bool heating_season = false;
  double heat_phase = 0;  // thermostat cycle phase (0..1), per day
};

// Builds the plan of the local day that contains t.
DayPlan make_day_plan(std::uint64_t seed, const HouseholdTraits& traits, const Calendar& cal,
                      TimeMs t);

// Outdoor temperature at local hour h of the day (daily minimum near 5:00, maximum near 15:00).
double outdoor_temperature(const DayPlan& d, double h);

// Thermostat set point at local hour h.
double set_point(const DayPlan& d, double h);

}  // namespace cw::simulate
