// Internal to the forecast: the usual consumption of a local hour, learnt from past hours.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "analytics/forecast.h"

namespace cw::analytics::detail {

// An hour placed in local time: its day (days since 1970-01-01 local), hour of the day and hour
// of the week (Monday 00:00 = 0). Local, so a profile follows the household across DST changes.
struct LocalHour {
  TimeMs start = 0;
  double wh = 0;
  std::int64_t day = 0;
  int hod = 0;
  int how = 0;
};

class Profile {
 public:
  // Keeps the usable hours (coverage >= min_coverage) before origin that any question about the
  // origin or the residual days before it can need.
  Profile(const std::vector<EnergyBucket>& history, const Calendar& calendar,
          const ForecastOptions& options, TimeMs origin);

  LocalHour local_hour(TimeMs start) const;
  // Usual energy (Wh) of hour t from the hours before cutoff; nullopt when there are none.
  std::optional<double> usual(const LocalHour& t, TimeMs cutoff) const;
  // The recent level factor at `at`: measured / usual over the hours just before it.
  double level(TimeMs at) const;
  // Usable hours that start in [from, to).
  std::vector<const LocalHour*> valid_between(TimeMs from, TimeMs to) const;
  // Usable hours within the profile window before the origin.
  std::size_t valid_count() const { return window_count_; }

 private:
  std::optional<double> average_before(TimeMs cutoff) const;

  const Calendar& calendar_;
  const ForecastOptions& o_;
  std::vector<LocalHour> hours_;  // time order
  std::array<std::vector<std::size_t>, 168> by_how_;
  std::array<std::vector<std::size_t>, 24> by_hod_;
  std::vector<double> week_w_, day_w_;  // weight by age (index 1 = one week / day old)
  std::size_t window_count_ = 0;
};

}  // namespace cw::analytics::detail
