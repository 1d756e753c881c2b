// The MQTT connection of a base (docs/ecosystem.md, "MQTT"), from one URI:
//
//   mqtt://[USER@]HOST[:PORT]?password_file=PATH&id=BASE_ID&discovery=homeassistant
//          &topic=citizenwatt&subscribe=tele/+/SENSOR,shellies/+/status/switch:0
//   mqtts://...&cafile=/etc/ssl/certs/ca.pem          TLS (default port 8883; system CAs)
//
// The password is read from a file (never on the command line, never logged). Every option has a
// default; an unknown one is an error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace cw::ingest {

struct MqttOptions {
  std::string host;
  std::uint16_t port = 1883;
  bool tls = false;
  std::string cafile;  // TLS: "" = the system's CA folder
  std::string username;
  std::string password;  // read from password_file
  std::string base_id = "citizenwatt";
  std::string discovery_prefix = "homeassistant";  // "" = no discovery
  std::string base_topic = "citizenwatt";
  std::vector<std::string> subscribe;  // input topic filters
  int keepalive_s = 60;
  std::string text;  // as given, password-free, for logs
};

Result<MqttOptions> parse_mqtt_uri(const std::string& text);

}  // namespace cw::ingest
