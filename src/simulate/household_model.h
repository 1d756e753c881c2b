// A synthetic French all-electric household: always-on floor with slow drift, a fridge
// compressor, lighting by season, cooking at meals, an off-peak water heater, thermostat-driven
// convectors in winter, a washing machine some days, and noise.
//
// Deterministic for a seed: the same (seed, start, step) always yields the same samples. Day
// plans are a pure function of (seed, day); the fridge cycle, thermostat and noise are a cheap
// incremental state. Cost is a few ns per sample (a year at 1 Hz in seconds).
#pragma once

#include <cstdint>

#include "core/calendar.h"
#include "simulate/day_plan.h"
#include "simulate/power_source.h"
#include "simulate/rng.h"

namespace cw::simulate {

struct HouseholdOptions {
  std::uint64_t seed = 1;
  TimeMs start = 0;       // time of the first sample, UTC ms
  TimeMs step_ms = 1000;  // sample spacing
  HouseholdTraits traits;
};

class HouseholdModel final : public PowerSource {
 public:
  // cal gives the household's local days (DST, sunrise, off-peak hours). Europe/Paris usually.
  HouseholdModel(const HouseholdOptions& options, Calendar cal);
  // Uses Europe/Paris (UTC if the time zone database is missing).
  explicit HouseholdModel(const HouseholdOptions& options);

  bool next(PowerSample* out) override;
  TimeMs nominal_step_ms() const override { return options_.step_ms; }

  // The power of the next sample, W, and advances. The fast path for benchmarks.
  double next_power();
  TimeMs time() const { return t_; }

 private:
  void refresh_minute(std::int64_t minute, double h);
  double appliances_w(double h, TimeMs since) const;
  double fridge_w();
  double heating_w(TimeMs since) const;
  double washing_w(double h, TimeMs since) const;

  HouseholdOptions options_;
  Calendar cal_;
  DayPlan day_;
  TimeMs t_;
  Rng rng_;
  // Fridge compressor: on/off until the given time.
  bool fridge_on_ = false;
  TimeMs fridge_toggle_ = 0;
  double fridge_w_ = 100;
  // Refreshed once a minute: the drifting floor and the thermostat duty.
  std::int64_t minute_ = -1;
  double base_now_w_ = 0;
  double heat_duty_ = 0;
};

}  // namespace cw::simulate
