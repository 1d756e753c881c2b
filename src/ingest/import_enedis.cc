// Enedis "Mes données de consommation" exports (customer portal), CSV with ';':
//
//   Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;...;Unite[;Pas en
//   minutes] 12345678901234;Courbe de charge;01/09/2018;21/08/2020;Energie
//   active;Consommation;Comptage Brut;W; Horodate;Valeur 2020-08-20T23:30:00+02:00;270 mean W over
//   the step that ends here; empty = gap
//
//   ...;Index;...;Wh
//   Horodate;Type de releve;EAS F1;...;EAS F10;EAS D1;...;EAS D4;EAS T
//   2019-09-02T00:00:00+02:00;Arrêté quotidien;1009905;819074;;...;1834405
//   Periode;Identifiant calendrier fournisseur;Libelle calendrier fournisseur;Identifiant classe
//   temporelle 1;Libelle classe temporelle 1;Cadran classe temporelle 1;...
//   Du ... au;AA000000;Option Heures Creuses;HC;Heures Creuses;EAS F1;HP;Heures Pleines;EAS F2
//
// and the newer one-table layout of the same portal, one row per step:
//   Identifiant PRM;Date de début;Date de fin;Grandeur physique;Grandeur métier;Etape métier;
//   Unité;Horodate;Valeur;Nature;Pas;Indice de vraisemblance;Etat complémentaire
//   19125759625988;2023-03-13 00:00:00;2025-03-13 00:00:00;PA;CONS;BRUT;W;2023-03-13
//   00:30:00;692;B;PT30M;0;0
// where Horodate is French local time when it carries no offset (PA in W: mean power; EA in Wh:
// energy of the step).
#include <cmath>
#include <cstdio>
#include <map>

#include "ingest/import_formats.h"
#include "ingest/tic_reading.h"

namespace cw::ingest {

namespace {

std::string line_error(std::size_t i, const std::string& what) {
  return "enedis: line " + std::to_string(i + 1) + ": " + what;
}

// The supplier's calendar section: register (EAS Fn) → period.
std::map<std::string, std::string> calendar_periods(const std::vector<std::string_view>& lines,
                                                    std::size_t from) {
  std::map<std::string, std::string> out;
  for (std::size_t i = from; i < lines.size(); ++i) {
    auto f = split(lines[i], ';');
    for (std::size_t k = 3; k + 2 < f.size(); k += 3) {
      std::string cadran(f[k + 2]);
      const std::string period = period_of_label(std::string(f[k + 1]));
      if (cadran.rfind("EAS F", 0) == 0 && !period.empty()) out[cadran] = period;
    }
  }
  return out;
}

std::string register_name(std::string_view column) {  // "EAS F1" → "EASF01"
  char out[8];
  const int n = std::atoi(std::string(column.substr(5)).c_str());
  std::snprintf(out, sizeof out, "EASF%02d", n);
  return out;
}

Result<ImportSeries> load_curve(const std::vector<std::string_view>& lines, std::size_t header,
                                TimeMs step) {
  ImportSeries s;
  s.interval_ms = step;
  for (std::size_t i = header + 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    auto f = split(lines[i], ';');
    if (f.size() < 2) return invalid_argument(line_error(i, "expected Horodate;Valeur"));
    auto t = parse_instant(std::string(f[0]));
    if (!t) return invalid_argument(line_error(i, "bad Horodate '" + std::string(f[0]) + "'"));
    if (f[1].empty()) {
      s.skipped++;
      continue;
    }
    auto w = parse_number(f[1]);
    if (!w || *w < 0 || *w > 1e6) return invalid_argument(line_error(i, "bad Valeur"));
    s.rows.push_back({*t, *w, std::nullopt});
  }
  return s;
}

Result<ImportSeries> daily_index(const std::vector<std::string_view>& lines, std::size_t header) {
  ImportSeries s;
  const auto columns = split(lines[header], ';');
  std::size_t total = 0, end = lines.size();
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == "EAS T") total = c;
  if (total == 0) return invalid_argument(line_error(header, "no 'EAS T' column"));
  for (std::size_t i = header + 1; i < lines.size(); ++i)
    if (lines[i].rfind("Periode;", 0) == 0) end = i;
  const auto periods = calendar_periods(lines, end);
  for (std::size_t i = header + 1; i < end; ++i) {
    if (lines[i].empty()) continue;
    auto f = split(lines[i], ';');
    if (f.size() != columns.size()) return invalid_argument(line_error(i, "wrong column count"));
    auto t = parse_instant(std::string(f[0]));
    if (!t) return invalid_argument(line_error(i, "bad Horodate '" + std::string(f[0]) + "'"));
    auto wh = parse_number(f[total]);
    if (!wh) {
      s.skipped++;
      continue;
    }
    // A Linky index has 9 digits (Wh); far beyond is a damaged file.
    if (*wh < 0 || *wh > 1e12) return invalid_argument(line_error(i, "index out of range"));
    s.rows.push_back({*t, std::nullopt, std::int64_t(std::llround(*wh))});
    for (std::size_t c = 2; c < total; ++c) {
      if (columns[c].rfind("EAS F", 0) != 0) continue;
      auto v = parse_number(f[c]);
      if (!v || *v < 0 || *v > 1e12) continue;
      auto p = periods.find(std::string(columns[c]));
      s.registers.push_back({register_name(columns[c]), p == periods.end() ? "" : p->second, *t,
                             std::int64_t(std::llround(*v))});
    }
  }
  return s;
}

// "PT30M" → 30 minutes; 0 when not of that shape.
TimeMs iso_step(std::string_view p) {
  if (p.size() < 4 || p.substr(0, 2) != "PT" || p.back() != 'M') return 0;
  auto n = parse_number(p.substr(2, p.size() - 3));
  return n && *n >= 1 && *n <= 1440 ? TimeMs(*n) * kMinuteMs : 0;
}

// French local wall time "YYYY-MM-DD HH:MM:SS" (or ISO 8601 with an offset) as UTC, the first
// instant after `after` when the wall time happens twice (the autumn DST change).
std::optional<TimeMs> french_time(std::string_view text, TimeMs after) {
  if (auto iso = parse_instant(std::string(text))) return *iso;
  static const Result<Calendar> paris = Calendar::in_zone("Europe/Paris");
  std::string t(text);
  if (!paris || t.size() != 19 || t[10] != ' ') return std::nullopt;
  t[10] = 'T';
  auto wall = parse_instant(t + "Z");  // the wall clock read as if it were UTC
  if (!wall) return std::nullopt;
  std::optional<TimeMs> best;
  for (TimeMs offset :
       {paris->utc_offset(*wall - 2 * kHourMs), paris->utc_offset(*wall + 2 * kHourMs)}) {
    const TimeMs utc = *wall - offset;
    if (paris->utc_offset(utc) != offset) continue;  // not a real local time with this offset
    if (!best || (*best <= after && utc > after) || (utc > after && utc < *best)) best = utc;
  }
  return best;
}

Result<ImportSeries> one_table(const std::vector<std::string_view>& lines, std::size_t header) {
  const auto cols = split(lines[header], ';');
  auto col = [&](std::initializer_list<std::string_view> names) -> std::size_t {
    for (std::size_t c = 0; c < cols.size(); ++c)
      for (auto n : names)
        if (cols[c] == n) return c;
    return cols.size();
  };
  const std::size_t h = col({"Horodate"}), v = col({"Valeur"}), pas = col({"Pas"}),
                    unit = col({"Unité", "Unite"}), kind = col({"Grandeur physique"});
  if (h == cols.size() || v == cols.size())
    return invalid_argument(line_error(header, "no Horodate or Valeur column"));
  ImportSeries s;
  s.interval_ms = 30 * kMinuteMs;
  TimeMs last = 0;
  for (std::size_t i = header + 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    auto f = split(lines[i], ';');
    if (f.size() != cols.size()) return invalid_argument(line_error(i, "wrong column count"));
    if (kind < f.size() && f[kind] != "PA" && f[kind] != "EA")
      return invalid_argument(line_error(i, "'" + std::string(f[kind]) + "' is not a consumption"));
    auto t = french_time(f[h], last);
    if (!t) return invalid_argument(line_error(i, "bad Horodate '" + std::string(f[h]) + "'"));
    const TimeMs step = pas < f.size() && iso_step(f[pas]) ? iso_step(f[pas]) : s.interval_ms;
    s.interval_ms = step;
    auto x = parse_number(f[v]);
    if (!x) {
      s.skipped++;
      continue;
    }
    const bool wh = unit < f.size() && f[unit] == "Wh";
    const double w = wh ? *x * double(kHourMs) / double(step) : *x;
    if (w < 0 || w > 1e6) return invalid_argument(line_error(i, "bad Valeur"));
    s.rows.push_back({*t, w, std::nullopt});
    last = *t;
  }
  return s;
}

}  // namespace

