#include "privacy/comparator.h"

#include <algorithm>
#include <cmath>

namespace cw::privacy {

using nlohmann::json;

namespace {

// A string member; false when present with another type (the cell is then not trusted).
bool str(const json& j, const char* k, std::string* out) {
  auto it = j.find(k);
  if (it == j.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

bool finite_number(const json& v) {
  return v.is_number() && std::isfinite(v.get<double>());
}

}  // namespace

std::vector<DistributionCell> parse_distributions(const json& answer) {
  std::vector<DistributionCell> out;
  if (!answer.is_object() || !answer.contains("cells") || !answer["cells"].is_array()) return out;
  for (const json& c : answer["cells"]) {
    if (!c.is_object() || !c.contains("percentiles") || !c["percentiles"].is_array()) continue;
    DistributionCell cell;
    if (!str(c, "period", &cell.period) || !str(c, "area", &cell.area) ||
        !str(c, "household_size", &cell.household_size) || cell.period.size() != 10)
      continue;
    if (c.contains("n") && c["n"].is_number_integer()) cell.households = c["n"].get<int>();
    bool ok = true;
    for (const json& p : c["percentiles"]) {
      if (!p.is_object() || !p.contains("p") || !p.contains("wh") || !finite_number(p["p"]) ||
          !finite_number(p["wh"])) {
        ok = false;
        break;
      }
      const double pct = p["p"].get<double>();
      if (pct < 0 || pct > 100 || (!cell.points.empty() && pct <= cell.points.back().first)) {
        ok = false;
        break;
      }
      cell.points.emplace_back(pct, p["wh"].get<double>());
    }
    if (ok && !cell.points.empty()) out.push_back(std::move(cell));
  }
  return out;
}

double share_using_more(const std::vector<std::pair<double, double>>& points, double wh) {
  if (points.empty()) return 0;
  if (wh <= points.front().second) return 1.0 - points.front().first / 100.0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    const auto [p0, v0] = points[i - 1];
    const auto [p1, v1] = points[i];
    if (wh <= v1) {
      const double f = v1 > v0 ? (wh - v0) / (v1 - v0) : 1.0;
      return std::clamp(1.0 - (p0 + f * (p1 - p0)) / 100.0, 0.0, 1.0);
    }
  }
  return 1.0 - points.back().first / 100.0;
}

}  // namespace cw::privacy
