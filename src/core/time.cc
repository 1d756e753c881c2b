#include "core/time.h"

#include <atomic>
#include <charconv>
#include <chrono>

#include <date/date.h>

namespace cw {

TimeMs SystemClock::now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

TimeMs ManualClock::now() const {
  return std::atomic_ref<const std::int64_t>(now_).load();
}
void ManualClock::set(TimeMs t) { std::atomic_ref<std::int64_t>(now_).store(t); }
void ManualClock::advance(TimeMs dt) { std::atomic_ref<std::int64_t>(now_).fetch_add(dt); }

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Reads exactly n digits at s[pos], advancing pos.
bool read_int(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  auto sub = s.substr(pos, n);
  if (!all_digits(sub)) return false;
  std::from_chars(sub.data(), sub.data() + n, out);
  pos += n;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

Status bad_instant(std::string_view text) {
  return invalid_argument("not an ISO 8601 instant or epoch time: '" +
                          std::string(text.substr(0, 64)) + "'");
}

}  // namespace

Result<TimeMs> parse_instant(std::string_view text) {
  if (all_digits(text) || (text.size() > 1 && text[0] == '-' && all_digits(text.substr(1)))) {
    if (text.size() > 16) return bad_instant(text);
    std::int64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return text.size() >= 13 ? v : v * 1000;
  }
  size_t pos = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!read_int(text, pos, 4, y) || !expect(text, pos, '-') || !read_int(text, pos, 2, mo) ||
      !expect(text, pos, '-') || !read_int(text, pos, 2, d))
    return bad_instant(text);
  auto ymd = date::year{y} / date::month{static_cast<unsigned>(mo)} / date::day{static_cast<unsigned>(d)};
  if (!ymd.ok()) return bad_instant(text);
  std::int64_t offset_min = 0;
  if (pos < text.size()) {
    if (!(expect(text, pos, 'T') || expect(text, pos, ' '))) return bad_instant(text);
    if (!read_int(text, pos, 2, h) || !expect(text, pos, ':') || !read_int(text, pos, 2, mi))
      return bad_instant(text);
    if (expect(text, pos, ':')) {
      if (!read_int(text, pos, 2, sec)) return bad_instant(text);
      if (expect(text, pos, '.')) {
        size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == start) return bad_instant(text);
        std::string frac(text.substr(start, std::min<size_t>(pos - start, 3)));
        while (frac.size() < 3) frac += '0';
        ms = std::stoi(frac);
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return bad_instant(text);
    if (expect(text, pos, 'Z')) {
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      int sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int oh, om = 0;
      if (!read_int(text, pos, 2, oh)) return bad_instant(text);
      expect(text, pos, ':');
      if (pos < text.size() && !read_int(text, pos, 2, om)) return bad_instant(text);
      if (oh > 23 || om > 59) return bad_instant(text);
      offset_min = sign * (oh * 60 + om);
    } else {
      return bad_instant(text);  // a local time without a zone is ambiguous: refuse it
    }
    if (pos != text.size()) return bad_instant(text);
  }
  auto days = date::sys_days(ymd).time_since_epoch().count();
  return days * kDayMs + h * kHourMs + mi * kMinuteMs + sec * kSecondMs + ms -
         offset_min * kMinuteMs;
}

std::string format_iso_utc(TimeMs t) {
  using namespace std::chrono;
  auto tp = sys_time<milliseconds>(milliseconds(t));
  return date::format("%FT%TZ", tp);
}

}  // namespace cw