Result<ImportSeries> parse_enedis(std::string_view text) {
  const auto lines = text_lines(text);
  std::string meter, kind;
  TimeMs step = 30 * kMinuteMs;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].rfind("Identifiant PRM;", 0) != 0) continue;
    auto head = split(lines[i], ';');
    auto meta = split(lines[i + 1], ';');
    if (!meta.empty()) meter = std::string(meta[0]);
    if (meta.size() > 1) kind = std::string(meta[1]);
    for (std::size_t k = 0; k < head.size() && k < meta.size(); ++k) {
      if (head[k] != "Pas en minutes") continue;
      auto minutes = parse_number(meta[k]);  // Linky load curves: 10, 15, 30 or 60 minutes
      if (minutes && *minutes >= 1 && *minutes <= 1440) step = TimeMs(*minutes * double(kMinuteMs));
    }
    break;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Result<ImportSeries> s = invalid_argument("");
    if (lines[i] == "Horodate;Valeur") {
      if (kind.find("Puissance") != std::string::npos)
        return invalid_argument("enedis: '" + kind +
                                "' is not a consumption: export the load "
                                "curve (Courbe de charge) or the daily indexes (Index)");
      s = load_curve(lines, i, step);
    } else if (lines[i].rfind("Horodate;Type de releve;", 0) == 0) {
      s = daily_index(lines, i);
    } else if (lines[i].rfind("Identifiant PRM;", 0) == 0 &&
               lines[i].find(";Horodate;") != std::string_view::npos) {
      s = one_table(lines, i);
    } else {
      continue;
    }
    if (!s) return s.status();
    s->meter = meter;
    CW_RETURN_IF_ERROR(order_rows(*s));
    if (s->rows.empty()) return invalid_argument("enedis: the file holds no value");
    return s;
  }
  return invalid_argument(
      "enedis: not an Enedis export (no 'Horodate;Valeur' nor 'Horodate;Type de releve' line)");
}

}  // namespace cw::ingest
