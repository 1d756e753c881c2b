// Query parameters of the JSON API, validated at the edge into typed values. Pure functions (no
// I/O), so the fuzzer (fuzz/json_params_fuzz.cc) can hammer them.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/calendar.h"
#include "core/sample.h"
#include "core/status.h"

namespace cw::web {

inline constexpr std::size_t kMaxPoints = 10000;

struct TimeRange {
  TimeMs from = 0;
  TimeMs to = 0;
};

// The first value of a parameter, if present.
std::optional<std::string> param(const httplib::Params& p, const char* name);

// from/to as ISO 8601 or epoch (parse_instant); to defaults to now, from to to - default_span.
// invalid_argument when either is malformed or from >= to.
Result<TimeRange> parse_range(const httplib::Params& p, TimeMs now, TimeMs default_span);

// A decimal integer in [min, max]; no sign, no exponent, no spaces.
Result<std::int64_t> parse_bounded(std::string_view text, std::int64_t min, std::int64_t max,
                                   const char* what);

// points: 1..10000, default 1000.
Result<std::size_t> parse_points(const httplib::Params& p);

// A sensor id 0..65535; not_found when out of range (no such sensor can exist).
Result<SensorId> parse_sensor_id(std::string_view text);

enum class SeriesUnit { kWatt, kWattHour };
Result<SeriesUnit> parse_unit(const httplib::Params& p);  // "W" (default) or "Wh"

// by: hour, day (default) or month.
Result<Period> parse_energy_period(const httplib::Params& p);

enum class ExportFormat { kCsv, kJson };
Result<ExportFormat> parse_export_format(const httplib::Params& p);  // csv (default) or json

}  // namespace cw::web
