#include "analytics/tariff_catalogue.h"

#include <toml++/toml.h>

#include <cstdlib>

namespace cw::analytics {

namespace detail {
extern const std::string_view k_catalogue_toml;
}

namespace {

Result<Micros> decimal(const toml::node* n, const std::string& where) {
  if (!n || !n->is_string()) return invalid_argument(where + ": price must be a decimal string");
  auto m = parse_micros(n->value<std::string>().value());
  if (!m) return invalid_argument(where + ": " + m.status().message());
  if (*m < 0) return invalid_argument(where + ": negative price");
  return m;
}

Result<CatalogueRow> parse_row(const toml::table& t, const std::string& where) {
  CatalogueRow row;
  auto sub = decimal(t.get("subscription"), where + " subscription");
  if (!sub) return sub.status();
  row.subscription = *sub;
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    if (k == "kva" || k == "subscription") continue;
    auto p = decimal(&node, where + " " + k);
    if (!p) return p.status();
    row.kwh[k] = *p;
  }
  return row;
}

Result<CatalogueVersion> parse_version(const toml::table& t, const std::string& where) {
  CatalogueVersion v;
  auto from = parse_local_day(t["from"].value_or(std::string()));
  if (!from) return invalid_argument(where + ": " + from.status().message());
  v.from = *from;
  if (auto to = t["to"].value<std::string>()) {
    auto d = parse_local_day(*to);
    if (!d) return invalid_argument(where + ": " + d.status().message());
    v.to = *d + 1;
  }
  v.source = t["source"].value_or(std::string());
  v.note = t["note"].value_or(std::string());
  v.date_confirmed = t["date_confirmed"].value_or(true);
  const std::string per = t["subscription_per"].value_or(std::string());
  if (per != "month" && per != "year") {
    return invalid_argument(where + ": subscription_per must be month or year");
  }
  v.yearly_subscription = per == "year";
  const toml::array* prices = t["prices"].as_array();
  if (!prices || prices->empty()) return invalid_argument(where + ": no prices");
  for (const auto& node : *prices) {
    const toml::table* row = node.as_table();
    const auto kva = row ? (*row)["kva"].value<int>() : std::nullopt;
    if (!kva || *kva < 1 || *kva > 36) return invalid_argument(where + ": a row has no valid kva");
    auto r = parse_row(*row, where + " " + std::to_string(*kva) + " kVA");
    if (!r) return r.status();
    v.by_kva[*kva] = std::move(*r);
  }
  return v;
}

}  // namespace

Result<Catalogue> parse_catalogue(std::string_view text) {
  toml::table root;
  try {  // toml++ reports syntax errors by exception; they stop here
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return invalid_argument("catalogue: " + std::string(e.description()) + " at line " +
                            std::to_string(e.source().begin.line));
  }
  Catalogue cat;
  if (const toml::table* sources = root["sources"].as_table()) {
    for (const auto& [id, node] : *sources) {
      const toml::table* s = node.as_table();
      cat.sources[std::string(id.str())] = s ? (*s)["from"].value_or(std::string()) : "";
    }
  }
  for (auto option : {TariffOption::kBase, TariffOption::kHpHc, TariffOption::kTempo}) {
    const std::string name = option_name(option);
    const toml::array* list = root[name].as_array();
    if (!list) continue;
    auto& out = cat.options[option];
    for (const auto& node : *list) {
      const std::string where = name + " entry " + std::to_string(out.size() + 1);
      if (!node.is_table()) return invalid_argument(where + " is not a table");
      auto v = parse_version(*node.as_table(), where);
      if (!v) return v.status();
      if (!cat.sources.count(v->source)) {
        return invalid_argument(where + ": unknown source '" + v->source + "'");
      }
      if (!out.empty() && out.back().to > v->from) {
        return invalid_argument(where + ": starts before the previous entry ends");
      }
      out.push_back(std::move(*v));
    }
  }
  return cat;
}

std::vector<PriceVersion> Catalogue::history(TariffOption option, int kva) const {
  std::vector<PriceVersion> out;
  auto it = options.find(option);
  if (it == options.end()) return out;
  for (const CatalogueVersion& v : it->second) {
    auto row = v.by_kva.find(kva);
    if (row == v.by_kva.end()) continue;
    out.push_back(
        {v.from, v.to, v.source, v.yearly_subscription, row->second.subscription, row->second.kwh});
  }
  return out;
}

std::vector<int> Catalogue::powers(TariffOption option) const {
  std::vector<int> out;
  auto it = options.find(option);
  if (it == options.end() || it->second.empty()) return out;
  for (const auto& [kva, row] : it->second.back().by_kva) out.push_back(kva);
  return out;
}

std::string_view builtin_catalogue_text() {
  return detail::k_catalogue_toml;
}

const Catalogue& builtin_catalogue() {
  static const Catalogue cat = [] {
    auto c = parse_catalogue(detail::k_catalogue_toml);
    if (!c) {  // the file is checked by the tests: a broken build, not a user error
      std::fprintf(stderr, "built-in tariff catalogue: %s\n", c.status().to_string().c_str());
      std::abort();
    }
    return std::move(*c);
  }();
  return cat;
}

}  // namespace cw::analytics
