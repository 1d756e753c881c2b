#include "app/tariff_period.h"

#include "analytics/tariff_catalogue.h"
#include "analytics/tariff_periods.h"
#include "analytics/tariff_settings.h"

namespace cw::app {

std::string TariffPeriodNow::at(TimeMs t) {
  const TimeMs minute = floor_to(t, kMinuteMs);
  std::lock_guard lock(mu_);
  if (minute == minute_) return period_;
  minute_ = minute;
  period_.clear();
  auto settings = analytics::load_settings(data_dir_);
  if (!settings) return period_;
  auto tariff = analytics::resolve(*settings, analytics::builtin_catalogue());
  auto tempo = analytics::load_tempo(data_dir_);
  if (!tariff || !tempo) return period_;
  auto pieces = analytics::split_periods(calendar_, *tariff, *tempo, minute, minute + kMinuteMs);
  if (pieces && !pieces->empty()) period_ = pieces->front().period;
  return period_;
}

}  // namespace cw::app
