// Energy per local hour of a recording, for backtests that need what the store's energy_by()
// would give after a replay, without the replay.
#pragma once

#include <vector>

#include "core/calendar.h"
#include "simulate/power_source.h"

namespace cw::simulate {

struct HourEnergy {
  TimeMs start = 0;  // local hour, in UTC
  TimeMs end = 0;
  double energy_wh = 0;  // covered energy scaled to the whole hour (an estimate when coverage < 1)
  double coverage = 0;   // covered fraction of the hour
};

// A reading's power holds until the next reading, but never longer than max_hold_ms (longer is
// a gap: not covered). One entry per local hour from the first reading's hour to the last's.
std::vector<HourEnergy> hourly_energy(const std::vector<PowerSample>& samples,
                                      const Calendar& calendar, TimeMs max_hold_ms);

}  // namespace cw::simulate
