#include "analytics/household.h"

#include <algorithm>

#include "analytics/tariff_catalogue.h"
#include "analytics/tariff_periods.h"

namespace cw::analytics {

Result<Household> load_household(const std::string& data_dir) {
  auto settings = load_settings(data_dir);
  if (!settings) return settings.status();
  auto tariff = resolve(*settings, builtin_catalogue());
  if (!tariff) return corruption("tariff.toml no longer resolves: " + tariff.status().message());
  auto tempo = load_tempo(data_dir);
  if (!tempo) return tempo.status();
  return Household{std::move(*settings), std::move(*tariff), std::move(*tempo)};
}

std::optional<Micros> cheapest_price(const Tariff& tariff, const Calendar& calendar, TimeMs t) {
  const PriceVersion* v = version_on(tariff, local_clock(calendar, t).day);
  if (!v || v->kwh.empty()) return std::nullopt;
  Micros best = v->kwh.begin()->second;
  for (const auto& [period, price] : v->kwh) best = std::min(best, price);
  return best;
}

bool is_offpeak_period(const std::string& period) {
  return period == "hc" || (period.size() > 3 && period.ends_with("_hc"));
}

std::optional<PeakPrices> peak_prices(const Tariff& tariff, const Calendar& calendar, TimeMs t) {
  if (tariff.option != TariffOption::kHpHc && tariff.option != TariffOption::kTempo)
    return std::nullopt;
  const PriceVersion* v = version_on(tariff, local_clock(calendar, t).day);
  if (!v) return std::nullopt;
  // Tempo: the blue days' prices, the colour of most days (300 of 365).
  const std::string hp = tariff.option == TariffOption::kTempo ? "tempo_blue_hp" : "hp";
  const std::string hc = tariff.option == TariffOption::kTempo ? "tempo_blue_hc" : "hc";
  auto p = v->kwh.find(hp), o = v->kwh.find(hc);
  if (p == v->kwh.end() || o == v->kwh.end()) return std::nullopt;
  return PeakPrices{p->second, o->second};
}

}  // namespace cw::analytics
