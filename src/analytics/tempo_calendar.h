// Tempo day colours: the compiled-in history (data/tariffs/tempo_days.csv, RTE colours since
// 2014-09-01) plus the household's own imports (DATA/tempo_days.csv). A colour day runs from
// 06:00 to 06:00 local time (tariff_periods.h applies that).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analytics/tariff.h"

namespace cw::analytics {

enum class TempoColour : std::uint8_t { kUnknown = 0, kBlue, kWhite, kRed };

const char* colour_name(TempoColour c);  // "blue", "white", "red", "unknown"
// BLEU/BLANC/ROUGE or blue/white/red, any case; anything else is an error.
Result<TempoColour> parse_colour(std::string_view text);

using TempoDays = std::vector<std::pair<LocalDay, TempoColour>>;

// "date,color[,source]" lines (a header line starting with "date" is skipped; CRLF accepted).
// invalid_argument names the first bad line; at most 100000 lines.
Result<TempoDays> parse_tempo_csv(std::string_view text);
std::string tempo_csv(const TempoDays& days);

class TempoCalendar {
 public:
  TempoColour colour(LocalDay day) const;
  void set(LocalDay day, TempoColour c) { days_[day] = c; }
  void merge(const TempoDays& days);
  std::size_t size() const { return days_.size(); }
  LocalDay first() const { return days_.empty() ? 0 : days_.begin()->first; }
  LocalDay last() const { return days_.empty() ? 0 : days_.rbegin()->first; }

 private:
  std::map<LocalDay, TempoColour> days_;
};

// The compiled-in colour history, parsed once.
const TempoCalendar& builtin_tempo();

}  // namespace cw::analytics
