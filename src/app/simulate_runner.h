// The in-process simulated household of `serve --simulate`: pairs a simulated sensor on first
// start, gives it a week of synthetic history (so that the charts have something to show from
// the first minute), then runs a virtual sensor that sends real frames to the base's own UDP
// source.
#pragma once

#include <memory>

#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace cw::app {

inline constexpr const char* kSimulatedSensorName = "Maison simulée";

class SimulationHandle {
 public:
  virtual ~SimulationHandle() = default;
  virtual void stop() = 0;
};

// Returns the sensor named kSimulatedSensorName, pairing it and committing backfill_days of
// synthetic history when it does not exist yet.
Result<store::Sensor> ensure_simulated_sensor(store::Store& store, const Clock& clock,
                                              int backfill_days = 7);

Result<std::unique_ptr<SimulationHandle>> start_simulation(const store::Sensor& sensor,
                                                           std::uint16_t udp_port, double speed,
                                                           const Clock& clock);

}  // namespace cw::app
