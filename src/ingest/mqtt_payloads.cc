#include "ingest/mqtt_payloads.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace cw::ingest {

namespace {

using nlohmann::json;
using Out = Result<std::optional<DeviceMeasurement>>;

std::vector<std::string> levels(const std::string& topic) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (;;) {
    std::size_t p = topic.find('/', at);
    out.push_back(topic.substr(at, p == std::string::npos ? std::string::npos : p - at));
    if (p == std::string::npos) return out;
    at = p + 1;
  }
}

bool plausible_power(double w) {
  return std::isfinite(w) && std::fabs(w) <= 1e6;
}
bool plausible_wh(double wh) {
  return std::isfinite(wh) && wh >= 0 && wh < 9e15;
}

std::uint16_t voltage_of(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return 0;
  const double v = j[key].get<double>();
  return v > 0 && v < 6553 ? static_cast<std::uint16_t>(std::lround(v * 10)) : 0;
}

Out tasmota(const std::string& device, const std::string& payload) {
  json j = json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return invalid_argument("tasmota: SENSOR is not JSON");
  if (!j.contains("ENERGY")) return std::optional<DeviceMeasurement>{};  // a sensor of another kind
  const json& e = j["ENERGY"];
  if (!e.is_object() || !e.contains("Power"))
    return invalid_argument("tasmota: ENERGY without a Power");
  // A multi-channel device sends Power as an array: channel 1 here.
  const json& p = e["Power"].is_array() && !e["Power"].empty() ? e["Power"][0] : e["Power"];
  if (!p.is_number()) return invalid_argument("tasmota: Power is not a number");
  const double w = p.get<double>();
  if (!plausible_power(w)) return invalid_argument("tasmota: implausible Power");
  DeviceMeasurement m{"tasmota:" + device, "Tasmota " + device, std::int32_t(std::lround(w))};
  if (e.contains("Total") && e["Total"].is_number()) {
    const double wh = e["Total"].get<double>() * 1000.0;
    if (!plausible_wh(wh)) return invalid_argument("tasmota: implausible Total");
    m.energy_wh = std::int64_t(std::floor(wh));
  }
  m.voltage_dv = voltage_of(e, "Voltage");
  return std::optional<DeviceMeasurement>(m);
}

Out shelly(const std::string& prefix, const std::string& component, const std::string& payload) {
  json j = json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return invalid_argument("shelly: status is not JSON");
  if (!j.contains("apower"))
    return std::optional<DeviceMeasurement>{};  // a switch without metering
  if (!j["apower"].is_number() || !plausible_power(j["apower"].get<double>()))
    return invalid_argument("shelly: apower must be a number of W");
  DeviceMeasurement m{"shelly:" + prefix + "/" + component, "Shelly " + prefix + " " + component,
                      std::int32_t(std::lround(j["apower"].get<double>()))};
  if (j.contains("aenergy")) {
    const json& e = j["aenergy"];
    if (!e.is_object() || !e.contains("total") || !e["total"].is_number() ||
        !plausible_wh(e["total"].get<double>()))
      return invalid_argument("shelly: aenergy.total must be a number of Wh");
    m.energy_wh = std::int64_t(std::floor(e["total"].get<double>()));
  }
  m.voltage_dv = voltage_of(j, "voltage");
  return std::optional<DeviceMeasurement>(m);
}

Out esphome(const std::string& node, const std::string& name, const std::string& payload,
            EsphomeMemo& memo) {
  std::string lower;
  for (unsigned char c : name) lower += char(std::tolower(c));
  const bool power = lower.find("power") != std::string::npos;
  const bool energy =
      lower.find("energy") != std::string::npos || lower.find("kwh") != std::string::npos;
  if (!power && !energy) return std::optional<DeviceMeasurement>{};
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(payload, &used);
  } catch (...) {
    return invalid_argument("esphome: state '" + payload.substr(0, 32) + "' is not a number");
  }
  if (used != payload.size()) return invalid_argument("esphome: state is not a number");
  if (energy && !power) {
    const double wh = lower.find("kwh") != std::string::npos ? v * 1000 : v;
    if (!plausible_wh(wh)) return invalid_argument("esphome: implausible energy");
    memo.energy_wh[node] = std::int64_t(std::floor(wh));
    return std::optional<DeviceMeasurement>{};
  }
  if (!plausible_power(v)) return invalid_argument("esphome: implausible power");
  DeviceMeasurement m{"esphome:" + node, "ESPHome " + node, std::int32_t(std::lround(v))};
  if (auto it = memo.energy_wh.find(node); it != memo.energy_wh.end()) m.energy_wh = it->second;
  return std::optional<DeviceMeasurement>(m);
}

}  // namespace

Out map_mqtt_message(const std::string& topic, const std::string& payload, EsphomeMemo& memo) {
  if (payload.size() > 16384) return invalid_argument("mqtt: payload over 16 KiB");
  const auto l = levels(topic);
  if (l.size() == 3 && l[0] == "tele" && l[2] == "SENSOR" && !l[1].empty())
    return tasmota(l[1], payload);
  if (l.size() >= 3 && l[l.size() - 2] == "status" &&
      (l.back().rfind("switch:", 0) == 0 || l.back().rfind("pm1:", 0) == 0)) {
    std::string prefix =
        topic.substr(0, topic.size() - l.back().size() - std::string("/status/").size());
    return shelly(prefix, l.back(), payload);
  }
  if (l.size() == 4 && l[1] == "sensor" && l[3] == "state" && !l[0].empty())
    return esphome(l[0], l[2], payload, memo);
  return std::optional<DeviceMeasurement>{};
}

}  // namespace cw::ingest
