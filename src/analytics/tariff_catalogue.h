// The catalogue of regulated prices (data/tariffs/catalogue.toml, compiled in): every option's
// price history per subscribed power, each version with its source. Format: docs/tariffs.md.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/tariff.h"

namespace cw::analytics {

struct CatalogueRow {
  Micros subscription = 0;            // per month, or per year when the version is yearly
  std::map<std::string, Micros> kwh;  // period name → µ€/kWh
};

struct CatalogueVersion {
  LocalDay from = 0;
  LocalDay to = kOpenEnd;  // exclusive (the file's `to` is the last day, inclusive)
  std::string source;
  std::string note;
  bool yearly_subscription = false;
  bool date_confirmed = true;
  std::map<int, CatalogueRow> by_kva;
};

struct Catalogue {
  std::map<TariffOption, std::vector<CatalogueVersion>> options;  // sorted, not overlapping
  std::map<std::string, std::string> sources;                     // id → where from

  // The price history of an option at one power (versions that list it), oldest first.
  std::vector<PriceVersion> history(TariffOption option, int kva) const;
  // The powers the newest version of an option lists.
  std::vector<int> powers(TariffOption option) const;
};

// Parses a catalogue; invalid_argument names the entry at fault (unknown source, bad decimal,
// overlapping versions, negative price).
Result<Catalogue> parse_catalogue(std::string_view toml_text);

// The compiled-in catalogue (data/tariffs/catalogue.toml), parsed once.
const Catalogue& builtin_catalogue();
std::string_view builtin_catalogue_text();

}  // namespace cw::analytics
