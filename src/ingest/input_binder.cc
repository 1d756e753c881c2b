#include "ingest/input_binder.h"

#include <spdlog/spdlog.h>

namespace cw::ingest {

Result<SensorId> InputBinder::sensor_for(store::SensorKind kind, const std::string& address,
                                         const std::string& name, TimeMs max_gap_ms) {
  std::lock_guard lock(mu_);
  auto bound = inputs_.binding(kind, address);
  if (!bound) return bound.status();
  if (*bound) {
    // A sensor removed meanwhile leaves its binding: it is bound again to a new sensor.
    auto s = store_.sensor(**bound);
    if (s) return **bound;
    if (s.status().code() != Code::kNotFound) return s.status();
    CW_RETURN_IF_ERROR(inputs_.forget_sensor(**bound));
  }
  store::NewSensor ns;
  ns.name = name;
  ns.kind = kind;
  ns.max_gap_ms = max_gap_ms;
  auto added = store_.add_sensor(ns);
  if (!added) return added.status();
  if (Status s = inputs_.bind(kind, address, added->id); !s) {
    (void)store_.remove_sensor(added->id);
    return s;
  }
  CW_RETURN_IF_ERROR(pipeline_.reload_sensors());
  spdlog::info("ingest: new {} sensor {} \"{}\"", store::sensor_kind_name(kind), added->id, name);
  return added->id;
}

}  // namespace cw::ingest
