// Home Assistant MQTT discovery (docs/ecosystem.md, "Home Assistant"): the retained config
// messages that make each CitizenWatt sensor a device in Home Assistant with a power (or, for a
// TIC meter, apparent power in VA) entity and an energy entity that the Energy dashboard accepts
// (device_class energy, state_class total_increasing, kWh), and the state message of a sample.
//
//   <discovery>/sensor/<node_id>/<object_id>/config   retained, JSON (HA's MQTT sensor schema)
//   <base>/sensor/<id>/state                          {"power": W|VA, "energy_kwh": kWh,
//                                                      "period": "hc"} (period when known)
//   <base>/status                                     "online" / "offline" (the will), retained
//
// Pure; tests/ingest/ha_discovery_test.cc validates the configs against a JSON schema written
// from HA's documentation (tests/ingest/data/ha_mqtt_sensor.schema.json).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/sample.h"
#include "store/store.h"

namespace cw::ingest {

struct DiscoveryNames {
  std::string discovery_prefix = "homeassistant";
  std::string base_topic = "citizenwatt";
  std::string base_id = "citizenwatt";  // unique per base: prefixes unique_id and node_id
  std::string version;
};

std::string availability_topic(const DiscoveryNames& n);
std::string state_topic(const DiscoveryNames& n, SensorId id);

// (topic, payload) of every config of a sensor: power (or apparent_power), energy, and the
// tariff period (a text sensor) when with_period.
std::vector<std::pair<std::string, nlohmann::json>> discovery_configs(const DiscoveryNames& n,
                                                                      const store::Sensor& s,
                                                                      bool with_period = false);

// period: the tariff period in force ("hc", "tempo_red_hp"...), "" = unknown (not sent).
nlohmann::json state_payload(const store::Sensor& s, const Sample& sample,
                             const std::string& period = "");

}  // namespace cw::ingest
