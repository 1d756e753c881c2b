#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "core/calendar.h"
#include "ingest/mqtt_options.h"
#include "ingest/source_uri.h"

namespace cw::app {

namespace {

// Rejects keys this version does not know, so typos surface.
Status check_keys(const toml::table& t, const std::string& where,
                  const std::set<std::string>& known) {
  for (const auto& [k, v] : t) {
    if (!known.count(std::string(k.str())))
      return invalid_argument("config: unknown key '" + where + std::string(k.str()) + "'");
  }
  return Status::ok();
}

template <typename T>
Status read(const toml::table& t, const char* key, T& out, const std::string& where) {
  auto node = t[key];
  if (!node) return Status::ok();
  auto v = node.value<T>();
  if (!v) return invalid_argument("config: '" + where + key + "' has the wrong type");
  out = *v;
  return Status::ok();
}

Status read_duration(const toml::table& t, const char* key, TimeMs& out) {
  auto node = t[key];
  if (!node) return Status::ok();
  auto text = node.value<std::string>();
  if (!text)
    return invalid_argument(std::string("config: 'alerts.") + key +
                            "' must be a duration such as \"5m\"");
  auto ms = parse_duration(*text);
  if (!ms)
    return invalid_argument(std::string("config: 'alerts.") + key + "': " + ms.status().message());
  out = *ms;
  return Status::ok();
}

Status read_alerts(const toml::table& t, analytics::AlertOptions& a) {
  CW_RETURN_IF_ERROR(check_keys(
      t, "alerts.",
      {"silent_after", "silent_periods", "battery_low_mv", "battery_ok_frames", "power_share",
       "power_for", "power_clear_share", "power_clear_for", "night_factor", "night_min_excess_w",
       "night_min_history", "target_clear_share"}));
  CW_RETURN_IF_ERROR(read_duration(t, "silent_after", a.silent_after_ms));
  CW_RETURN_IF_ERROR(read_duration(t, "power_for", a.power_for_ms));
  CW_RETURN_IF_ERROR(read_duration(t, "power_clear_for", a.power_clear_for_ms));
  std::int64_t periods = a.silent_periods, mv = a.battery_low_mv, ok = a.battery_ok_frames,
               history = a.night_min_history;
  CW_RETURN_IF_ERROR(read(t, "silent_periods", periods, "alerts."));
  CW_RETURN_IF_ERROR(read(t, "battery_low_mv", mv, "alerts."));
  CW_RETURN_IF_ERROR(read(t, "battery_ok_frames", ok, "alerts."));
  CW_RETURN_IF_ERROR(read(t, "night_min_history", history, "alerts."));
  auto narrow = [](std::int64_t v) { return int(std::clamp<std::int64_t>(v, -1, 1 << 20)); };
  a.silent_periods = narrow(periods);
  a.battery_low_mv = narrow(mv);
  a.battery_ok_frames = narrow(ok);
  a.night_min_history = narrow(history);
  for (auto [key, field] : {std::pair{"power_share", &a.power_share},
                            {"power_clear_share", &a.power_clear_share},
                            {"night_factor", &a.night_factor},
                            {"night_min_excess_w", &a.night_min_excess_w},
                            {"target_clear_share", &a.target_clear_share}}) {
    auto node = t[key];
    if (!node) continue;
    auto v = node.value<double>();  // an integer is accepted as a number too
    if (!v) return invalid_argument(std::string("config: 'alerts.") + key + "' must be a number");
    *field = *v;
  }
  return Status::ok();
}

}  // namespace

Result<TimeMs> parse_duration(std::string_view text) {
  std::size_t i = 0;
  std::int64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i < 12)
    n = n * 10 + (text[i++] - '0');
  const std::string_view unit = text.substr(i);
  static const std::pair<std::string_view, TimeMs> kUnits[] = {{"ms", 1},        {"s", kSecondMs},
                                                               {"m", kMinuteMs}, {"min", kMinuteMs},
                                                               {"h", kHourMs},   {"d", kDayMs}};
  if (i == 0 || i > 11)
    return invalid_argument("'" + std::string(text) + "' is not a duration (\"5m\", \"30s\")");
  for (const auto& [name, ms] : kUnits)
    if (unit == name) return n * ms;
  return invalid_argument("'" + std::string(text) + "' is not a duration (\"5m\", \"30s\")");
}

