// emoncms feed CSV, Home Assistant history CSV and CitizenWatt's own export (import_formats.h).
#include <date/date.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "ingest/import_formats.h"

namespace cw::ingest {

namespace {

std::string err(const char* format, std::size_t line, const std::string& what) {
  return std::string(format) + ": line " + std::to_string(line + 1) + ": " + what;
}

// Applies the unit: a power goes to power_w, an energy to the register.
bool put_value(ImportRow& r, double v, PowerUnit unit) {
  switch (unit) {
    case PowerUnit::kKW:
      if (std::fabs(v) >= 1e4) return false;
      r.power_w = v * 1000;
      return true;
    case PowerUnit::kWh:
      if (!(v >= 0 && v < 1e12)) return false;
      r.energy_wh = std::llround(v);
      return true;
    case PowerUnit::kKWh:
      if (!(v >= 0 && v < 1e9)) return false;
      r.energy_wh = std::llround(v * 1000);
      return true;
    default:
      if (std::fabs(v) >= 1e7) return false;
      r.power_w = v;
      return true;
  }
}

// "d/m/Y H:i:s" in the household's zone (emoncms's "excel" time format). Read field by field:
// a loose parser of this shape turns a damaged field into NaN seconds.
std::optional<TimeMs> excel_time(std::string_view s, const Calendar& cal) {
  if (s.size() != 19 || s[2] != '/' || s[5] != '/' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  auto field = [&](std::size_t at, std::size_t n) -> int {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const int d = field(0, 2), mo = field(3, 2), y = field(6, 4), h = field(11, 2), mi = field(14, 2),
            sec = field(17, 2);
  if (d < 1 || mo < 1 || mo > 12 || y < 1970 || h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 ||
      sec < 0)
    return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month{unsigned(mo)}, date::day{unsigned(d)}};
  if (!ymd.ok()) return std::nullopt;
  const TimeMs wall =
      (date::sys_days{ymd}.time_since_epoch().count() * 86400LL + h * 3600 + mi * 60 + sec) *
      kSecondMs;
  return wall - cal.utc_offset(wall - cal.utc_offset(wall));
}

}  // namespace

Result<ImportSeries> parse_emoncms_csv(std::string_view text, PowerUnit unit,
                                       const Calendar& calendar) {
  const auto lines = text_lines(text);
  ImportSeries s;
  char sep = ',';
  for (auto l : lines) {
    if (l.empty()) continue;
    sep = l.find('\t') != std::string_view::npos  ? '\t'
          : l.find(';') != std::string_view::npos ? ';'
                                                  : ',';
    break;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    auto f = split(lines[i], sep);
    if (f.size() != 2) return invalid_argument(err("emoncms", i, "expected time,value"));
    std::optional<TimeMs> t;
    if (auto iso = parse_instant(std::string(f[0]))) t = *iso;
    if (!t) t = excel_time(f[0], calendar);
    if (!t) {
      if (i == 0) continue;  // a header line
      return invalid_argument(err("emoncms", i, "bad time '" + std::string(f[0]) + "'"));
    }
    if (f[1] == "null" || f[1].empty()) {
      s.skipped++;
      continue;
    }
    auto v = parse_number(f[1]);
    ImportRow r{*t, std::nullopt, std::nullopt};
    if (!v || !put_value(r, *v, unit)) return invalid_argument(err("emoncms", i, "bad value"));
    s.rows.push_back(r);
  }
  CW_RETURN_IF_ERROR(order_rows(s));
  if (s.rows.empty()) return invalid_argument("emoncms: the file holds no value");
  return s;
}

Result<ImportSeries> parse_ha_history(std::string_view text, const std::string& entity,
                                      PowerUnit unit) {
  const auto lines = text_lines(text);
  if (lines.empty() || lines[0] != "entity_id,state,last_changed")
    return invalid_argument("ha: expected the header 'entity_id,state,last_changed'");
  std::set<std::string> entities;
  for (std::size_t i = 1; i < lines.size(); ++i)
    if (!lines[i].empty()) entities.insert(std::string(split(lines[i], ',')[0]));
  std::string chosen = entity;
  if (chosen.empty() && entities.size() == 1) chosen = *entities.begin();
  if (chosen.empty()) {
    std::string list;
    for (const auto& e : entities) list += (list.empty() ? "" : ", ") + e;
    return invalid_argument("ha: the file has several entities (" + list +
                            "): choose one with --entity");
  }
  if (!entities.count(chosen))
    return invalid_argument("ha: no entity '" + chosen + "' in the file");
  // Energy sensors (kWh, total_increasing) are named so by HA's integrations.
  if (unit == PowerUnit::kAuto)
    unit = chosen.find("energy") != std::string::npos ? PowerUnit::kKWh : PowerUnit::kW;
  ImportSeries s;
  s.meter = chosen;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    auto f = split(lines[i], ',');
    if (f.size() != 3)
      return invalid_argument(err("ha", i, "expected entity_id,state,last_changed"));
    if (f[0] != chosen) continue;
    auto t = parse_instant(std::string(f[2]));
    if (!t) return invalid_argument(err("ha", i, "bad last_changed '" + std::string(f[2]) + "'"));
    auto v = parse_number(f[1]);
    if (!v) {  // "unavailable", "unknown": HA's own gaps
      s.skipped++;
      continue;
    }
    ImportRow r{*t, std::nullopt, std::nullopt};
    if (!put_value(r, *v, unit)) return invalid_argument(err("ha", i, "bad state"));
    s.rows.push_back(r);
  }
  CW_RETURN_IF_ERROR(order_rows(s));
  if (s.rows.empty()) return invalid_argument("ha: no value for " + chosen);
  return s;
}

Result<ImportSeries> parse_citizenwatt_export(std::string_view text) {
  ImportSeries s;
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.contains("samples") || !j["samples"].is_array())
      return invalid_argument("citizenwatt: expected the JSON of /api/v1/export");
    for (const auto& x : j["samples"]) {
      if (!x.is_object() || !x.contains("t_ms") || !x["t_ms"].is_number_integer() ||
          !x.contains("power_w") || !x["power_w"].is_number() || !x.contains("energy_wh") ||
          !x["energy_wh"].is_number_integer() || x["energy_wh"].get<std::int64_t>() < 0 ||
          x["energy_wh"].get<std::int64_t>() > 1'000'000'000'000)
        return invalid_argument("citizenwatt: every sample needs t_ms, power_w and energy_wh");
      s.rows.push_back({x["t_ms"].get<TimeMs>(), x["power_w"].get<double>(),
                        x["energy_wh"].get<std::int64_t>()});
    }
  } else {
    const auto lines = text_lines(text);
    if (lines.empty() || lines[0] != "time,t_ms,counter,power_w,energy_wh")
      return invalid_argument(
          "citizenwatt: expected the header 'time,t_ms,counter,power_w,energy_wh'");
    for (std::size_t i = 1; i < lines.size(); ++i) {
      if (lines[i].empty()) continue;
      auto f = split(lines[i], ',');
      auto t = f.size() == 5 ? parse_number(f[1]) : std::nullopt;
      auto p = f.size() == 5 ? parse_number(f[3]) : std::nullopt;
      auto e = f.size() == 5 ? parse_number(f[4]) : std::nullopt;
      if (!t || !p || !e || *e < 0 || *e > 1e12 || std::fabs(*t) > 1e15 || std::fabs(*p) > 1e7)
        return invalid_argument(
            err("citizenwatt", i, "expected time,t_ms,counter,power_w,energy_wh"));
      s.rows.push_back({TimeMs(*t), *p, std::int64_t(*e)});
    }
  }
  CW_RETURN_IF_ERROR(order_rows(s));
  if (s.rows.empty()) return invalid_argument("citizenwatt: the export holds no sample");
  return s;
}

}  // namespace cw::ingest
