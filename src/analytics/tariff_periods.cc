#include "analytics/tariff_periods.h"

#include <algorithm>
#include <set>

namespace cw::analytics {

namespace {

constexpr int kTempoDayStart = 6 * 60;  // a colour day runs 06:00 → 06:00
constexpr int kTempoHcStart = 22 * 60;  // HC 22:00 → 06:00

std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  return ((a % b) + b) % b;
}

// Local minutes of the day at which the price may change.
std::vector<int> breakpoints(const Tariff& t) {
  std::set<int> b{0};  // versions and weekdays change at local midnight
  for (const auto& w : t.offpeak) b.insert({w.start_min % 1440, w.end_min % 1440});
  if (t.option == TariffOption::kTempo) b.insert({kTempoDayStart, kTempoHcStart});
  for (const auto& r : t.grid) b.insert({r.start_min % 1440, r.end_min % 1440});
  return {b.begin(), b.end()};
}

std::string period_at(const Tariff& t, const TempoCalendar& tempo, const LocalClock& c,
                      bool& assumed) {
  switch (t.option) {
    case TariffOption::kHpHc:
      for (const auto& w : t.offpeak)
        if (w.contains(c.minute)) return "hc";
      return "hp";
    case TariffOption::kTempo: {
      const LocalDay colour_day = c.minute < kTempoDayStart ? c.day - 1 : c.day;
      TempoColour colour = tempo.colour(colour_day);
      if (colour == TempoColour::kUnknown) assumed = true, colour = TempoColour::kBlue;
      const bool hc = c.minute >= kTempoHcStart || c.minute < kTempoDayStart;
      return std::string("tempo_") + colour_name(colour) + (hc ? "_hc" : "_hp");
    }
    case TariffOption::kGrid:
      for (const auto& r : t.grid)
        if ((r.days & (1 << c.weekday)) && c.minute >= r.start_min && c.minute < r.end_min)
          return r.period;
      return t.grid_default;
    default:
      return "base";
  }
}

Result<PriceSegment> classify(const Calendar& cal, const Tariff& t, const TempoCalendar& tempo,
                              TimeMs at) {
  const LocalClock c = local_clock(cal, at);
  const PriceVersion* v = version_on(t, c.day);
  if (!v) {
    return invalid_argument(std::string("no ") + option_name(t.option) + " price at " +
                            std::to_string(t.kva) + " kVA on " + format_local_day(c.day));
  }
  PriceSegment s;
  s.period = period_at(t, tempo, c, s.colour_assumed);
  auto p = v->kwh.find(s.period);
  if (p == v->kwh.end()) {
    return invalid_argument("no price for period '" + s.period + "' on " + format_local_day(c.day));
  }
  s.price = p->second;
  s.version = int(v - t.prices.data());
  return s;
}

// Split instants inside [a, b), a chunk within one UTC hour.
std::vector<TimeMs> splits_in(const Calendar& cal, const std::vector<int>& bps, TimeMs a,
                              TimeMs b) {
  std::vector<TimeMs> out;
  if (cal.utc_offset(a) != cal.utc_offset(b - 1)) {  // the offset changes inside: every minute
    for (TimeMs t = a + kMinuteMs; t < b; t += kMinuteMs) out.push_back(t);
    return out;
  }
  const int m0 = local_clock(cal, a).minute;
  for (int bp : bps) {
    const TimeMs t = a + floor_mod(bp - m0, 1440) * kMinuteMs;
    if (t > a && t < b) out.push_back(t);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool same_price(const PriceSegment& x, const PriceSegment& y) {
  return x.period == y.period && x.price == y.price && x.version == y.version &&
         x.colour_assumed == y.colour_assumed;
}

}  // namespace

LocalClock local_clock(const Calendar& calendar, TimeMs t) {
  const TimeMs local = t + calendar.utc_offset(t);
  const TimeMs day_start = floor_to(local, kDayMs);
  LocalClock c;
  c.day = LocalDay(day_start / kDayMs);
  c.minute = int((local - day_start) / kMinuteMs);
  c.weekday = int(floor_mod(std::int64_t(c.day) + 3, 7));  // 1970-01-01 was a Thursday
  return c;
}

TimeMs local_midnight(const Calendar& calendar, LocalDay day) {
  const TimeMs noon = TimeMs(day) * kDayMs + 12 * kHourMs;
  return calendar.floor(noon - calendar.utc_offset(noon), Period::kDay);
}

Result<std::vector<PriceSegment>> split_periods(const Calendar& calendar, const Tariff& tariff,
                                                const TempoCalendar& tempo, TimeMs from,
                                                TimeMs to) {
  if (from >= to) return invalid_argument("from must be before to");
  if (floor_to(from, kMinuteMs) != from || floor_to(to, kMinuteMs) != to) {
    return invalid_argument("from and to must be whole minutes");
  }
  if (to - from > 3700 * kDayMs) return invalid_argument("range too long (at most 3700 days)");
  const std::vector<int> bps = breakpoints(tariff);
  std::vector<PriceSegment> out;
  for (TimeMs a = from; a < to;) {
    const TimeMs b = std::min(floor_to(a, kHourMs) + kHourMs, to);
    std::vector<TimeMs> edges{a};
    for (TimeMs t : splits_in(calendar, bps, a, b)) edges.push_back(t);
    edges.push_back(b);
    const std::size_t chunk_begin = out.size();
    for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
      auto s = classify(calendar, tariff, tempo, edges[i]);
      if (!s) return s.status();
      s->start = edges[i];
      s->end = edges[i + 1];
      if (out.size() > chunk_begin && same_price(out.back(), *s)) {
        out.back().end = s->end;
      } else {
        out.push_back(std::move(*s));
      }
    }
    if (out.size() == chunk_begin + 1) {
      out.back().whole_utc_hour = (b - a == kHourMs) && floor_to(a, kHourMs) == a;
    }
    a = b;
  }
  return out;
}

std::vector<PriceSegment> merge_segments(const std::vector<PriceSegment>& segments) {
  std::vector<PriceSegment> out;
  for (const auto& s : segments) {
    if (!out.empty() && out.back().end == s.start && same_price(out.back(), s)) {
      out.back().end = s.end;
      out.back().whole_utc_hour = false;
    } else {
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace cw::analytics
