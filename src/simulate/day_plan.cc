#include "simulate/day_plan.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "simulate/rng.h"

namespace cw::simulate {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;
constexpr double kOffPeakStartH = 22.5;  // French HC window 22:30-06:30
constexpr double kOffPeakHours = 8;

// Days since 1970-01-01 → day of year (0-based) and weekday (0 = Monday), after H. Hinnant's
// civil calendar algorithm. The weekday is exact; the day of year may be one day off after
// February in leap years, which no seasonal curve here can notice.
void civil(std::int64_t z, int* doy, int* weekday) {
  *weekday = int(((z % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t day_of_era = z - era * 146097;
  std::int64_t yoe =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  std::int64_t doy_mar = day_of_era - (365 * yoe + yoe / 4 - yoe / 100);  // from March 1st
  // Shift to a January-based day of year.
  *doy = int((doy_mar + 59) % 365);
}

// Tonight's water heater run: starts with off-peak hours, lasts until the tank is warm.
Run water_heater_run(std::uint64_t seed, std::int64_t day, int doy) {
  Rng r = stream(seed, 7, day);
  double winter = 0.5 + 0.5 * std::cos(kTwoPi * (doy - 15) / 365.25);  // 1 in January
  double need_kwh = 3.5 + 3.0 * winter + r.uniform(0, 2.5);  // yesterday's hot water, reheated
  double power_w = r.uniform(2000, 3000);
  double hours = std::min(need_kwh * 1000 / power_w, kOffPeakHours);
  return {kOffPeakStartH, kOffPeakStartH + hours, power_w};
}

int day_of_year_of(std::int64_t day) {
  int doy, wd;
  civil(day, &doy, &wd);
  return doy;
}

void plan_meals(Rng& r, DayPlan& d) {
  d.breakfast = {d.wake_h + 0.2, d.wake_h + 0.2 + r.uniform(0.04, 0.08), r.uniform(1800, 2200)};
  if (d.weekend || r.uniform() < 0.3) {
    double s = r.uniform(12.0, 12.75);
    d.lunch = {s, s + r.uniform(0.3, 0.7), r.uniform(1500, 2500)};
  }
  double s = r.uniform(18.75, 20.0);
  d.dinner = {s, s + r.uniform(0.4, 1.0), r.uniform(1200, 3000)};
  if (r.uniform() < 0.3) d.oven = {s - 0.25, s + r.uniform(0.5, 1.0), r.uniform(2000, 2600)};
}

}  // namespace

DayPlan make_day_plan(std::uint64_t seed, const HouseholdTraits& traits, const Calendar& cal,
                      TimeMs t) {
  DayPlan d;
  d.start = cal.floor(t, Period::kDay);
  d.end = cal.next(t, Period::kDay);
  TimeMs offset = cal.utc_offset(d.start + kHourMs * 12);
  d.day = floor_to(d.start + offset, kDayMs) / kDayMs;
  int weekday;
  civil(d.day, &d.day_of_year, &weekday);
  d.weekend = weekday >= 5;
  Rng r = stream(seed, 1, d.day);

  double season = std::cos(kTwoPi * (d.day_of_year - 20) / 365.25);  // 1 mid-January
  d.base_w = r.uniform(80, 150);
  d.t_out_mean = 11.5 - 7.5 * season + r.uniform(-3.5, 3.5);
  // Paris, 48.9° N: 8.2 h of daylight in December, 16.2 h in June; solar noon 11:51 UTC.
  double daylight = 12.2 + 4.0 * std::sin(kTwoPi * (d.day_of_year - 80) / 365.25);
  double noon = 11.85 + double(cal.utc_offset(d.start + kHourMs * 12)) / kHourMs;
  d.sunrise_h = noon - daylight / 2;
  d.sunset_h = noon + daylight / 2;
  d.wake_h = d.weekend ? r.uniform(7.5, 9.5) : r.uniform(6.25, 7.25);
  d.bed_h = r.uniform(22.25, 23.75);
  d.away = !d.weekend && r.uniform() < 0.85;
  d.light_w = r.uniform(120, 320);
  d.media_w = r.uniform(60, 200);
  plan_meals(r, d);
  d.washing = r.uniform() < 3.0 / 7.0;
  d.washing_start_h = d.away ? r.uniform(18.0, 20.5) : r.uniform(9.0, 19.0);
  d.heating_season = traits.electric_heating && d.t_out_mean < 14.5;
  d.heat_phase = r.uniform();
  if (traits.water_heater) {
    d.water_heater = water_heater_run(seed, d.day, d.day_of_year);
    Run prev = water_heater_run(seed, d.day - 1, day_of_year_of(d.day - 1));
    d.water_heater_carry = {0, prev.end_h - 24, prev.power_w};  // empty when it ended by 24:00
  }
  return d;
}

double outdoor_temperature(const DayPlan& d, double h) {
  return d.t_out_mean + 4.0 * std::sin(kTwoPi * (h - 9.0) / 24.0);
}

double set_point(const DayPlan& d, double h) {
  bool asleep = h < d.wake_h - 0.5 || h >= d.bed_h;
  bool out = d.away && h >= 8.5 && h < 17.0;
  return asleep ? 17.0 : out ? 17.5 : 19.5;
}

}  // namespace cw::simulate
