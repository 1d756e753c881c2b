// libFuzzer harness for the tariff inputs parsed by our own code: the household's tariff.toml,
// Tempo colour CSV imports, decimal prices and HH:MM windows. Every input must give a value or
// an error, never a crash. Built by scripts/fuzz.sh (CW_FUZZ, clang).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analytics/tariff_catalogue.h"
#include "analytics/tariff_settings.h"
#include "analytics/tempo_calendar.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cw::analytics;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto s = parse_settings_toml(in)) {
    if (auto t = resolve(*s, builtin_catalogue())) (void)period_names(*t);
    (void)parse_settings_toml(settings_toml(*s));
  }
  (void)parse_tempo_csv(in);
  (void)parse_micros(in);
  (void)parse_window(in);
  (void)parse_local_day(in);
  (void)parse_catalogue(in);
  return 0;
}
