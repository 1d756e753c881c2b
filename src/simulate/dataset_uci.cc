// UCI household power: Date;Time;Global_active_power;Global_reactive_power;Voltage;
// Global_intensity;Sub_metering_1;Sub_metering_2;Sub_metering_3 (see its SOURCE.md).
#include <cmath>

#include "simulate/parse_util.h"
#include "simulate/recording.h"

namespace cw::simulate {
namespace {

using detail::parse_double;
using detail::parse_int;

constexpr std::string_view kHeader =
    "Date;Time;Global_active_power;Global_reactive_power;Voltage;Global_intensity;"
    "Sub_metering_1;Sub_metering_2;Sub_metering_3";

// "16/12/2006" and "17:24:00" (day and month without leading zeros).
bool parse_time(const date::time_zone* zone, std::string_view d, std::string_view t, TimeMs* out) {
  auto dp = detail::split(d, '/');
  auto tp = detail::split(t, ':');
  long long v[6];
  if (dp.size() != 3 || tp.size() != 3) return false;
  for (int i = 0; i < 3; ++i)
    if (!parse_int(dp[i], &v[i]) || !parse_int(tp[i], &v[3 + i])) return false;
  return detail::local_to_utc(zone, int(v[2]), int(v[1]), int(v[0]), int(v[3]), int(v[4]),
                              int(v[5]), 0, out);
}

}  // namespace

Result<Recording> parse_uci(std::string_view text, const ParseOptions& options) {
  auto zone = detail::find_zone(options.zone);
  if (!zone) return zone.status();
  Recording rec;
  rec.format = "uci";
  rec.nominal_step_ms = kMinuteMs;
  detail::Lines lines(text);
  std::string_view line;
  if (!lines.next(&line) || line != kHeader) {
    return invalid_argument("line 1: not a UCI household power header");
  }
  detail::RowChecker check(&rec.report, options);
  while (lines.next(&line)) {
    if (line.empty()) continue;
    ++rec.report.lines;
    auto f = detail::split(line, ';');
    TimeMs t;
    Status st;
    double kw = 0, volts = 0;
    if (f.size() != 9) {
      st = check.bad(lines.number(), "expected 9 fields, got " + std::to_string(f.size()));
    } else if (!parse_time(*zone, f[0], f[1], &t)) {
      st = check.bad(lines.number(),
                     "bad date or time '" + std::string(f[0]) + " " + std::string(f[1]) + "'");
    } else if (!check.increasing(t)) {
      st = check.bad(lines.number(), "time does not increase");
    } else if (f[2] == "?") {
      ++rec.report.missing;  // the dataset's own gap: no reading
      check.accept(t);
    } else if (!parse_double(f[2], &kw) || !parse_double(f[4], &volts) || kw < 0 ||
               !std::isfinite(kw) || volts < 0 || volts > 6553) {
      st = check.bad(lines.number(), "bad power or voltage");
    } else {
      check.accept(t);
      PowerSample s;
      s.t = t;
      s.power_w = kw * 1000;
      s.voltage_dv = static_cast<std::uint16_t>(std::lround(volts * 10));
      rec.samples.push_back(s);
    }
    if (!st) return st;
  }
  return rec;
}

}  // namespace cw::simulate
