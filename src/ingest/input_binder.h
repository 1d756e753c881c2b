// Finds the sensor an outside address names (a TIC meter's ADCO, an MQTT device, an emoncms node
// and input), creating it on first sight: kind from the input, name given by the caller, no key
// (an input sensor has none). The new sensor is loaded into the pipeline before it is returned,
// so a measurement submitted right after is judged against it.
//
// Thread-safety: any thread; creation is serialised so two sources never create twins.
#pragma once

#include <mutex>
#include <string>

#include "core/status.h"
#include "ingest/pipeline.h"
#include "store/inputs.h"
#include "store/store.h"

namespace cw::ingest {

class InputBinder {
 public:
  InputBinder(store::Store& store, store::InputStore& inputs, Pipeline& pipeline)
      : store_(store), inputs_(inputs), pipeline_(pipeline) {}

  // The sensor bound to (kind, address); created with `name` when there is none.
  Result<SensorId> sensor_for(store::SensorKind kind, const std::string& address,
                              const std::string& name, TimeMs max_gap_ms = 120 * kSecondMs);

  store::InputStore& inputs() { return inputs_; }
  store::Store& store() { return store_; }
  Pipeline& pipeline() { return pipeline_; }

 private:
  store::Store& store_;
  store::InputStore& inputs_;
  Pipeline& pipeline_;
  std::mutex mu_;
};

}  // namespace cw::ingest
