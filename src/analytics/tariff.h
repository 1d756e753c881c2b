// A household's tariff: the option (Base, Heures Pleines/Heures Creuses, Tempo or any
// time-of-use grid), the subscribed power, its off-peak windows and its price history.
// Local times are minutes of the local day (0..1439); local dates are days since 1970-01-01.
#pragma once

#include <climits>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analytics/money.h"
#include "core/status.h"

namespace cw::analytics {

enum class TariffOption { kBase, kHpHc, kTempo, kGrid };

const char* option_name(TariffOption o);  // "base", "hphc", "tempo", "grid"
Result<TariffOption> parse_option(std::string_view name);

using LocalDay = std::int32_t;  // days since 1970-01-01 in the household's calendar
inline constexpr LocalDay kOpenEnd = INT32_MAX;

Result<LocalDay> parse_local_day(std::string_view iso);  // "2024-02-01"
std::string format_local_day(LocalDay d);

// [start, end) in local minutes of the day; end < start wraps past midnight (22:00–06:00).
struct OffPeakWindow {
  int start_min = 0;
  int end_min = 0;
  int minutes() const {
    return end_min > start_min ? end_min - start_min : 1440 - start_min + end_min;
  }
  bool contains(int minute) const {
    return start_min < end_min ? (minute >= start_min && minute < end_min)
                               : (minute >= start_min || minute < end_min);
  }
};

Result<int> parse_hhmm(std::string_view text);  // "22:00" → 1320; "24:00" → 1440
std::string format_hhmm(int minute);

// A time-of-use rule: on the weekdays of `days` (bit 0 = Monday … bit 6 = Sunday), the local
// minutes [start_min, end_min) are priced as `period`. Time no rule covers is grid_default.
struct GridRule {
  std::uint8_t days = 0x7f;
  int start_min = 0;
  int end_min = 1440;
  std::string period;
};

// The prices in force over local days [from, to). Subscription per month (or per year when
// yearly, as the CRE open data states it); kWh prices per period name ("base", "hp", "hc",
// "tempo_blue_hp" … "tempo_red_hc", or the grid's own names).
struct PriceVersion {
  LocalDay from = 0;
  LocalDay to = kOpenEnd;
  std::string source;
  bool yearly_subscription = false;
  Micros subscription = 0;
  std::map<std::string, Micros> kwh;
};

struct Tariff {
  TariffOption option = TariffOption::kBase;
  int kva = 6;
  std::vector<OffPeakWindow> offpeak;  // kHpHc: 1..3 windows
  std::vector<GridRule> grid;          // kGrid
  std::string grid_default = "hp";     // kGrid
  std::vector<PriceVersion> prices;    // sorted by from, not overlapping
  int billing_day = 1;                 // 1..28: the day of month a billing period starts
  bool custom_prices = false;          // prices from the household, not the catalogue
};

// The period names an option prices (grid: its default and every rule's period).
std::vector<std::string> period_names(const Tariff& t);

// Overlapping windows, negative prices, missing period prices, overlapping versions... → a
// clear invalid_argument naming the first problem.
Status validate(const Tariff& t);

// The version in force on a local day, or null.
const PriceVersion* version_on(const Tariff& t, LocalDay day);

}  // namespace cw::analytics
