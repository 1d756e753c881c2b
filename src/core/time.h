// Time inside CitizenWatt is UTC milliseconds since the Unix epoch (TimeMs). Local time exists
// only at the edges, through Calendar (calendar.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace cw {

using TimeMs = std::int64_t;

inline constexpr TimeMs kSecondMs = 1000;
inline constexpr TimeMs kMinuteMs = 60 * kSecondMs;
inline constexpr TimeMs kHourMs = 60 * kMinuteMs;
inline constexpr TimeMs kDayMs = 24 * kHourMs;

// The one seam through which code reads the wall clock, so tests can drive time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs now() const override;
};

// A clock that tests move by hand. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeMs start) : now_(start) {}
  TimeMs now() const override;
  void set(TimeMs t);
  void advance(TimeMs dt);

 private:
  std::int64_t now_;  // accessed atomically
};

// Parses an ISO 8601 instant ("2024-03-31T01:30:00Z", "...+02:00", "2024-03-31" as UTC midnight)
// or epoch seconds ("1711848600") or epoch milliseconds (13+ digits).
Result<TimeMs> parse_instant(std::string_view text);

// "2024-03-31T01:30:00.000Z"
std::string format_iso_utc(TimeMs t);

// Floor division that rounds toward negative infinity (bucket starts before 1970 stay right).
constexpr TimeMs floor_to(TimeMs t, TimeMs width) {
  TimeMs q = t / width;
  if ((t % width != 0) && ((t < 0) != (width < 0))) --q;
  return q * width;
}

}  // namespace cw
