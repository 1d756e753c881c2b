#include "web/params.h"

#include <charconv>

namespace cw::web {

std::optional<std::string> param(const httplib::Params& p, const char* name) {
  auto it = p.find(name);
  if (it == p.end()) return std::nullopt;
  return it->second;
}

Result<TimeRange> parse_range(const httplib::Params& p, TimeMs now, TimeMs default_span) {
  TimeRange r{0, now};
  if (auto to = param(p, "to")) {
    auto t = parse_instant(*to);
    if (!t) return invalid_argument("to: " + t.status().message());
    r.to = *t;
  }
  r.from = r.to - default_span;
  if (auto from = param(p, "from")) {
    auto t = parse_instant(*from);
    if (!t) return invalid_argument("from: " + t.status().message());
    r.from = *t;
  }
  if (r.from >= r.to) return invalid_argument("from must be before to");
  return r;
}

Result<std::int64_t> parse_bounded(std::string_view text, std::int64_t min, std::int64_t max,
                                   const char* what) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  const bool digits_only = !text.empty() && text.front() != '-' && text.front() != '+';
  if (!digits_only || ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
    return invalid_argument(std::string(what) + " must be an integer from " + std::to_string(min) +
                            " to " + std::to_string(max));
  return v;
}

Result<std::size_t> parse_points(const httplib::Params& p) {
  auto text = param(p, "points");
  if (!text) return std::size_t{1000};
  auto v = parse_bounded(*text, 1, kMaxPoints, "points");
  if (!v) return v.status();
  return static_cast<std::size_t>(*v);
}

Result<SensorId> parse_sensor_id(std::string_view text) {
  auto v = parse_bounded(text, 0, 65535, "sensor");
  if (!v) {
    if (v.status().code() == Code::kInvalidArgument && !text.empty() &&
        text.find_first_not_of("0123456789") == std::string_view::npos)
      return not_found("no sensor " + std::string(text.substr(0, 24)));
    return v.status();
  }
  return static_cast<SensorId>(*v);
}

Result<SeriesUnit> parse_unit(const httplib::Params& p) {
  auto u = param(p, "unit");
  if (!u || *u == "W") return SeriesUnit::kWatt;
  if (*u == "Wh") return SeriesUnit::kWattHour;
  return invalid_argument("unit must be W or Wh");
}

Result<Period> parse_energy_period(const httplib::Params& p) {
  auto by = param(p, "by");
  if (!by || *by == "day") return Period::kDay;
  if (*by == "hour") return Period::kHour;
  if (*by == "month") return Period::kMonth;
  return invalid_argument("by must be hour, day or month");
}

Result<ExportFormat> parse_export_format(const httplib::Params& p) {
  auto f = param(p, "format");
  if (!f || *f == "csv") return ExportFormat::kCsv;
  if (*f == "json") return ExportFormat::kJson;
  return invalid_argument("format must be csv or json");
}

}  // namespace cw::web
