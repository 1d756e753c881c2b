// Parsers of history exports for `citizenwatt import` (docs/ecosystem.md, "Imports"). Each takes
// the whole file's text and gives a series in time order, or a clear error naming the line; none
// writes anything. Fuzzed: fuzz/import_<format>_fuzz.cc.
//
//   enedis       the Enedis customer portal's "Mes données de consommation" exports, CSV with ';':
//                the load curve (Horodate;Valeur: mean W over the step ending at Horodate) and
//                the daily indexes (Horodate;Type de releve;EAS F1..F10;EAS D1..D4;EAS T, Wh)
//   emoncms      a feed's CSV export: "time,value" lines, time as UNIX seconds, "d/m/Y H:i:s"
//                (excel) or ISO 8601, value or "null"; separator ',', ';' or tab
//   ha           Home Assistant history CSV: entity_id,state,last_changed
//   citizenwatt  this base's own /api/v1/export, CSV (time,t_ms,counter,power_w,energy_wh) or JSON
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/status.h"
#include "store/inputs.h"

namespace cw::ingest {

struct ImportRow {
  TimeMs t = 0;
  std::optional<double> power_w;          // W
  std::optional<std::int64_t> energy_wh;  // a cumulative register, Wh
};

struct ImportSeries {
  std::vector<ImportRow> rows;  // strictly increasing t
  // The power of a row is the mean over the step that ends at its time (Enedis load curve): the
  // energy is then exact, P × step, not an estimate.
  TimeMs interval_ms = 0;
  std::vector<store::RegisterReading> registers;  // per-period indexes (Enedis daily indexes)
  std::string meter;                              // PRM or entity id, when the file says
  std::size_t skipped = 0;                        // gap rows, null and unavailable values
};

enum class PowerUnit { kW, kKW, kWh, kKWh, kAuto };
Result<PowerUnit> parse_unit(const std::string& text);  // "W", "kW", "Wh", "kWh", "" = auto

Result<ImportSeries> parse_enedis(std::string_view text);
Result<ImportSeries> parse_emoncms_csv(std::string_view text, PowerUnit unit,
                                       const Calendar& calendar);
Result<ImportSeries> parse_ha_history(std::string_view text, const std::string& entity,
                                      PowerUnit unit);
Result<ImportSeries> parse_citizenwatt_export(std::string_view text);

// Shared by the parsers (import_text.cc): the file's lines without CR and BOM.
std::vector<std::string_view> text_lines(std::string_view text);
std::vector<std::string_view> split(std::string_view line, char sep);
std::optional<double> parse_number(std::string_view s);
// Sorts by time and refuses two rows at one time with different values (exports repeat rows
// across DST changes and overlapping downloads: identical ones collapse).
Status order_rows(ImportSeries& s);

}  // namespace cw::ingest
