// The household's local calendar: where local days, months and years begin, in UTC. All
// "per day / per month" answers go through it, so DST days (23 or 25 hours) come out right.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "core/time.h"

namespace date {
class time_zone;
}

namespace cw {

enum class Period { kHour, kDay, kWeek, kMonth, kYear };

Result<Period> parse_period(std::string_view name);

class Calendar {
 public:
  // name is an IANA zone such as "Europe/Paris".
  static Result<Calendar> in_zone(const std::string& name);
  static Calendar utc();

  const std::string& zone_name() const { return name_; }

  // Start (UTC) of the local period that contains t. Weeks start on Monday (ISO 8601).
  TimeMs floor(TimeMs t, Period p) const;
  // Start of the period after the one that contains t.
  TimeMs next(TimeMs t, Period p) const;
  // Offset of local time from UTC at t, in ms (e.g. +3600000 for Paris in winter).
  TimeMs utc_offset(TimeMs t) const;
  // "2024-03-31T03:00:00+02:00"
  std::string format_local(TimeMs t) const;

 private:
  Calendar(std::string name, const date::time_zone* zone) : name_(std::move(name)), zone_(zone) {}
  std::string name_;
  const date::time_zone* zone_;  // owned by the process-wide tz database; null means UTC
};

}  // namespace cw
