// What energy cost: exact energy of the store (counter-based rollups) split at tariff
// boundaries, priced by the version in force at each moment, plus the subscription prorated.
// Sums stay exact in pico-euros; round once at the end (money.h).
#pragma once

#include <string>
#include <vector>

#include "analytics/tariff.h"
#include "analytics/tariff_periods.h"
#include "analytics/tempo_calendar.h"
#include "core/calendar.h"
#include "store/inputs.h"
#include "store/store.h"

namespace cw::analytics {

struct PeriodCost {
  std::string period;
  Micros price = 0;  // µ€/kWh of the last piece priced (a bucket may span a price change)
  std::int64_t energy_mwh = 0;
  Picos cost = 0;
};

struct CostBucket {
  TimeMs start = 0;
  TimeMs end = 0;
  std::vector<PeriodCost> periods;  // in first-seen order
  std::int64_t energy_mwh = 0;
  Picos energy_cost = 0;
  Picos subscription = 0;
  bool estimated = false;       // some energy was spread across a gap in the data
  bool colour_assumed = false;  // a Tempo day of unknown colour was priced as blue
  bool from_meter = false;      // energy per period from the meter's own registers (meter_cost.h)
  double coverage = 0;          // fraction of the bucket covered by samples
  Picos total() const { return energy_cost + subscription; }
};

struct CostBreakdown {
  TimeMs from = 0;
  TimeMs to = 0;
  std::vector<CostBucket> buckets;
  std::vector<PeriodCost> periods;  // totals per tariff period
  std::int64_t energy_mwh = 0;
  Picos energy_cost = 0;
  Picos subscription = 0;
  bool estimated = false;
  bool colour_assumed = false;
  int meter_buckets = 0;  // buckets whose energy per period came from the meter's registers
  double coverage = 0;
  Picos total() const { return energy_cost + subscription; }
};

// Adds p to the entry of its period in list (appended when new).
void add_period(std::vector<PeriodCost>& list, const PeriodCost& p);

// Cost per local period (by = hour, day or month) of [from, to): buckets are the local periods
// clipped to [from, to) (whole minutes). not_found for an unknown sensor; invalid_argument for
// a range without prices. With meter (a sensor that has a meter's registers: a Linky TIC),
// every bucket the registers cover takes its energy per period from them (meter_cost.h).
Result<CostBreakdown> cost_of(store::Store& store, const Calendar& calendar, const Tariff& tariff,
                              const TempoCalendar& tempo, SensorId sensor, TimeMs from, TimeMs to,
                              Period by, store::InputStore* meter = nullptr);

// The subscription of [from, to) prorated by time: a monthly one by the fraction of each local
// month, a yearly one by the fraction of each local year, at the version of each local day.
Result<Picos> subscription_cost(const Calendar& calendar, const Tariff& tariff, TimeMs from,
                                TimeMs to);

// Pricing of energy that is not in the store (forecasts): each interval's energy is spread
// evenly over its time, split at tariff boundaries. No subscription (see subscription_cost).
struct EnergyInterval {
  TimeMs start = 0;
  TimeMs end = 0;
  double energy_wh = 0;
};
struct PricedInterval {
  TimeMs start = 0;
  TimeMs end = 0;
  std::int64_t energy_mwh = 0;
  std::vector<PeriodCost> periods;
  Picos cost = 0;
  bool colour_assumed = false;
};
Result<std::vector<PricedInterval>> price_intervals(const Calendar& calendar, const Tariff& tariff,
                                                    const TempoCalendar& tempo,
                                                    const std::vector<EnergyInterval>& intervals);

}  // namespace cw::analytics
