#include "ingest/mqtt_options.h"

#include <fstream>
#include <map>
#include <sstream>

#include "ingest/source_uri.h"

namespace cw::ingest {

namespace {

std::vector<std::string> split_list(const std::string& s, char sep = ',') {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, sep);)
    if (!item.empty()) out.push_back(item);
  return out;
}

bool valid_topic_part(const std::string& t) {
  return !t.empty() && t.find_first_of("#+\0", 0, 3) == std::string::npos;
}

Status apply(MqttOptions& o, const std::string& key, const std::string& v) {
  if (key == "password_file") {
    std::ifstream in(v);
    if (!in) return invalid_argument("mqtt: cannot read password_file '" + v + "'");
    std::getline(in, o.password);
  } else if (key == "cafile") {
    o.cafile = v;
  } else if (key == "id" || key == "topic") {
    if (!valid_topic_part(v))
      return invalid_argument("mqtt: " + key + " must be a plain topic level");
    (key == "id" ? o.base_id : o.base_topic) = v;
  } else if (key == "discovery") {
    o.discovery_prefix = v == "none" ? "" : v;
  } else if (key == "subscribe") {
    o.subscribe = split_list(v);
  } else {
    return invalid_argument("mqtt: unknown option '" + key +
                            "' (known: password_file, cafile, id, discovery, topic, subscribe)");
  }
  return Status::ok();
}

}  // namespace

Result<MqttOptions> parse_mqtt_uri(const std::string& text) {
  MqttOptions o;
  std::string rest;
  if (text.rfind("mqtt://", 0) == 0) {
    rest = text.substr(7);
  } else if (text.rfind("mqtts://", 0) == 0) {
    rest = text.substr(8);
    o.tls = true;
    o.port = 8883;
  } else {
    return invalid_argument("mqtt: expected mqtt://HOST[:PORT] or mqtts://..., got '" + text + "'");
  }
  const auto q = rest.find('?');
  std::string authority = rest.substr(0, q);
  const std::string query = q == std::string::npos ? "" : rest.substr(q + 1);
  if (auto at = authority.find('@'); at != std::string::npos) {
    o.username = authority.substr(0, at);
    if (o.username.find(':') != std::string::npos)
      return invalid_argument("mqtt: put the password in a file (password_file=), not in the URI");
    authority = authority.substr(at + 1);
  }
  if (authority.find(':') == std::string::npos) authority += ":" + std::to_string(o.port);
  auto hp = parse_host_port(authority);
  if (!hp) return invalid_argument("mqtt: " + hp.status().message());
  o.host = hp->host;
  o.port = hp->port;
  std::map<std::string, bool> seen;
  for (const auto& item : split_list(query, '&')) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return invalid_argument("mqtt: expected KEY=VALUE, got '" + item + "'");
    const std::string key = item.substr(0, eq);
    if (seen[key]) return invalid_argument("mqtt: option '" + key + "' given twice");
    seen[key] = true;
    CW_RETURN_IF_ERROR(apply(o, key, item.substr(eq + 1)));
  }
  o.text = (o.tls ? "mqtts://" : "mqtt://") + (o.username.empty() ? "" : o.username + "@") +
           o.host + ":" + std::to_string(o.port);
  return o;
}

}  // namespace cw::ingest
