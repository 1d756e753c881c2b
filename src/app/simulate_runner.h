// The in-process simulated household of `serve --simulate`: makes sure a simulated sensor is
// paired, then runs virtual sensors that send real frames to the base's own UDP source.
#pragma once

#include <memory>

#include "core/status.h"
#include "store/store.h"

namespace cw::app {

class SimulationHandle {
 public:
  virtual ~SimulationHandle() = default;
  virtual void stop() = 0;
};

// Pairs the sensor "Maison simulée" when the store has none of that name.
Result<store::Sensor> ensure_simulated_sensor(store::Store& store);

Result<std::unique_ptr<SimulationHandle>> start_simulation(const store::Sensor& sensor,
                                                           std::uint16_t udp_port, double speed);

}  // namespace cw::app
