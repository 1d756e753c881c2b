// What Wi-Fi plugs and meters publish over MQTT, mapped to measurements (docs/ecosystem.md,
// "MQTT"). Pure, fuzzed (fuzz/mqtt_payload_fuzz.cc):
//
//   Tasmota   tele/<device>/SENSOR      {"ENERGY":{"Power":W,"Total":kWh,"Voltage":V,...}}
//   Shelly    <prefix>/status/switch:N  {"apower":W,"aenergy":{"total":Wh},"voltage":V}  (Gen2 RPC
//             <prefix>/status/pm1:N      status notifications; pm1 of the Plus PM Mini)
//   ESPHome   <node>/sensor/<name>/state  a bare number; a name with "power" is W, one with
//             "energy" is Wh ("kwh" in the name: kWh); the power message carries the last energy
//
// Anything else (other topics, LWT "Online", a Tasmota STATE) is not a measurement: nullopt.
// A payload that claims to be one and is malformed is an error.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/status.h"
#include "core/time.h"

namespace cw::ingest {

struct DeviceMeasurement {
  std::string
      address;       // "tasmota:plug1", "shelly:shellyplus1pm-ab12/switch:0", "esphome:node/power"
  std::string name;  // for the sensor created on first sight
  std::int32_t power_w = 0;
  std::optional<std::int64_t> energy_wh;
  std::uint16_t voltage_dv = 0;
};

// The last energy of each ESPHome node, between its state messages.
struct EsphomeMemo {
  std::map<std::string, std::int64_t> energy_wh;
};

Result<std::optional<DeviceMeasurement>> map_mqtt_message(const std::string& topic,
                                                          const std::string& payload,
                                                          EsphomeMemo& memo);

}  // namespace cw::ingest
