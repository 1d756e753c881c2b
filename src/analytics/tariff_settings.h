// The household's tariff settings (DATA/tariff.toml) and its own Tempo colours
// (DATA/tempo_days.csv). Both are written atomically (temp file, fsync, rename): a refused
// configuration leaves the previous file as it was. Format: docs/tariffs.md.
#pragma once

#include <string>
#include <vector>

#include "analytics/tariff.h"
#include "analytics/tariff_catalogue.h"
#include "analytics/tempo_calendar.h"

namespace cw::analytics {

struct TariffSettings {
  TariffOption option = TariffOption::kBase;
  int kva = 6;
  std::vector<OffPeakWindow> offpeak;
  std::vector<GridRule> grid;
  std::string grid_default = "hp";
  std::vector<PriceVersion> custom_prices;  // empty: the catalogue's regulated prices
  int billing_day = 1;
};

// The tariff the settings describe, validated: custom prices, or the catalogue's history of the
// option at that power (invalid_argument when the catalogue has none, e.g. Tempo at 24 kVA).
Result<Tariff> resolve(const TariffSettings& s, const Catalogue& catalogue);

Result<TariffSettings> parse_settings_toml(std::string_view text);
std::string settings_toml(const TariffSettings& s);

// Weekday names in grid rules: "mon".."sun".
Result<std::uint8_t> parse_weekdays(const std::vector<std::string>& names);
std::vector<std::string> weekday_names(std::uint8_t days);
// "22:00-06:00"
Result<OffPeakWindow> parse_window(std::string_view text);
std::string format_window(const OffPeakWindow& w);

// DATA/tariff.toml, or the default (Base 6 kVA, regulated prices) when absent or data_dir is
// empty. A file that no longer resolves is an error (corruption), never silently replaced.
Result<TariffSettings> load_settings(const std::string& data_dir);
// Resolves s first: a bad configuration is refused and the file stays.
Status save_settings(const std::string& data_dir, const TariffSettings& s,
                     const Catalogue& catalogue);

// The built-in colours plus DATA/tempo_days.csv.
Result<TempoCalendar> load_tempo(const std::string& data_dir);
// Adds colours to DATA/tempo_days.csv (a later import of a day replaces the earlier one).
// Returns the number of days the file then holds.
Result<std::size_t> import_tempo(const std::string& data_dir, const TempoDays& days);

// Writes path atomically: path.tmp, fsync, rename, fsync of the folder.
Status write_file_atomic(const std::string& path, const std::string& text);

}  // namespace cw::analytics
