#include "analytics/tempo_calendar.h"

#include <cstdio>
#include <cstdlib>

namespace cw::analytics {

namespace detail {
extern const std::string_view k_tempo_days_csv;
}

const char* colour_name(TempoColour c) {
  switch (c) {
    case TempoColour::kBlue:
      return "blue";
    case TempoColour::kWhite:
      return "white";
    case TempoColour::kRed:
      return "red";
    default:
      return "unknown";
  }
}

Result<TempoColour> parse_colour(std::string_view text) {
  std::string t(text);
  for (char& c : t) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (t == "bleu" || t == "blue") return TempoColour::kBlue;
  if (t == "blanc" || t == "white") return TempoColour::kWhite;
  if (t == "rouge" || t == "red") return TempoColour::kRed;
  return invalid_argument("unknown Tempo colour '" + std::string(text).substr(0, 40) +
                          "' (BLEU, BLANC, ROUGE or blue, white, red)");
}

Result<TempoDays> parse_tempo_csv(std::string_view text) {
  TempoDays out;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || (line_no == 1 && line.rfind("date", 0) == 0)) continue;
    if (line_no > 100000) return invalid_argument("too many lines (at most 100000)");
    const std::string where = "line " + std::to_string(line_no) + ": ";
    const std::size_t c1 = line.find(',');
    if (c1 == std::string_view::npos) return invalid_argument(where + "expected date,color");
    const std::string_view rest = line.substr(c1 + 1);
    auto day = parse_local_day(line.substr(0, c1));
    if (!day) return invalid_argument(where + day.status().message());
    auto colour = parse_colour(rest.substr(0, rest.find(',')));
    if (!colour) return invalid_argument(where + colour.status().message());
    out.emplace_back(*day, *colour);
  }
  return out;
}

std::string tempo_csv(const TempoDays& days) {
  std::string out = "date,color\n";
  for (const auto& [d, c] : days) out += format_local_day(d) + "," + colour_name(c) + "\n";
  return out;
}

TempoColour TempoCalendar::colour(LocalDay day) const {
  auto it = days_.find(day);
  return it == days_.end() ? TempoColour::kUnknown : it->second;
}

void TempoCalendar::merge(const TempoDays& days) {
  for (const auto& [d, c] : days) days_[d] = c;
}

const TempoCalendar& builtin_tempo() {
  static const TempoCalendar cal = [] {
    auto days = parse_tempo_csv(detail::k_tempo_days_csv);
    if (!days) {
      std::fprintf(stderr, "built-in Tempo colours: %s\n", days.status().to_string().c_str());
      std::abort();
    }
    TempoCalendar c;
    c.merge(*days);
    return c;
  }();
  return cal;
}

}  // namespace cw::analytics
