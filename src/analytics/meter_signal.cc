#include "analytics/meter_signal.h"

#include <nlohmann/json.hpp>

#include "analytics/tariff_periods.h"
#include "analytics/tariff_settings.h"

namespace cw::analytics {

std::optional<MeterSignal> parse_meter_signal(const std::string& text, TimeMs t) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("overload") || !j["overload"].is_boolean()) return {};
  MeterSignal m;
  m.t = t;
  m.overload = j["overload"].get<bool>();
  if (j.contains("subscribed_kva") && j["subscribed_kva"].is_number_integer())
    m.subscribed_kva = j["subscribed_kva"].get<int>();
  if (j.contains("period") && j["period"].is_string()) m.period = j["period"];
  if (j.contains("tomorrow") && j["tomorrow"].is_string()) m.tomorrow = j["tomorrow"];
  return m;
}

TempoDays tempo_days_of(const MeterSignal& m, const Calendar& calendar) {
  TempoDays out;
  // The colour day in progress: the local date of t − 6 h.
  const LocalDay day = local_clock(calendar, m.t - 6 * kHourMs).day;
  if (m.period.rfind("tempo_", 0) == 0) {
    const std::string colour = m.period.substr(6, m.period.find('_', 6) - 6);
    if (auto c = parse_colour(colour)) out.emplace_back(day, *c);
  }
  if (!m.tomorrow.empty())
    if (auto c = parse_colour(m.tomorrow)) out.emplace_back(day + 1, *c);
  return out;
}

Result<std::size_t> record_meter_colours(store::Store& store, store::InputStore& inputs,
                                         const Calendar& calendar, const std::string& data_dir,
                                         std::map<LocalDay, TempoColour>& known) {
  auto sensors = store.sensors();
  if (!sensors) return sensors.status();
  TempoDays fresh;
  for (const store::Sensor& s : *sensors) {
    auto status = inputs.meter_status_record(s.id);
    if (!status) return status.status();
    if (status->json.empty()) continue;
    auto m = parse_meter_signal(status->json, status->t);
    if (!m) continue;
    for (const auto& [day, colour] : tempo_days_of(*m, calendar)) {
      auto it = known.find(day);
      if (it != known.end() && it->second == colour) continue;
      fresh.emplace_back(day, colour);
      known[day] = colour;
    }
  }
  if (fresh.empty() || data_dir.empty()) return std::size_t{0};
  auto written = import_tempo(data_dir, fresh);
  if (!written) {
    for (const auto& [day, colour] : fresh) known.erase(day);  // try again next time
    return written.status();
  }
  return fresh.size();
}

}  // namespace cw::analytics
