// The household's tariff period in force at an instant ("hc", "tempo_red_hp"...), from its
// tariff settings and Tempo colours in the data folder, for the MQTT states. Computed once per
// minute of time asked (a settings change shows within a minute). Thread-safe.
#pragma once

#include <mutex>
#include <string>

#include "core/calendar.h"

namespace cw::app {

class TariffPeriodNow {
 public:
  TariffPeriodNow(std::string data_dir, Calendar calendar)
      : data_dir_(std::move(data_dir)), calendar_(std::move(calendar)) {}
  // "" when the settings do not resolve or give no price at t.
  std::string at(TimeMs t);

 private:
  const std::string data_dir_;
  const Calendar calendar_;
  std::mutex mu_;
  TimeMs minute_ = -1;  // guarded by mu_
  std::string period_;  // guarded by mu_
};

}  // namespace cw::app
