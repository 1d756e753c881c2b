// /open/v1: the public read API and the open datasets (docs/hub.md). Only published cells are
// read here; a suppressed cell comes with its reason and no value.
#include <httplib.h>

#include <regex>

#include "hub/hub_server.h"
#include "web/http_util.h"

namespace cw::hub {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

constexpr const char* kLicence = "Licence Ouverte 2.0 (Etalab)";
constexpr const char* kLicenceUrl = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

const json& dictionary() {
  static const json d = {
      {"licence", kLicence},
      {"licence_url", kLicenceUrl},
      {"datasets",
       {{{"name", "daily"},
         {"path", "/open/v1/daily"},
         {"description",
          "Electricity used per local day by contributing households, per area and group"}},
        {{"name", "load_curve"},
         {"path", "/open/v1/load_curve"},
         {"description",
          "Electricity used per half-hour of the local day (households who chose it)"}},
        {{"name", "comparator"},
         {"path", "/open/v1/distribution"},
         {"description", "Percentiles of the daily electricity per area and household size"}},
        {{"name", "challenges"},
         {"path", "/open/v1/challenges"},
         {"description", "A neighbourhood's daily electricity against its own last year"}}}},
      {"fields",
       {{"period", "local day (Europe/Paris by default), YYYY-MM-DD"},
        {"area",
         "INSEE code of the commune or arrondissement; * the whole hub; unknown: not given"},
        {"dimension", "all, household_size, heating or dwelling"},
        {"group", "the dimension's value (* for all; unknown: not given)"},
        {"slot", "half-hour of the local day from 0 (load_curve only; a DST day has 46 or 50)"},
        {"households", "contributions in the cell (one per household and day)"},
        {"total_wh", "sum of the contributions, Wh (each rounded to 10 Wh at home)"},
        {"mean_wh", "total_wh / households, Wh"},
        {"percentiles", "list of {p, wh}, interpolated (type 7); null when noise is on"},
        {"suppressed",
         "why no value is given: fewer_than_k, dominance (one household above 85 % "
         "of the total), secondary (would reveal a suppressed cell), epsilon_budget (the "
         "day's noise budget is spent); null when shown"},
        {"noisy",
         "true when households and total_wh carry discrete Laplace noise (see "
         "/open/v1/epsilon)"}}}};
  return d;
}

json cell_json(const pqxx::row& r) {
  json c = {{"period", r[0].as<std::string>()},
            {"area", r[1].as<std::string>()},
            {"dimension", r[2].as<std::string>()},
            {"group", r[3].as<std::string>()}};
  if (r[4].as<int>() >= 0) c["slot"] = r[4].as<int>();
  const std::string suppressed = r[9].as<std::string>();
  c["households"] = r[5].is_null() ? json(nullptr) : json(r[5].as<std::int64_t>());
  c["total_wh"] = r[6].is_null() ? json(nullptr) : json(r[6].as<std::int64_t>());
  c["mean_wh"] = r[7].is_null() ? json(nullptr) : json(r[7].as<double>());
  c["percentiles"] = r[8].is_null() ? json(nullptr) : json::parse(r[8].as<std::string>());
  c["suppressed"] = suppressed.empty() ? json(nullptr) : json(suppressed);
  c["noisy"] = r[10].as<bool>();
  return c;
}

struct Query {
  std::string dataset, from, to, area, dimension, grp;
};

Result<std::vector<json>> read_cells(HubContext& ctx, const Query& q) {
  std::vector<json> out;
  Status s = with_txn(ctx.db.pool(), [&](pqxx::work& w) {
    auto r = w.exec_params(
        "SELECT period::text, area, dimension, grp, slot, n, total_wh, mean_wh, percentiles, "
        "suppressed, noisy FROM published_cells WHERE dataset = $1 AND period BETWEEN $2::date "
        "AND $3::date AND ($4 = '' OR area = $4) AND ($5 = '' OR dimension = $5) AND "
        "($6 = '' OR grp = $6) ORDER BY period, area, dimension, grp, slot LIMIT 200000",
        q.dataset, q.from, q.to, q.area, q.dimension, q.grp);
    for (const auto& row : r) out.push_back(cell_json(row));
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

bool valid_day(const std::string& d) {
  static const std::regex re(R"(\d{4}-\d{2}-\d{2})");
  return std::regex_match(d, re);
}

// from/to or period, default: the last 30 days; at most 366 days.
Status read_range(HubContext& ctx, const Request& req, Query& q) {
  const std::string t = today(ctx);
  q.from = req.has_param("period") ? req.get_param_value("period") : req.get_param_value("from");
  q.to = req.has_param("period") ? q.from : req.get_param_value("to");
  auto t0 = privacy::parse_day(ctx.calendar, t);
  if (q.to.empty()) q.to = t;
  if (q.from.empty()) q.from = privacy::format_day(ctx.calendar, *t0 - 30 * kDayMs);
  auto a = privacy::parse_day(ctx.calendar, q.from), b = privacy::parse_day(ctx.calendar, q.to);
  if (!valid_day(q.from) || !valid_day(q.to) || !a || !b || *a > *b)
    return invalid_argument("from/to (or period) must be days YYYY-MM-DD, from <= to");
  if (*b - *a > 366 * kDayMs) return invalid_argument("at most 366 days at once");
  q.area = req.get_param_value("area");
  q.dimension = req.get_param_value("dimension");
  return Status::ok();
}

std::string csv_field(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

void send_cells(const Request& req, Response& res, const std::string& dataset,
                const std::vector<json>& cells, bool csv) {
  res.set_header("X-Licence", kLicence);
  if (!csv)
    return web::send_json(res, 200,
                          {{"dataset", dataset},
                           {"licence", kLicence},
                           {"licence_url", kLicenceUrl},
                           {"dictionary", "/open/v1/datasets"},
                           {"cells", cells}});
  std::string out =
      "period,area,dimension,group,slot,households,total_wh,mean_wh,p10,p25,p50,p75,p90,suppressed,"
      "noisy\n";
  for (const json& c : cells) {
    std::string p[5];
    if (c["percentiles"].is_array())
      for (const auto& x : c["percentiles"])
        for (int i = 0, ps[5] = {10, 25, 50, 75, 90}; i < 5; ++i)
          if (x["p"] == ps[i]) p[i] = x["wh"].dump();
    out += csv_field(c["period"]) + "," + csv_field(c["area"]) + "," + csv_field(c["dimension"]) +
           "," + csv_field(c["group"]) + "," + csv_field(c.value("slot", json())) + "," +
           csv_field(c["households"]) + "," + csv_field(c["total_wh"]) + "," +
           csv_field(c["mean_wh"]) + "," + p[0] + "," + p[1] + "," + p[2] + "," + p[3] + "," +
           p[4] + "," + csv_field(c["suppressed"]) + "," + csv_field(c["noisy"]) + "\n";
  }
  (void)req;
  res.set_header("Content-Disposition", "attachment; filename=\"citizenwatt-" + dataset + ".csv\"");
  res.set_content(out, "text/csv; charset=utf-8");
}

void dataset_route(httplib::Server& http, HubContext& ctx, const std::string& path,
                   const std::string& dataset) {
  auto handler = [&ctx, dataset](const Request& req, Response& res, bool csv) {
    Query q{dataset};
    if (Status s = read_range(ctx, req, q); !s) return web::send_status(res, s);
    q.grp = req.get_param_value("household_size");
    if (!q.grp.empty()) q.dimension = "household_size";
    auto cells = read_cells(ctx, q);
    if (!cells) return web::send_status(res, cells.status());
    send_cells(req, res, dataset, *cells, csv);
  };
  http.Get(path, [handler](const Request& req, Response& res) { handler(req, res, false); });
  http.Get(path + ".json",
           [handler](const Request& req, Response& res) { handler(req, res, false); });
  http.Get(path + ".csv",
           [handler](const Request& req, Response& res) { handler(req, res, true); });
}

// A neighbourhood against itself: mean daily energy per household over the last 7 published
// days, and over the same weekdays 52 weeks earlier.
void challenges(HubContext& ctx, const Request& req, Response& res) {
  const std::string area = req.has_param("area") ? req.get_param_value("area") : "*";
  json out;
  Status s = with_txn(ctx.db.pool(), [&](pqxx::work& w) {
    auto recent = w.exec_params(
        "SELECT period::text, mean_wh FROM published_cells WHERE dataset = 'challenges' AND area = "
        "$1 "
        "AND suppressed = '' AND period < $2::date ORDER BY period DESC LIMIT 7",
        area, today(ctx));
    double now_sum = 0, then_sum = 0;
    int then_n = 0;
    json days = json::array();
    for (const auto& r : recent) {
      now_sum += r[1].as<double>();
      auto before = w.exec_params(
          "SELECT mean_wh FROM published_cells WHERE dataset = 'challenges' AND area = $1 AND "
          "suppressed = '' AND period = $2::date - 364",
          area, r[0].as<std::string>());
      json d = {{"period", r[0].as<std::string>()},
                {"mean_wh", r[1].as<double>()},
                {"last_year_mean_wh", nullptr}};
      if (!before.empty()) {
        then_sum += before[0][0].as<double>();
        ++then_n;
        d["last_year_mean_wh"] = before[0][0].as<double>();
      }
      days.push_back(d);
    }
    const int n = static_cast<int>(recent.size());
    out = {{"area", area},
           {"days", days},
           {"licence", kLicence},
           {"mean_daily_wh", n ? json(now_sum / n) : json(nullptr)},
           {"saving",
            n && then_n == n && then_sum > 0 ? json(1.0 - now_sum / then_sum) : json(nullptr)}};
    return Status::ok();
  });
  if (!s) return web::send_status(res, s);
  web::send_json(res, 200, out);
}

}  // namespace

void add_open_routes(httplib::Server& http, HubContext& ctx) {
  http.Get("/open/v1/datasets",
           [](const Request&, Response& res) { web::send_json(res, 200, dictionary()); });
  dataset_route(http, ctx, "/open/v1/daily", "daily");
  dataset_route(http, ctx, "/open/v1/load_curve", "load_curve");
  dataset_route(http, ctx, "/open/v1/distribution", "comparator");
  // For bases: every area's distributions of the last 30 days in one answer, so that what a
  // base downloads says nothing of where it is.
  http.Get("/open/v1/comparator", [&ctx](const Request&, Response& res) {
    Query q{"comparator"};
    auto t0 = privacy::parse_day(ctx.calendar, today(ctx));
    q.from = privacy::format_day(ctx.calendar, *t0 - 30 * kDayMs);
    q.to = today(ctx);
    auto cells = read_cells(ctx, q);
    if (!cells) return web::send_status(res, cells.status());
    json out = json::array();
    for (json& c : *cells) {
      if (!c["suppressed"].is_null()) continue;
      out.push_back({{"period", c["period"]},
                     {"area", c["area"] == "*" ? "" : c["area"]},
                     {"household_size", c["group"] == "*" ? "" : c["group"]},
                     {"n", c["households"]},
                     {"percentiles", c["percentiles"]}});
    }
    web::send_json(res, 200, {{"licence", kLicence}, {"cells", out}});
  });
  http.Get("/open/v1/challenges",
           [&ctx](const Request& req, Response& res) { challenges(ctx, req, res); });
  http.Get("/open/v1/epsilon", [&ctx](const Request&, Response& res) {
    json rows = json::array();
    Status s = with_txn(ctx.db.pool(), [&](pqxx::work& w) {
      for (const auto& r :
           w.exec("SELECT dataset, period::text, release, epsilon, released_on::text "
                  "FROM epsilon_ledger ORDER BY period, release"))
        rows.push_back({{"dataset", r[0].as<std::string>()},
                        {"period", r[1].as<std::string>()},
                        {"release", r[2].as<int>()},
                        {"epsilon", r[3].as<double>()},
                        {"released_on", r[4].as<std::string>()}});
      return Status::ok();
    });
    if (!s) return web::send_status(res, s);
    web::send_json(res, 200, {{"ledger", rows}});
  });
}

}  // namespace cw::hub
