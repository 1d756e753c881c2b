#include "ingest/ha_discovery.h"

#include "protocol/frame.h"

namespace cw::ingest {

namespace {

bool apparent(const store::Sensor& s) {
  return store::is_input_kind(s.kind) && (s.state.flags & protocol::kFlagApparentOnly) != 0;
}

std::string node_id(const DiscoveryNames& n, SensorId id) {
  return n.base_id + "_" + std::to_string(id);
}

}  // namespace

std::string availability_topic(const DiscoveryNames& n) {
  return n.base_topic + "/status";
}

std::string state_topic(const DiscoveryNames& n, SensorId id) {
  return n.base_topic + "/sensor/" + std::to_string(id) + "/state";
}

std::vector<std::pair<std::string, nlohmann::json>> discovery_configs(const DiscoveryNames& n,
                                                                      const store::Sensor& s,
                                                                      bool with_period) {
  const nlohmann::json device = {
      {"identifiers", {node_id(n, s.id)}},
      {"name", s.name},
      {"manufacturer", "CitizenWatt"},
      {"model", std::string("CitizenWatt sensor (") + store::sensor_kind_name(s.kind) + ")"},
      {"sw_version", n.version}};
  const nlohmann::json availability = {{{"topic", availability_topic(n)},
                                        {"payload_available", "online"},
                                        {"payload_not_available", "offline"}}};
  auto config = [&](const char* object, const char* name, const char* device_class,
                    const char* state_class, const char* unit, const char* field) {
    nlohmann::json c = {{"name", name},
                        {"unique_id", node_id(n, s.id) + "_" + object},
                        {"object_id", node_id(n, s.id) + "_" + object},
                        {"state_topic", state_topic(n, s.id)},
                        {"value_template", std::string("{{ value_json.") + field + " }}"},
                        {"device_class", device_class},
                        {"state_class", state_class},
                        {"unit_of_measurement", unit},
                        {"availability", availability},
                        {"device", device},
                        {"origin", {{"name", "CitizenWatt"}, {"sw_version", n.version}}}};
    return std::pair{n.discovery_prefix + "/sensor/" + node_id(n, s.id) + "/" + object + "/config",
                     c};
  };
  const bool va = apparent(s);
  std::vector<std::pair<std::string, nlohmann::json>> out = {
      va ? config("power", "Apparent power", "apparent_power", "measurement", "VA", "power")
         : config("power", "Power", "power", "measurement", "W", "power"),
      config("energy", "Energy", "energy", "total_increasing", "kWh", "energy_kwh")};
  if (with_period) {
    // A text sensor: no device class, unit nor state class (HA keeps its history as states).
    auto period = config("period", "Tariff period", "", "", "", "period");
    for (const char* k : {"device_class", "state_class", "unit_of_measurement"})
      period.second.erase(k);
    period.second["icon"] = "mdi:clock-outline";
    out.push_back(std::move(period));
  }
  return out;
}

nlohmann::json state_payload(const store::Sensor&, const Sample& sample,
                             const std::string& period) {
  nlohmann::json out = {{"power", sample.power_w},
                        {"energy_kwh", double(sample.energy_wh) / 1000.0},
                        {"time", format_iso_utc(sample.t)}};
  if (!period.empty()) out["period"] = period;
  return out;
}

}  // namespace cw::ingest
