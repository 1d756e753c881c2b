// Splits [from, to) into pieces that each have one price: the tariff period ("base", "hp",
// "hc", "tempo_red_hp", a grid's own names...) in force, read on the household's local clock.
// DST-safe: every instant is classified by its own local wall time, so a 23- or 25-hour day has
// the off-peak hours its clock shows.
#pragma once

#include <string>
#include <vector>

#include "analytics/tariff.h"
#include "analytics/tempo_calendar.h"
#include "core/calendar.h"

namespace cw::analytics {

struct LocalClock {
  LocalDay day = 0;
  int minute = 0;   // of the local day
  int weekday = 0;  // 0 = Monday … 6 = Sunday
};
LocalClock local_clock(const Calendar& calendar, TimeMs t);
// UTC instant of local midnight starting `day`.
TimeMs local_midnight(const Calendar& calendar, LocalDay day);

struct PriceSegment {
  TimeMs start = 0;
  TimeMs end = 0;
  std::string period;
  Micros price = 0;             // µ€/kWh
  int version = -1;             // index in Tariff::prices
  bool colour_assumed = false;  // Tempo colour unknown on that day: priced as blue
  bool whole_utc_hour = false;  // [start, end) is exactly one UTC hour
};

// One segment per change of price and at least one per UTC hour (so each maps onto hour or
// minute rollups). from and to must be whole minutes, at most 3700 days apart. invalid_argument
// when a moment has no price version ("no hphc price on 2022-05-01").
Result<std::vector<PriceSegment>> split_periods(const Calendar& calendar, const Tariff& tariff,
                                                const TempoCalendar& tempo, TimeMs from, TimeMs to);

// Adjacent segments with the same period, price and version joined (for display).
std::vector<PriceSegment> merge_segments(const std::vector<PriceSegment>& segments);

}  // namespace cw::analytics
