// The base station's configuration: defaults, then the TOML file, then command-line flags.
// Validated once, here, into typed values; nothing downstream re-checks it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analytics/alert_rules.h"
#include "core/status.h"
#include "core/time.h"

namespace cw::app {

struct Config {
  std::string data_dir = "./var";
  std::string listen = "127.0.0.1:8080";
  std::string timezone = "Europe/Paris";
  std::string log_level = "info";    // trace, debug, info, warn, error
  std::vector<std::string> sources;  // e.g. udp://0.0.0.0:4200; none = no radio input
  bool simulate = false;             // run a simulated household in-process
  double simulate_speed = 1.0;
  std::string ui_dir;  // empty: the built-in default
  TimeMs flush_interval_ms = 250;
  int raw_retention_days = 365;
  std::string mqtt;                // mqtt://HOST:PORT?... (ingest/mqtt_options.h); empty = no MQTT
  analytics::AlertOptions alerts;  // [alerts]: thresholds of the alert rules
  // The upload worker of the privacy layer (docs/privacy.md).
  TimeMs privacy_poll_ms = 60 * kSecondMs;
  TimeMs privacy_spread_ms = kHourMs;  // uploads spread at random over this
  TimeMs privacy_backoff_ms = 30 * kSecondMs;
  TimeMs privacy_settle_ms = 15 * 60 * kSecondMs;
  TimeMs privacy_comparator_ms = 6 * kHourMs;  // how often community distributions are fetched
  // HTTPS (docs/security.md): "auto" = on for any listener but loopback; "on"; "off".
  std::string tls = "auto";
  std::string tls_cert,
      tls_key;  // the user's own PEM files; empty = DATA/tls/, made at first start
};

// "5s", "500ms", "5m" (or "5min"), "1h", "2d" → ms; invalid_argument otherwise.
Result<TimeMs> parse_duration(std::string_view text);

// Overrides fields of cfg with those present in a TOML file. Unknown keys are errors (a typo
// must not be silently ignored). The file layout is documented in docs/configuration.md.
Status apply_config_file(const std::string& path, Config& cfg);

// Checks every field; returns a clear message naming the first bad one.
Status validate(const Config& cfg);

}  // namespace cw::app
