#include "simulate/household_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace cw::simulate {
namespace {

constexpr TimeMs kHeatCycleMs = 15 * kMinuteMs;  // convector thermostats cycle every 15 min

Calendar paris() {
  auto cal = Calendar::in_zone("Europe/Paris");
  return cal ? *cal : Calendar::utc();
}

}  // namespace

HouseholdModel::HouseholdModel(const HouseholdOptions& options, Calendar cal)
    : options_(options),
      cal_(std::move(cal)),
      day_(make_day_plan(options.seed, options.traits, cal_, options.start)),
      t_(options.start),
      rng_(mix64(options.seed ^ 0x5EEDull)) {
  fridge_on_ = rng_.uniform() < 0.33;
  fridge_toggle_ = t_ + TimeMs(rng_.uniform(0, 30) * kMinuteMs);
}

HouseholdModel::HouseholdModel(const HouseholdOptions& options)
    : HouseholdModel(options, paris()) {}

bool HouseholdModel::next(PowerSample* out) {
  out->t = t_;
  out->power_w = next_power();
  out->voltage_dv = static_cast<std::uint16_t>(2300 + (rng_.next() % 81) - 40);  // 226-234 V
  out->supply_mv = 3300;
  return true;
}

double HouseholdModel::next_power() {
  if (t_ >= day_.end) day_ = make_day_plan(options_.seed, options_.traits, cal_, t_);
  TimeMs since = t_ - day_.start;  // ms into the local day
  double h = double(since) * (1.0 / double(kHourMs));
  std::int64_t minute = t_ / kMinuteMs;
  if (minute != minute_) refresh_minute(minute, h);
  double p =
      base_now_w_ + appliances_w(h, since) + fridge_w() + heating_w(since) + washing_w(h, since);
  double noise = (rng_.uniform() - 0.5) * 0.04;  // ±2 %
  t_ += options_.step_ms;
  return p * (1 + noise);
}

// Slow quantities, refreshed once a simulated minute: the drifting floor and the thermostat.
void HouseholdModel::refresh_minute(std::int64_t minute, double h) {
  minute_ = minute;
  const DayPlan& d = day_;
  // Always-on floor (boxes, standby, ventilation) drifting slowly over the day.
  base_now_w_ = d.base_w * (1 + 0.1 * std::sin(2 * std::numbers::pi * h / 24 + double(d.day)));
  heat_duty_ = 0;
  if (d.heating_season) {
    const HouseholdTraits& tr = options_.traits;
    double delta = set_point(d, h) - tr.internal_gains_k - outdoor_temperature(d, h);
    heat_duty_ = std::clamp(delta * tr.heat_loss_w_per_k / tr.heater_capacity_w, 0.0, 1.0);
  }
}

double HouseholdModel::appliances_w(double h, TimeMs since) const {
  const DayPlan& d = day_;
  double p = 0;
  bool awake = h >= d.wake_h && h < d.bed_h;
  bool out = d.away && h >= 8.5 && h < 17.5;
  bool dark = h < d.sunrise_h + 0.5 || h >= d.sunset_h - 0.5;
  if (awake && !out && dark) p += d.light_w;
  if (awake && !out && h >= 19.0) p += d.media_w;
  // Hobs cycle under their own thermostat: on 40 s in every minute; the oven 3 min in 5.
  bool hob_on = since % kMinuteMs < 40 * kSecondMs;
  if (d.breakfast.contains(h)) p += d.breakfast.power_w;
  if (d.lunch.contains(h) && hob_on) p += d.lunch.power_w;
  if (d.dinner.contains(h) && hob_on) p += d.dinner.power_w;
  if (d.oven.contains(h))
    p += d.oven.power_w * (since % (5 * kMinuteMs) < 3 * kMinuteMs ? 1 : 0.05);
  if (d.water_heater.contains(h)) p += d.water_heater.power_w;
  if (d.water_heater_carry.contains(h)) p += d.water_heater_carry.power_w;
  return p;
}

double HouseholdModel::fridge_w() {
  if (t_ >= fridge_toggle_) {
    fridge_on_ = !fridge_on_;
    double summer = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * (day_.day_of_year - 20) / 365.25);
    double minutes = fridge_on_ ? rng_.uniform(11, 19) : rng_.uniform(24, 38) * (1 - 0.2 * summer);
    fridge_toggle_ = t_ + TimeMs(minutes * kMinuteMs);
    fridge_w_ = rng_.uniform(85, 115);
  }
  return fridge_on_ ? fridge_w_ : 0;
}

double HouseholdModel::heating_w(TimeMs since) const {
  if (heat_duty_ <= 0) return 0;
  TimeMs phase = (since + TimeMs(day_.heat_phase * kHeatCycleMs)) % kHeatCycleMs;
  return double(phase) < heat_duty_ * kHeatCycleMs ? options_.traits.heater_capacity_w : 0;
}

double HouseholdModel::washing_w(double h, TimeMs since) const {
  if (!day_.washing) return 0;
  double m = (h - day_.washing_start_h) * 60;  // minutes into the programme
  if (m < 0 || m >= 95) return 0;
  if (m < 15) return 2100;                                                  // heating the water
  if (m < 80) return since % (30 * kSecondMs) < 18 * kSecondMs ? 250 : 60;  // tumbling
  return 480;                                                               // spin
}

}  // namespace cw::simulate
