#include "core/calendar.h"

#include <chrono>

#include <date/tz.h>

namespace cw {

namespace {
using ms = std::chrono::milliseconds;
using date::local_days;
using date::sys_time;

sys_time<ms> to_sys(TimeMs t) { return sys_time<ms>(ms(t)); }
}  // namespace

Result<Period> parse_period(std::string_view name) {
  if (name == "hour") return Period::kHour;
  if (name == "day") return Period::kDay;
  if (name == "week") return Period::kWeek;
  if (name == "month") return Period::kMonth;
  if (name == "year") return Period::kYear;
  return invalid_argument("unknown period '" + std::string(name.substr(0, 32)) +
                          "' (expected hour, day, week, month or year)");
}

Result<Calendar> Calendar::in_zone(const std::string& name) {
  if (name == "UTC" || name == "Etc/UTC") return utc();
  try {
    return Calendar(name, date::locate_zone(name));
  } catch (const std::exception&) {
    return invalid_argument("unknown time zone '" + name + "'");
  }
}

Calendar Calendar::utc() { return Calendar("UTC", nullptr); }

TimeMs Calendar::utc_offset(TimeMs t) const {
  if (!zone_) return 0;
  auto info = zone_->get_info(date::floor<std::chrono::seconds>(to_sys(t)));
  return std::chrono::duration_cast<ms>(info.offset).count();
}

TimeMs Calendar::floor(TimeMs t, Period p) const {
  const TimeMs off = utc_offset(t);
  if (p == Period::kHour) {
    // Offsets of whole hours keep local hours aligned with UTC hours; this also keeps the
    // repeated hour of a DST autumn night as two distinct hours.
    return floor_to(t + off, kHourMs) - off;
  }
  auto local = date::local_time<ms>(ms(t + off));
  local_days day = date::floor<date::days>(local);
  date::year_month_day ymd(day);
  switch (p) {
    case Period::kDay: break;
    case Period::kWeek: {
      date::weekday wd(day);
      day -= (wd - date::Monday);
      break;
    }
    case Period::kMonth: day = local_days(ymd.year() / ymd.month() / 1); break;
    case Period::kYear: day = local_days(ymd.year() / 1 / 1); break;
    case Period::kHour: break;
  }
  if (!zone_) return std::chrono::duration_cast<ms>(day.time_since_epoch()).count();
  auto sys = zone_->to_sys(day, date::choose::earliest);
  return std::chrono::duration_cast<ms>(sys.time_since_epoch()).count();
}

TimeMs Calendar::next(TimeMs t, Period p) const {
  TimeMs start = floor(t, p);
  switch (p) {
    case Period::kHour: return start + kHourMs;
    case Period::kDay: return floor(start + 26 * kHourMs, p);
    case Period::kWeek: return floor(start + 7 * kDayMs + 2 * kHourMs, p);
    case Period::kMonth: return floor(start + 32 * kDayMs, p);
    case Period::kYear: return floor(start + 367 * kDayMs, p);
  }
  return start;
}

std::string Calendar::format_local(TimeMs t) const {
  const TimeMs off = utc_offset(t);
  auto local = date::local_time<ms>(ms(t + off));
  char sign = off < 0 ? '-' : '+';
  TimeMs a = off < 0 ? -off : off;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, int(a / kHourMs), int(a % kHourMs / kMinuteMs));
  return date::format("%FT%T", date::floor<std::chrono::seconds>(local)) + buf;
}

}  // namespace cw
