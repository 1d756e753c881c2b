// citizenwatt hub and its operator subcommands (hub_cmd.cc).
#pragma once

#include <string>

#include "core/time.h"

namespace cw::app {

struct HubArgs {
  std::string db;  // postgresql://...
  std::string listen = "127.0.0.1:8443";
  std::string cert, key;
  std::string timezone = "Europe/Paris";
  int k = 10;
  double dominance = 0.85;
  double epsilon = 0;
  double epsilon_budget = 10;
  int window_days = 40;
  int threads = 8;
  int key_bits = 2048;
  TimeMs publish_ms = 5000;
};

int run_hub(const HubArgs& a);
int run_hub_enrol(const HubArgs& a, const std::string& label);
int run_hub_revoke(const HubArgs& a, const std::string& id);
int run_hub_publish(const HubArgs& a);

}  // namespace cw::app
