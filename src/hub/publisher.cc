#include "hub/publisher.h"

#include <spdlog/spdlog.h>

#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

namespace cw::hub {

namespace {

using privacy::Purpose;
using privacy::Suppression;

struct Row {
  int purposes = 0;
  std::string area, household_size, heating, dwelling;
  std::int64_t daily = 0;
  std::vector<std::int64_t> halves;
};

struct Cell {
  std::string dataset, area, dimension, grp;
  int slot = -1;
  std::vector<std::int64_t> values;
  Suppression state = Suppression::kNone;
  bool noisy = false;
  std::int64_t n = 0, total = 0;
  double mean = 0;
  std::string percentiles;  // JSON, empty for none
};

using Key = std::tuple<std::string, std::string, std::string, std::string, int>;

std::string or_unknown(const std::string& v) {
  return v.empty() ? "unknown" : v;
}

const std::string& dim_value(const Row& r, const std::string& dim) {
  static const std::string star = "*";
  if (dim == "household_size") return r.household_size;
  if (dim == "heating") return r.heating;
  if (dim == "dwelling") return r.dwelling;
  return star;
}

std::vector<Row> read_rows(pqxx::work& w, const std::string& period) {
  std::vector<Row> rows;
  auto r = w.exec_params(
      "SELECT purposes, area, household_size, heating, dwelling, daily_wh, "
      "coalesce(array_to_string(half_hours_wh, ','), '') FROM contributions WHERE period = "
      "$1::date",
      period);
  rows.reserve(r.size());
  for (const auto& f : r) {
    Row row{f[0].as<int>(),
            f[1].as<std::string>(),
            f[2].as<std::string>(),
            f[3].as<std::string>(),
            f[4].as<std::string>(),
            f[5].as<std::int64_t>(),
            {}};
    std::stringstream ss(f[6].as<std::string>());
    for (std::string v; std::getline(ss, v, ',');) row.halves.push_back(std::stoll(v));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Groups rows into the cells of one dataset: the city ("*") and each area, by each dimension.
void add_cells(std::map<Key, Cell>& cells, const std::string& dataset, const std::vector<Row>& rows,
               Purpose purpose, const std::vector<std::string>& dims, bool curve) {
  for (const Row& r : rows) {
    if (!(r.purposes & static_cast<int>(purpose))) continue;
    if (curve && r.halves.empty()) continue;
    for (const std::string& area : {std::string("*"), or_unknown(r.area)}) {
      for (const std::string& dim : dims) {
        const std::string grp = dim == "all" ? "*" : or_unknown(dim_value(r, dim));
        const int slots = curve ? static_cast<int>(r.halves.size()) : 1;
        for (int s = 0; s < slots; ++s) {
          Cell& c = cells[{dataset, area, dim, grp, curve ? s : -1}];
          if (c.dataset.empty()) c = Cell{dataset, area, dim, grp, curve ? s : -1};
          c.values.push_back(curve ? r.halves[static_cast<std::size_t>(s)] : r.daily);
        }
      }
    }
  }
}

// The secondary rule over every additive partition, until nothing changes.
void apply_secondary(std::map<Key, Cell>& cells) {
  std::map<Key, std::vector<privacy::PartitionCell>> partitions;
  for (auto& [key, c] : cells) {
    const auto& [dataset, area, dim, grp, slot] = key;
    if (dim != "all") partitions[{dataset, area, "all", "*", slot}].push_back({c.n, &c.state});
    if (area != "*") partitions[{dataset, "*", dim, grp, slot}].push_back({c.n, &c.state});
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& [parent, children] : partitions) {
      auto it = cells.find(parent);
      if (it == cells.end() || it->second.state != Suppression::kNone) continue;
      changed |= privacy::secondary_suppression(children);
    }
  }
}

std::string percentile_json(const std::vector<std::int64_t>& values, const std::vector<int>& ps) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& [p, v] : privacy::percentiles(values, ps))
    j.push_back({{"p", p}, {"wh", std::llround(v)}});
  return j.dump();
}

}  // namespace

