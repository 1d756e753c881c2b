#include <algorithm>
#include <charconv>
#include <cmath>

#include "ingest/import_formats.h"

namespace cw::ingest {

std::vector<std::string_view> text_lines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(at, nl - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    at = nl + 1;
  }
  return out;
}

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  for (;;) {
    std::size_t p = line.find(sep, at);
    if (p == std::string_view::npos) {
      out.push_back(line.substr(at));
      return out;
    }
    out.push_back(line.substr(at, p - at));
    at = p + 1;
  }
}

std::optional<double> parse_number(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  std::string copy(s);
  std::replace(copy.begin(), copy.end(), ',', '.');  // a French decimal comma
  double v = 0;
  auto [p, ec] = std::from_chars(copy.data(), copy.data() + copy.size(), v);
  if (ec != std::errc() || p != copy.data() + copy.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

Result<PowerUnit> parse_unit(const std::string& text) {
  if (text.empty()) return PowerUnit::kAuto;
  if (text == "W") return PowerUnit::kW;
  if (text == "kW") return PowerUnit::kKW;
  if (text == "Wh") return PowerUnit::kWh;
  if (text == "kWh") return PowerUnit::kKWh;
  return invalid_argument("--unit must be W, kW, Wh or kWh, got '" + text + "'");
}

Status order_rows(ImportSeries& s) {
  std::stable_sort(s.rows.begin(), s.rows.end(),
                   [](const ImportRow& a, const ImportRow& b) { return a.t < b.t; });
  std::vector<ImportRow> out;
  for (const auto& r : s.rows) {
    if (!out.empty() && out.back().t == r.t) {
      if (out.back().power_w != r.power_w || out.back().energy_wh != r.energy_wh)
        return invalid_argument("two different values at " + format_iso_utc(r.t));
      continue;
    }
    out.push_back(r);
  }
  s.rows = std::move(out);
  return Status::ok();
}

}  // namespace cw::ingest
