// Energy per tariff period from the meter's own registers (store/inputs.h), for sensors that
// have them (a Linky TIC, an Enedis daily-index import). The meter's registers are what the
// supplier bills, so when they are there, energy per period comes from them, not from splitting
// the sensor's energy at the tariff's clock boundaries.
//
// For the cost code (cost.h): meter_energy_by_period(inputs, sensor, from, to) gives, per period
// name ("hc", "hp", "tempo_red_hp"...), the energy of [from, to) in mWh; an empty result means the
// sensor has no registers over the range and the usual split applies.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/inputs.h"

namespace cw::analytics {

struct RegisterEnergy {
  std::string name;
  std::string period;   // "" when the meter never said which period it counts
  double start_wh = 0;  // register interpolated at the range's start (clamped to readings)
  double end_wh = 0;
  std::int64_t energy_mwh = 0;
  bool covered = false;  // readings exist on both sides of both edges: exact to the Wh
};

struct MeterEnergy {
  std::vector<RegisterEnergy> registers;
  std::map<std::string, std::int64_t> by_period_mwh;  // registers of unknown period excluded
  std::int64_t total_mwh = 0;
};

// The value of a register at t, interpolated linearly between the readings around it; clamped
// to the first / last reading outside them. readings: one register's, in time order, non-empty.
double register_at(const std::vector<store::RegisterReading>& readings, TimeMs t, bool* inside);

Result<MeterEnergy> meter_energy(store::InputStore& inputs, SensorId sensor, TimeMs from,
                                 TimeMs to);

// What the cost code calls: energy per period name, mWh; empty when the sensor has no registers.
Result<std::map<std::string, std::int64_t>> meter_energy_by_period(store::InputStore& inputs,
                                                                   SensorId sensor, TimeMs from,
                                                                   TimeMs to);

}  // namespace cw::analytics
