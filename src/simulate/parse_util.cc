#include "simulate/parse_util.h"

#include <date/tz.h>

#include <charconv>
#include <chrono>

namespace cw::simulate::detail {

bool Lines::next(std::string_view* line) {
  if (pos_ >= text_.size()) return false;
  std::size_t end = text_.find('\n', pos_);
  if (end == std::string_view::npos) end = text_.size();
  std::string_view l = text_.substr(pos_, end - pos_);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  pos_ = end + 1;
  ++number_;
  *line = l;
  return true;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t p = s.find(sep, start);
    if (p == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
}

bool parse_double(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool parse_int(std::string_view s, long long* out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool local_to_utc(const date::time_zone* zone, int y, int mo, int d, int h, int mi, int s, int ms,
                  TimeMs* out) {
  using namespace std::chrono;
  date::year_month_day ymd{date::year(y), date::month(unsigned(mo)), date::day(unsigned(d))};
  if (!ymd.ok() || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60 || ms < 0 || ms > 999) {
    return false;
  }
  auto local = date::local_days(ymd) + hours(h) + minutes(mi) + seconds(s) + milliseconds(ms);
  if (zone == nullptr) {
    *out = local.time_since_epoch().count();
    return true;
  }
  *out = zone->to_sys(local, date::choose::earliest).time_since_epoch().count();
  return true;
}

Result<const date::time_zone*> find_zone(const std::string& name) {
  if (name == "UTC" || name.empty()) return static_cast<const date::time_zone*>(nullptr);
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return invalid_argument("unknown time zone '" + name + "'");
  }
}

Status RowChecker::bad(std::size_t line, const std::string& why) {
  ++report_->bad;
  std::string msg = unit_ + (" " + std::to_string(line)) + ": " + why;
  if (report_->errors.size() < ParseReport::kMaxKeptErrors) report_->errors.push_back(msg);
  if (report_->bad > options_.max_bad_lines) {
    return invalid_argument(msg + " (more than " + std::to_string(options_.max_bad_lines) +
                            " bad lines)");
  }
  return Status::ok();
}

bool RowChecker::increasing(TimeMs t) {
  return !has_last_ || t > last_;
}

}  // namespace cw::simulate::detail
