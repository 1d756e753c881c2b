#include "analytics/money.h"

namespace cw::analytics {

Result<Micros> parse_micros(std::string_view text) {
  const std::string what = "price '" + std::string(text) + "'";
  bool negative = false;
  std::string_view t = text;
  if (!t.empty() && t.front() == '-') negative = true, t.remove_prefix(1);
  const std::size_t dot = t.find('.');
  const std::string_view whole = t.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : t.substr(dot + 1);
  if (whole.empty() || whole.size() > 9 || frac.size() > 6 ||
      (dot != std::string_view::npos && frac.empty())) {
    return invalid_argument(what + " is not a decimal number with at most 6 decimals");
  }
  Micros v = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return invalid_argument(what + " is not a decimal number");
    v = v * 10 + (c - '0');
  }
  Micros f = 0;
  for (std::size_t i = 0; i < 6; ++i) {
    const char c = i < frac.size() ? frac[i] : '0';
    if (c < '0' || c > '9') return invalid_argument(what + " is not a decimal number");
    f = f * 10 + (c - '0');
  }
  const Micros m = v * kMicrosPerEuro + f;
  return negative ? -m : m;
}

std::string format_micros(Micros m) {
  std::string sign = m < 0 ? "-" : "";
  const std::uint64_t a = m < 0 ? std::uint64_t(-(m + 1)) + 1 : std::uint64_t(m);
  std::string frac = std::to_string(a % kMicrosPerEuro);
  frac.insert(0, 6 - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return sign + std::to_string(a / kMicrosPerEuro) + (frac.empty() ? "" : "." + frac);
}

namespace {
std::int64_t round_div(Picos p, Picos unit) {
  const Picos half = unit / 2;
  return std::int64_t(p >= 0 ? (p + half) / unit : -((-p + half) / unit));
}
}  // namespace

Micros round_to_micros(Picos p) {
  return round_div(p, 1000000);
}

std::int64_t round_to_cents(Picos p) {
  return round_div(p, Picos(10000) * 1000000);
}

}  // namespace cw::analytics
