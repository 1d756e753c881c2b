// SebGeek teleinfo logger: `Date;Price € TTC;Apparent power V.A;Price period (HC=0, HP=1)`,
// local time `YYYY-MM-DD HH:MM:SS.ffffff` (see its SOURCE.md). Columns are found by header name,
// so a log that also carries the meter's index columns (BASE, HCHC, HCHP) uses them.
#include <cmath>

#include "simulate/parse_util.h"
#include "simulate/recording.h"

namespace cw::simulate {
namespace {

using detail::parse_int;

constexpr std::size_t kNone = ~std::size_t{0};

struct Columns {
  std::size_t date = kNone, papp = kNone;
  std::vector<std::size_t> index;  // BASE / HCHC / HCHP, Wh
  std::size_t count = 0;
};

Columns find_columns(std::string_view header) {
  Columns c;
  auto names = detail::split(header, ';');
  c.count = names.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string_view n = names[i];
    if (n == "Date") c.date = i;
    if (n.starts_with("Apparent power")) c.papp = i;
    if (n == "BASE" || n == "HCHC" || n == "HCHP") c.index.push_back(i);
  }
  return c;
}

// "2017-11-01 00:00:26.697038"
bool parse_time(const date::time_zone* zone, std::string_view s, TimeMs* out) {
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':') {
    return false;
  }
  long long y, mo, d, h, mi, sec, frac = 0;
  if (!parse_int(s.substr(0, 4), &y) || !parse_int(s.substr(5, 2), &mo) ||
      !parse_int(s.substr(8, 2), &d) || !parse_int(s.substr(11, 2), &h) ||
      !parse_int(s.substr(14, 2), &mi) || !parse_int(s.substr(17, 2), &sec)) {
    return false;
  }
  if (s.size() > 19) {
    std::string_view f = s.substr(20);
    if (s[19] != '.' || f.empty() || f.size() > 9 || !parse_int(f, &frac)) return false;
    for (std::size_t i = f.size(); i < 3; ++i) frac *= 10;
    for (std::size_t i = 3; i < f.size(); ++i) frac /= 10;
  }
  return detail::local_to_utc(zone, int(y), int(mo), int(d), int(h), int(mi), int(sec), int(frac),
                              out);
}

}  // namespace

Result<Recording> parse_sebgeek(std::string_view text, const ParseOptions& options) {
  auto zone = detail::find_zone(options.zone);
  if (!zone) return zone.status();
  Recording rec;
  rec.format = "sebgeek";
  rec.nominal_step_ms = 30 * kSecondMs;
  detail::Lines lines(text);
  std::string_view line;
  Columns col;
  if (lines.next(&line)) col = find_columns(line);
  if (col.date == kNone || col.papp == kNone) {
    return invalid_argument("line 1: not a teleinfo log header (needs Date and Apparent power)");
  }
  detail::RowChecker check(&rec.report, options);
  while (lines.next(&line)) {
    if (line.empty()) continue;
    ++rec.report.lines;
    auto f = detail::split(line, ';');
    TimeMs t;
    long long va = 0;
    Status st;
    if (f.size() != col.count) {
      st = check.bad(lines.number(), "expected " + std::to_string(col.count) + " fields");
    } else if (!parse_time(*zone, f[col.date], &t)) {
      st = check.bad(lines.number(), "bad date '" + std::string(f[col.date]) + "'");
    } else if (!check.increasing(t)) {
      st = check.bad(lines.number(), "time does not increase");
    } else if (!parse_int(f[col.papp], &va) || va < 0 || va > 100000) {
      st = check.bad(lines.number(), "bad apparent power '" + std::string(f[col.papp]) + "'");
    } else {
      PowerSample s;
      s.t = t;
      s.power_w = double(va);
      s.apparent = true;
      bool index_ok = true;
      long long sum = 0;
      for (std::size_t i : col.index) {
        long long wh;
        index_ok = index_ok && parse_int(f[i], &wh) && wh >= 0;
        sum += index_ok ? wh : 0;
      }
      if (!index_ok) {
        st = check.bad(lines.number(), "bad meter index");
      } else {
        if (!col.index.empty()) s.meter_wh = sum;
        check.accept(t);
        rec.samples.push_back(s);
      }
    }
    if (!st) return st;
  }
  return rec;
}

}  // namespace cw::simulate