Result<int> Publisher::publish_dirty() {
  std::vector<std::string> periods;
  CW_RETURN_IF_ERROR(with_txn(db_.pool(), [&](pqxx::work& w) {
    for (const auto& r : w.exec("SELECT period::text FROM dirty_periods ORDER BY period"))
      periods.push_back(r[0].as<std::string>());
    return Status::ok();
  }));
  for (const std::string& p : periods) CW_RETURN_IF_ERROR(recompute(p));
  return static_cast<int>(periods.size());
}

Status Publisher::recompute(const std::string& period) {
  return with_txn(db_.pool(), [&](pqxx::work& w) {
    w.exec_params("DELETE FROM dirty_periods WHERE period = $1::date", period);
    const std::vector<Row> rows = read_rows(w, period);
    std::map<Key, Cell> cells;
    add_cells(cells, "daily", rows, Purpose::kOpenData,
              {"all", "household_size", "heating", "dwelling"}, false);
    add_cells(cells, "load_curve", rows, Purpose::kOpenData, {"all"}, true);
    add_cells(cells, "comparator", rows, Purpose::kComparator, {"all", "household_size"}, false);
    add_cells(cells, "challenges", rows, Purpose::kChallenges, {"all"}, false);

    // Noise for the daily dataset: 8 partitions (city and area level, 4 dimensions each) are
    // released, each cell disjoint from its siblings: 8 ε per release, within the day's budget.
    bool noise = options_.epsilon > 0;
    const double spend = 8 * options_.epsilon;
    int release = 0;
    if (noise) {
      auto r = w.exec_params(
          "SELECT coalesce(sum(epsilon), 0), count(*) FROM epsilon_ledger WHERE dataset = 'daily' "
          "AND "
          "period = $1::date",
          period);
      const double spent = r[0][0].as<double>();
      release = r[0][1].as<int>() + 1;
      if (spent + spend > options_.epsilon_budget + 1e-9) noise = false, release = -1;
    }
    for (auto& [key, c] : cells) {
      c.state = privacy::primary_suppression(c.values, options_.rules);
      c.n = static_cast<std::int64_t>(c.values.size());
      c.total = std::accumulate(c.values.begin(), c.values.end(), std::int64_t{0});
      if (c.dataset == "daily" && release == -1) c.state = Suppression::kBudget;
    }
    apply_secondary(cells);
    std::string insert;
    for (auto& [key, c] : cells) {
      const bool shown = c.state == Suppression::kNone;
      if (shown && c.dataset == "daily" && noise) {
        std::int64_t clipped = 0;
        for (std::int64_t v : c.values) clipped += std::min(v, options_.clip_wh);
        c.n = std::max<std::int64_t>(1, c.n + privacy::geometric_noise(options_.epsilon / 2, 1));
        c.total = std::max<std::int64_t>(
            0, clipped + privacy::geometric_noise(options_.epsilon / 2, double(options_.clip_wh)));
        c.noisy = true;
      } else if (shown && c.dataset == "daily") {
        c.percentiles = percentile_json(c.values, {10, 25, 50, 75, 90});
      } else if (shown && c.dataset == "comparator") {
        std::vector<int> ps;
        for (int p = 5; p <= 95; p += 5) ps.push_back(p);
        c.percentiles = percentile_json(c.values, ps);
      }
      c.mean = c.n ? double(c.total) / double(c.n) : 0;
      insert += std::string(insert.empty() ? "" : ",") + "(" + w.quote(c.dataset) + "," +
                w.quote(period) + "::date," + w.quote(c.area) + "," + w.quote(c.dimension) + "," +
                w.quote(c.grp) + "," + std::to_string(c.slot) + "," +
                (shown ? std::to_string(c.n) : "NULL") + "," +
                (shown ? std::to_string(c.total) : "NULL") + "," +
                (shown ? std::to_string(std::llround(c.mean)) : "NULL") + "," +
                (c.percentiles.empty() ? "NULL" : w.quote(c.percentiles)) + "," +
                w.quote(std::string(privacy::suppression_name(c.state))) + "," +
                (c.noisy ? "true" : "false") + ")";
    }
    w.exec_params("DELETE FROM published_cells WHERE period = $1::date", period);
    if (!insert.empty()) w.exec("INSERT INTO published_cells VALUES " + insert);
    if (noise)
      w.exec_params("INSERT INTO epsilon_ledger VALUES ('daily', $1::date, $2, $3, current_date)",
                    period, release, spend);
    return Status::ok();
  });
}

}  // namespace cw::hub
