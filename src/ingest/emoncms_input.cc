#include "ingest/emoncms_input.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace cw::ingest {

namespace {

using nlohmann::json;

const std::string* param(const Params& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : &it->second;
}

// emoncms keeps letters, digits, '_', ' ', '-' and '.' in a node name.
std::string clean_node(const std::string& raw) {
  std::string out;
  for (unsigned char c : raw)
    if (std::isalnum(c) || c == '_' || c == ' ' || c == '-' || c == '.') out += char(c);
  return out.empty() ? "0" : out.substr(0, 64);
}

std::optional<double> to_number(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

// 0 when the request gives no time: the base stamps it on receipt, in order.
Result<TimeMs> time_of(const Params& p) {
  const std::string* t = param(p, "time");
  if (!t || t->empty()) return TimeMs{0};
  auto v = parse_instant(*t);
  if (!v) return invalid_argument("time must be UNIX seconds or ISO 8601, got '" + *t + "'");
  return *v;
}

// The loose emoncms "json" / "csv" / "data" syntax: key:value,... or value,...
Result<std::vector<std::pair<std::string, double>>> parse_loose(const std::string& text) {
  std::string kept;
  for (unsigned char c : text)
    if (std::isalnum(c) || c == '_' || c == ' ' || c == '-' || c == '.' || c == ':' || c == ',')
      kept += char(c);
  std::vector<std::pair<std::string, double>> out;
  int index = 0;
  std::size_t at = 0;
  while (at <= kept.size()) {
    std::size_t comma = kept.find(',', at);
    if (comma == std::string::npos) comma = kept.size();
    std::string item = kept.substr(at, comma - at);
    at = comma + 1;
    auto colon = item.find(':');
    std::string key = colon == std::string::npos ? std::to_string(++index) : item.substr(0, colon);
    std::string value = colon == std::string::npos ? item : item.substr(colon + 1);
    if (key.empty()) return invalid_argument("input key missing or invalid character");
    auto v = to_number(value);
    if (!v) return invalid_argument("input value '" + value + "' is not numeric");
    out.emplace_back(key, *v);
  }
  return out;
}

Result<std::vector<std::pair<std::string, double>>> parse_fulljson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return invalid_argument("fulljson is not valid JSON");
  if (!j.is_object()) return invalid_argument("fulljson must be a JSON object");
  std::vector<std::pair<std::string, double>> out;
  for (auto& [k, v] : j.items()) {
    if (v.is_number()) {
      out.emplace_back(k, v.get<double>());
    } else if (v.is_string()) {
      auto n = to_number(v.get<std::string>());
      if (!n) return invalid_argument("input '" + k + "' is not numeric");
      out.emplace_back(k, *n);
    } else if (!v.is_null()) {
      return invalid_argument("input '" + k + "' must be a number (too deeply nested)");
    }
  }
  return out;
}

// Times and offsets in seconds, within a few thousand years of 1970 (a cast stays defined).
bool plausible_seconds(double s) {
  return std::isfinite(s) && std::fabs(s) < 1e11;
}

Result<EmonItem> bulk_item(const json& item, TimeMs ref) {
  EmonItem out;
  const json& t = item[0];
  if (!t.is_number() || !plausible_seconds(t.get<double>()))
    return invalid_argument("bulk: each item starts with a time offset in seconds");
  out.t = ref + static_cast<TimeMs>(t.get<double>()) * kSecondMs;
  const json& node = item[1];
  if (node.is_object() || node.is_array())
    return invalid_argument("bulk: node must not be an object");
  out.node = clean_node(node.is_string() ? node.get<std::string>() : node.dump());
  int name = 1;
  for (std::size_t i = 2; i < item.size(); ++i) {
    const json& v = item[i];
    if (v.is_object()) {
      for (auto& [k, x] : v.items()) {
        if (!x.is_number()) return invalid_argument("bulk: input '" + k + "' is not numeric");
        out.inputs.emplace_back(k, x.get<double>());
      }
      continue;
    }
    if (v.is_number())
      out.inputs.emplace_back(std::to_string(name), v.get<double>());
    else if (!v.is_null() && !(v.is_string() && v.get<std::string>().empty()))
      return invalid_argument("bulk: values must be numbers");
    ++name;
  }
  return out;
}

enum class Role { kPower, kEnergyWh, kEnergyKwh, kVoltage, kIgnored };

bool starts_with_i(const std::string& s, const char* prefix) {
  std::size_t n = std::char_traits<char>::length(prefix);
  if (s.size() < n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// The role of an input name and its group: "power1" → power of "1"; "E2" → energy of "2".
Role role_of(const std::string& key, std::string* group) {
  std::size_t d = key.size();
  while (d > 0 && std::isdigit(static_cast<unsigned char>(key[d - 1]))) --d;
  const std::string stem = key.substr(0, d);
  std::string lower;
  for (unsigned char c : stem) lower += char(std::tolower(c));
  *group = key.substr(d);
  for (const char* ignored : {"temp", "humidity", "rssi", "pulse", "batt", "t", "h", "rh", "lqi"})
    if (lower == ignored || (std::string(ignored).size() > 2 && starts_with_i(lower, ignored)))
      return Role::kIgnored;
  if (lower == "vrms" || lower == "v" || lower == "voltage") return Role::kVoltage;
  if (lower == "e" || lower == "energy" || lower == "wh") return Role::kEnergyWh;
  if (lower == "kwh") return Role::kEnergyKwh;
  if (lower == "power" || lower == "p" || lower == "w" || lower == "watts") return Role::kPower;
  if (stem.empty()) return Role::kPower;  // a csv value: "1", "2"...
  *group = key;  // any other name (IoTaWatt's "Mains", "Solar"): a power of its own
  return Role::kPower;
}

}  // namespace

Result<EmonItem> parse_input_post(const Params& params, const std::string& node_in_path) {
  EmonItem item;
  const std::string* node = param(params, "node");
  item.node = clean_node(!node_in_path.empty() ? node_in_path : node ? *node : "0");
  auto t = time_of(params);
  if (!t) return t.status();
  item.t = *t;
  const std::string* full = param(params, "fulljson");
  const std::string* loose = nullptr;
  for (const char* k : {"json", "csv", "data"})
    if (!loose) loose = param(params, k);
  if (param(params, "json")) full = nullptr;  // emoncms: "json" wins over "fulljson"
  if ((!full || full->empty()) && (!loose || loose->empty()))
    return invalid_argument("the request has no data: send fulljson=, json=, csv= or data=");
  auto inputs = full ? parse_fulljson(*full) : parse_loose(*loose);
  if (!inputs) return inputs.status();
  item.inputs = std::move(*inputs);
  return item;
}

Result<std::vector<EmonItem>> parse_input_bulk(const Params& params, TimeMs now) {
  const std::string* data = param(params, "data");
  if (!data) return invalid_argument("bulk: data= is missing");
  json j = json::parse(*data, nullptr, false);
  if (j.is_discarded() || !j.is_array() || j.empty())
    return invalid_argument("bulk: data must be a non-empty JSON array of arrays");
  for (const auto& item : j)
    if (!item.is_array()) return invalid_argument("bulk: every item must be an array");
  const json& last = j.back();
  if (last.empty() || !last[0].is_number() || !plausible_seconds(last[0].get<double>()))
    return invalid_argument("bulk: the last item does not contain any data");
  TimeMs ref = now - static_cast<TimeMs>(last[0].get<double>()) * kSecondMs;
  for (const char* mode : {"sentat", "offset", "time"}) {
    const std::string* v = param(params, mode);
    if (!v) continue;
    auto n = to_number(*v);
    if (!n || !plausible_seconds(*n))
      return invalid_argument(std::string("bulk: ") + mode + " must be a number of seconds");
    ref = std::string(mode) == "time" ? TimeMs(*n) * kSecondMs : now - TimeMs(*n) * kSecondMs;
    break;
  }
  std::vector<EmonItem> out;
  for (const auto& item : j) {
    if (item.size() <= 2) continue;  // as emoncms: an item without values is skipped
    auto e = bulk_item(item, ref);
    if (!e) return e.status();
    out.push_back(std::move(*e));
  }
  return out;
}

Result<std::vector<EmonMeasurement>> map_inputs(const EmonItem& item) {
  std::map<std::string, EmonMeasurement> groups;
  std::map<std::string, bool> has_power;
  std::uint16_t voltage = 0;
  for (const auto& [key, v] : item.inputs) {
    std::string group;
    const Role role = role_of(key, &group);
    if (role == Role::kIgnored) continue;
    if (role == Role::kVoltage) {
      if (v > 0 && v < 6553) voltage = static_cast<std::uint16_t>(std::lround(v * 10));
      continue;
    }
    EmonMeasurement& m = groups[group];
    m.address = item.node + "/" + (group.empty() ? "0" : group);
    m.t = item.t;
    if (role == Role::kPower) {
      if (std::fabs(v) > 1e7) return invalid_argument("input '" + key + "' is not a power in W");
      m.power_w = static_cast<std::int32_t>(std::lround(v));
      m.name = item.node + " " + key;
      has_power[group] = true;
      continue;
    }
    const double wh = role == Role::kEnergyKwh ? v * 1000.0 : v;
    if (wh < 0 || wh > 9e15) return invalid_argument("input '" + key + "' is not an energy");
    m.energy_wh = static_cast<std::int64_t>(std::floor(wh));
  }
  std::vector<EmonMeasurement> out;
  for (auto& [group, m] : groups) {
    if (!has_power[group]) continue;
    m.voltage_dv = voltage;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace cw::ingest
