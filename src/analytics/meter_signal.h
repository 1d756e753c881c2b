// What a meter's last status tells the insights (a Linky's TIC, written by ingest::TicSource in
// store::InputStore): the overload flag (ADPS) for the alerts, and Tempo colours — the current
// one from the period it counts in, tomorrow's from DEMAIN — for the household's calendar.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "analytics/tempo_calendar.h"
#include "core/calendar.h"
#include "store/inputs.h"
#include "store/store.h"

namespace cw::analytics {

struct MeterSignal {
  TimeMs t = 0;                       // when the meter said it
  bool overload = false;              // ADPS: the current above the subscribed one
  std::optional<int> subscribed_kva;  // from ISOUSC or PREF
  std::string period;                 // "tempo_red_hp", "hc"...; "" when unknown
  std::string tomorrow;               // "blue", "white", "red", "" when not announced
};

// nullopt when json is not a status document (an MQTT device's, or garbage).
std::optional<MeterSignal> parse_meter_signal(const std::string& json, TimeMs t);

// The colour days the signal names: the colour day in progress at t (06:00 to 06:00 local) from
// a tempo_<colour>_* period, and the next one from `tomorrow`. Empty for a non-Tempo meter.
TempoDays tempo_days_of(const MeterSignal& m, const Calendar& calendar);

// Adds to DATA/tempo_days.csv the colours the sensors' meters name that `known` does not hold
// yet (known: what was recorded before, kept by the caller between calls). The number of days
// written.
Result<std::size_t> record_meter_colours(store::Store& store, store::InputStore& inputs,
                                         const Calendar& calendar, const std::string& data_dir,
                                         std::map<LocalDay, TempoColour>& known);

}  // namespace cw::analytics
