// Tips: rules that read the household's own data and give a concrete, costed suggestion, each
// with its yearly value (docs/insights.md, "Tips"). A rule that lacks the data it needs says so
// (`skipped`, with the reason) instead of guessing; one that found nothing to suggest is
// `checked`. Every rule ends in exactly one of the three lists.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analytics/baseload.h"
#include "analytics/household.h"
#include "analytics/tip_loads.h"
#include "store/store.h"

namespace cw::analytics {

struct Tip {
  std::string
      id;  // high_baseload, water_heater_peak, heating_offpeak, tempo_red_days, switch_option
  Picos saving_year = 0;
  double saving_kwh_year = 0;  // 0 when the saving is a price, not energy (switch_option)
  nlohmann::json params = nlohmann::json::object();
  std::string message;
};

struct SkippedTip {
  std::string id;
  std::string reason;  // plain words: what is missing
};

struct TipReport {
  std::vector<Tip> tips;             // most valuable first
  std::vector<SkippedTip> skipped;   // rules that could not judge, and why
  std::vector<std::string> checked;  // rules that judged and found nothing to suggest
};

struct TipOptions {
  double high_baseload_w = 100;      // always-on above this is high...
  double baseload_goal_w = 50;       // ...and the excess over this is what a tip can save
  int pattern_days = 14;             // days the load patterns are looked for in
  int min_pattern_days = 4;          // days with a pattern, at least (and most days with data)
  double movable_heating = 1.0 / 3;  // share of peak-hour heating a thermostat can pre-heat
  int heating_days_per_year = 150;   // November to March
  int red_days_per_year = 22;        // Tempo
  int min_switch_days = 7;           // data needed to compare options
  double min_switch_saving = 0.01;   // another option must be this much cheaper (1 %)
};

// All the tips as of now, sorted by yearly value.
Result<TipReport> compute_tips(store::Store& store, const Calendar& calendar,
                               const Household& household, SensorId sensor, TimeMs now,
                               const TipOptions& o = {});

// The rules, pure where they can be (tests feed them hand-made inputs).
std::optional<Tip> high_baseload_tip(const Baseload& b, std::optional<Micros> price,
                                     const TipOptions& o = {});
std::optional<Tip> water_heater_tip(const UsualStart& s, int days_with_data, bool starts_in_peak,
                                    const PeakPrices& prices, const TipOptions& o = {});
std::optional<Tip> heating_tip(const std::vector<SustainedHour>& peak_hours, const Calendar& cal,
                               int days_with_data, const PeakPrices& prices,
                               const TipOptions& o = {});
struct RedDays {
  int days = 0;
  std::int64_t energy_mwh = 0;
  Picos cost = 0;
};
std::optional<Tip> tempo_red_tip(const RedDays& red, const TipOptions& o = {});
struct OptionCost {
  TariffOption option = TariffOption::kBase;
  Picos cost = 0;
};
// days: the length of the period the costs cover ([from, to), given in params as local times).
std::optional<Tip> switch_option_tip(TariffOption current, Picos current_cost,
                                     const std::vector<OptionCost>& others, double days,
                                     const TipOptions& o = {});

}  // namespace cw::analytics
