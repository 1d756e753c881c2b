// The meter's registers are what the supplier bills (a Linky's BASE, HCHC/HCHP, BBRHxJx,
// EASFxx): where they cover a cost bucket, its energy per tariff period comes from them instead
// of from splitting the sensor's energy at the tariff's clock boundaries (the meter's clock and
// its off-peak signal are the ones that count, and they drift from the household's settings).
#pragma once

#include "analytics/cost.h"
#include "store/inputs.h"

namespace cw::analytics {

// Re-prices each bucket of c whose registers cover it (readings on both sides of both edges),
// when every period the registers name is priced by the one price version in force over the
// whole bucket; other buckets keep the split. Then sums c again. Subscription untouched.
Status reprice_from_meter(store::InputStore& inputs, const Calendar& calendar, const Tariff& tariff,
                          SensorId sensor, CostBreakdown& c);

}  // namespace cw::analytics
