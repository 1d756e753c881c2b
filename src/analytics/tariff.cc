#include "analytics/tariff.h"

#include <date/date.h>

#include <algorithm>
#include <set>

namespace cw::analytics {

const char* option_name(TariffOption o) {
  switch (o) {
    case TariffOption::kHpHc:
      return "hphc";
    case TariffOption::kTempo:
      return "tempo";
    case TariffOption::kGrid:
      return "grid";
    default:
      return "base";
  }
}

Result<TariffOption> parse_option(std::string_view name) {
  for (auto o :
       {TariffOption::kBase, TariffOption::kHpHc, TariffOption::kTempo, TariffOption::kGrid}) {
    if (name == option_name(o)) return o;
  }
  return invalid_argument("unknown tariff option '" + std::string(name) +
                          "' (base, hphc, tempo or grid)");
}

Result<LocalDay> parse_local_day(std::string_view iso) {
  int y = 0, m = 0, d = 0;
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' ||
      std::sscanf(std::string(iso).c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) {
    return invalid_argument("date '" + std::string(iso) + "' is not YYYY-MM-DD");
  }
  const date::year_month_day ymd{date::year{y}, date::month(unsigned(m)), date::day(unsigned(d))};
  if (!ymd.ok() || y < 1900 || y > 9999) {
    return invalid_argument("date '" + std::string(iso) + "' does not exist");
  }
  return LocalDay(date::sys_days(ymd).time_since_epoch().count());
}

std::string format_local_day(LocalDay d) {
  const date::year_month_day ymd{date::sys_days(date::days(d))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

Result<int> parse_hhmm(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') {
    return invalid_argument("time '" + std::string(text) + "' is not HH:MM");
  }
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return invalid_argument("time '" + std::string(text) + "' is not HH:MM");
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) {
    return invalid_argument("time '" + std::string(text) + "' is out of range");
  }
  return h * 60 + m;
}

std::string format_hhmm(int minute) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
  return buf;
}

std::vector<std::string> period_names(const Tariff& t) {
  switch (t.option) {
    case TariffOption::kHpHc:
      return {"hp", "hc"};
    case TariffOption::kTempo:
      return {"tempo_blue_hp",  "tempo_blue_hc", "tempo_white_hp",
              "tempo_white_hc", "tempo_red_hp",  "tempo_red_hc"};
    case TariffOption::kGrid: {
      std::set<std::string> names{t.grid_default};
      for (const auto& r : t.grid) names.insert(r.period);
      return {names.begin(), names.end()};
    }
    default:
      return {"base"};
  }
}

namespace {

Status validate_windows(const std::vector<OffPeakWindow>& w) {
  if (w.empty() || w.size() > 3) {
    return invalid_argument("Heures Creuses needs 1 to 3 off-peak windows");
  }
  std::vector<int> used(1440, -1);
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i].start_min < 0 || w[i].start_min > 1439 || w[i].end_min < 0 || w[i].end_min > 1440 ||
        w[i].start_min == w[i].end_min % 1440) {
      return invalid_argument("off-peak window " + std::to_string(i + 1) + " is empty or invalid");
    }
    for (int m = 0; m < 1440; ++m) {
      if (!w[i].contains(m)) continue;
      if (used[m] >= 0) {
        return invalid_argument("off-peak windows " + std::to_string(used[m] + 1) + " and " +
                                std::to_string(i + 1) + " overlap at " + format_hhmm(m));
      }
      used[m] = int(i);
    }
  }
  return Status::ok();
}

Status validate_grid(const Tariff& t) {
  if (t.grid_default.empty()) return invalid_argument("the grid needs a default period");
  // Overlap check minute by minute over the week: 10080 cells.
  std::vector<int> used(7 * 1440, -1);
  for (std::size_t i = 0; i < t.grid.size(); ++i) {
    const GridRule& r = t.grid[i];
    if (r.period.empty() || r.days == 0 || r.days > 0x7f || r.start_min < 0 || r.end_min > 1440 ||
        r.start_min >= r.end_min) {
      return invalid_argument("grid rule " + std::to_string(i + 1) +
                              " needs a period, days and start < end within one day");
    }
    for (int d = 0; d < 7; ++d) {
      if (!(r.days & (1 << d))) continue;
      for (int m = r.start_min; m < r.end_min; ++m) {
        int& u = used[d * 1440 + m];
        if (u >= 0) {
          return invalid_argument("grid rules " + std::to_string(u + 1) + " and " +
                                  std::to_string(i + 1) + " overlap at " + format_hhmm(m));
        }
        u = int(i);
      }
    }
  }
  return Status::ok();
}

Status validate_prices(const Tariff& t) {
  if (t.prices.empty()) {
    return invalid_argument(std::string("no prices for ") + option_name(t.option) + " at " +
                            std::to_string(t.kva) + " kVA");
  }
  const auto names = period_names(t);
  for (std::size_t i = 0; i < t.prices.size(); ++i) {
    const PriceVersion& v = t.prices[i];
    const std::string where = "prices from " + format_local_day(v.from);
    if (v.from >= v.to) return invalid_argument(where + ": end before start");
    if (i > 0 && t.prices[i - 1].to > v.from) {
      return invalid_argument(where + " overlap the previous version");
    }
    if (v.subscription < 0) return invalid_argument(where + ": negative subscription");
    for (const auto& n : names) {
      auto it = v.kwh.find(n);
      if (it == v.kwh.end()) return invalid_argument(where + ": no price for period '" + n + "'");
      if (it->second < 0) return invalid_argument(where + ": negative price for '" + n + "'");
    }
  }
  return Status::ok();
}

}  // namespace

Status validate(const Tariff& t) {
  if (t.kva < 1 || t.kva > 36) return invalid_argument("subscribed power must be 1..36 kVA");
  if (t.billing_day < 1 || t.billing_day > 28) {
    return invalid_argument("billing day must be 1..28");
  }
  if (t.option == TariffOption::kHpHc) CW_RETURN_IF_ERROR(validate_windows(t.offpeak));
  if (t.option == TariffOption::kGrid) CW_RETURN_IF_ERROR(validate_grid(t));
  return validate_prices(t);
}

const PriceVersion* version_on(const Tariff& t, LocalDay day) {
  auto it = std::upper_bound(t.prices.begin(), t.prices.end(), day,
                             [](LocalDay d, const PriceVersion& v) { return d < v.from; });
  if (it == t.prices.begin()) return nullptr;
  --it;
  return day < it->to ? &*it : nullptr;
}

}  // namespace cw::analytics
