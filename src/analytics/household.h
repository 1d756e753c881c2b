// The household's tariff as its data folder says now: the settings (DATA/tariff.toml, or the
// regulated Base 6 kVA default), the tariff they resolve to, and the Tempo colours known.
#pragma once

#include <optional>
#include <string>

#include "analytics/tariff.h"
#include "analytics/tariff_settings.h"
#include "analytics/tempo_calendar.h"
#include "core/calendar.h"

namespace cw::analytics {

struct Household {
  TariffSettings settings;
  Tariff tariff;
  TempoCalendar tempo;
};

// corruption when tariff.toml exists but no longer resolves (never silently replaced).
Result<Household> load_household(const std::string& data_dir);

// The cheapest kWh price in force on the local day of t, over every period of the option (HC,
// Tempo blue HC...): a load that runs around the clock is valued at it, so a figure built on it
// is a floor, never an overstatement. nullopt when no price version covers that day.
std::optional<Micros> cheapest_price(const Tariff& tariff, const Calendar& calendar, TimeMs t);

// The peak and off-peak kWh prices in force on the local day of t: HP and HC, or Tempo's blue
// days (300 days of 365); nullopt for options without off-peak hours.
struct PeakPrices {
  Micros peak = 0;
  Micros offpeak = 0;
};
std::optional<PeakPrices> peak_prices(const Tariff& tariff, const Calendar& calendar, TimeMs t);

// "hc", "tempo_blue_hc"...: the off-peak periods.
bool is_offpeak_period(const std::string& period);

}  // namespace cw::analytics
