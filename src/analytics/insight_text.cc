#include "analytics/insight_text.h"

#include <cmath>
#include <cstdio>

namespace cw::analytics {

std::string eur_text(Picos amount) {
  const std::int64_t cents = round_to_cents(amount);
  const std::uint64_t a = cents < 0 ? std::uint64_t(-cents) : std::uint64_t(cents);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu €", cents < 0 ? "-" : "",
                static_cast<unsigned long long>(a / 100), static_cast<unsigned long long>(a % 100));
  return buf;
}

std::string number_text(double value, int decimals) {
  if (!std::isfinite(value)) return "?";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  if (s == "-0" || s.rfind("-0.", 0) == 0) {  // no "-0.0" for a value that rounds to zero
    bool zero = s.find_first_not_of("-0.") == std::string::npos;
    if (zero) s.erase(0, 1);
  }
  return s;
}

double round_decimals(double v, int decimals) {
  if (decimals < 0) {  // to tens, hundreds...: whole multiples are exact
    const double k = std::pow(10.0, -decimals);
    return std::round(v / k) * k;
  }
  const double k = std::pow(10.0, decimals);
  return std::round(v * k) / k;
}

std::string local_minute_text(const Calendar& calendar, TimeMs t) {
  const std::string iso = calendar.format_local(t);  // 2024-03-31T03:00:00+02:00
  return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

}  // namespace cw::analytics