Status apply_config_file(const std::string& path, Config& cfg) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return invalid_argument("config: " + path + ": " + std::string(e.description()) + " (line " +
                            std::to_string(e.source().begin.line) + ")");
  }
  CW_RETURN_IF_ERROR(
      check_keys(root, "", {"base", "ingest", "storage", "simulate", "alerts", "mqtt"}));
  Config next = cfg;
  if (auto* base = root["base"].as_table()) {
    CW_RETURN_IF_ERROR(
        check_keys(*base, "base.",
                   {"listen", "timezone", "log_level", "ui_dir", "tls", "tls_cert", "tls_key"}));
    CW_RETURN_IF_ERROR(read(*base, "tls", next.tls, "base."));
    CW_RETURN_IF_ERROR(read(*base, "tls_cert", next.tls_cert, "base."));
    CW_RETURN_IF_ERROR(read(*base, "tls_key", next.tls_key, "base."));
    CW_RETURN_IF_ERROR(read(*base, "listen", next.listen, "base."));
    CW_RETURN_IF_ERROR(read(*base, "timezone", next.timezone, "base."));
    CW_RETURN_IF_ERROR(read(*base, "log_level", next.log_level, "base."));
    CW_RETURN_IF_ERROR(read(*base, "ui_dir", next.ui_dir, "base."));
  }
  if (auto* ingest = root["ingest"].as_table()) {
    CW_RETURN_IF_ERROR(check_keys(*ingest, "ingest.", {"sources", "flush_interval_ms"}));
    if (auto* arr = (*ingest)["sources"].as_array()) {
      next.sources.clear();
      for (const auto& el : *arr) {
        auto s = el.value<std::string>();
        if (!s) return invalid_argument("config: 'ingest.sources' must be a list of strings");
        next.sources.push_back(*s);
      }
    }
    std::int64_t flush = next.flush_interval_ms;
    CW_RETURN_IF_ERROR(read(*ingest, "flush_interval_ms", flush, "ingest."));
    next.flush_interval_ms = flush;
  }
  if (auto* storage = root["storage"].as_table()) {
    CW_RETURN_IF_ERROR(check_keys(*storage, "storage.", {"raw_retention_days"}));
    std::int64_t days = next.raw_retention_days;
    CW_RETURN_IF_ERROR(read(*storage, "raw_retention_days", days, "storage."));
    next.raw_retention_days = static_cast<int>(std::clamp<std::int64_t>(days, -1, 1 << 20));
  }
  if (auto* sim = root["simulate"].as_table()) {
    CW_RETURN_IF_ERROR(check_keys(*sim, "simulate.", {"enabled", "speed"}));
    CW_RETURN_IF_ERROR(read(*sim, "enabled", next.simulate, "simulate."));
    CW_RETURN_IF_ERROR(read(*sim, "speed", next.simulate_speed, "simulate."));
  }
  if (auto* alerts = root["alerts"].as_table())
    CW_RETURN_IF_ERROR(read_alerts(*alerts, next.alerts));
  if (auto* mqtt = root["mqtt"].as_table()) {
    CW_RETURN_IF_ERROR(check_keys(*mqtt, "mqtt.", {"url"}));
    CW_RETURN_IF_ERROR(read(*mqtt, "url", next.mqtt, "mqtt."));
  }
  cfg = next;  // only a fully read file changes anything
  return Status::ok();
}

Status validate(const Config& cfg) {
  if (cfg.data_dir.empty()) return invalid_argument("config: the data folder must not be empty");
  if (auto r = ingest::parse_host_port(cfg.listen); !r)
    return invalid_argument("config: listen: " + r.status().message());
  if (auto r = Calendar::in_zone(cfg.timezone); !r)
    return invalid_argument("config: timezone: " + r.status().message());
  static const std::set<std::string> levels = {"trace", "debug", "info", "warn", "error"};
  if (!levels.count(cfg.log_level))
    return invalid_argument("config: log_level must be one of trace, debug, info, warn, error");
  for (const auto& s : cfg.sources)
    if (auto r = ingest::parse_source_uri(s); !r) return r.status();
  if (cfg.flush_interval_ms < 10 || cfg.flush_interval_ms > 1000)
    return invalid_argument("config: flush_interval_ms must be between 10 and 1000");
  if (cfg.raw_retention_days < 1)
    return invalid_argument("config: raw_retention_days must be at least 1");
  if (!cfg.mqtt.empty())
    if (auto r = ingest::parse_mqtt_uri(cfg.mqtt); !r) return r.status();
  if (!(cfg.simulate_speed > 0 && cfg.simulate_speed <= 100000))
    return invalid_argument("config: simulate speed must be in (0, 100000]");
  if (cfg.tls != "auto" && cfg.tls != "on" && cfg.tls != "off")
    return invalid_argument("config: tls must be auto, on or off");
  if (cfg.tls_cert.empty() != cfg.tls_key.empty())
    return invalid_argument("config: tls_cert and tls_key go together");
  if (Status s = analytics::validate(cfg.alerts); !s)
    return invalid_argument("config: " + s.message());
  return Status::ok();
}

}  // namespace cw::app
