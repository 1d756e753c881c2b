// The CitizenWatt 2014 prototype captures (see citizenwatt_sensor_samples/SOURCE.md).
#include <nlohmann/json.hpp>

#include "simulate/parse_util.h"
#include "simulate/recording.h"

namespace cw::simulate {
namespace {

constexpr TimeMs kSampleStepMs = 5 * kSecondMs;

bool plausible_supply(long long mv) {
  return mv >= 2000 && mv <= 4500;
}

}  // namespace

Result<Recording> parse_citizenwatt(std::string_view text, const ParseOptions& options) {
  Recording rec;
  rec.format = "citizenwatt";
  rec.nominal_step_ms = kSampleStepMs;
  detail::Lines lines(text);
  detail::RowChecker check(&rec.report, options);
  std::string_view line;
  while (lines.next(&line)) {
    if (line.empty()) continue;
    // Rows carry no time: row i is at start + 5 s × i, bad rows included (they were samples).
    TimeMs t = options.untimed_start + TimeMs(rec.report.lines) * kSampleStepMs;
    ++rec.report.lines;
    auto f = detail::split(line, ' ');
    long long w, mv;
    if (f.size() != 2 || !detail::parse_int(f[0], &w) || !detail::parse_int(f[1], &mv) || w < 0 ||
        w > 100000 || mv < 0 || mv > 65535) {
      Status st = check.bad(lines.number(), "expected 'power_W supply_mV'");
      if (!st) return st;
      continue;
    }
    PowerSample s;
    s.t = t;
    s.power_w = double(w);
    s.supply_mv = plausible_supply(mv) ? static_cast<std::uint16_t>(mv) : 0;
    rec.samples.push_back(s);
  }
  if (rec.samples.empty()) return invalid_argument("no 'power_W supply_mV' rows");
  return rec;
}

Result<Recording> parse_citizenwatt_json(std::string_view text, const ParseOptions& options) {
  Recording rec;
  rec.format = "citizenwatt_json";
  rec.nominal_step_ms = kSampleStepMs;
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("Serie") ||
      !doc["Serie"].is_array()) {
    return invalid_argument("not a CitizenWatt sample JSON ({\"Serie\": [...]})");
  }
  detail::RowChecker check(&rec.report, options, "record");
  std::size_t record = 0;
  for (const auto& r : doc["Serie"]) {
    ++record;  // numbered from 1
    ++rec.report.lines;
    auto num = [&](const char* k) {
      return r.is_object() && r.contains(k) && r[k].is_number_integer();
    };
    if (!num("measure") || !num("timestamp") || r["measure"].get<long long>() < 0) {
      Status st = check.bad(record, "record needs integer measure >= 0 and timestamp");
      if (!st) return st;
      continue;
    }
    TimeMs t = r["timestamp"].get<long long>() * kSecondMs;
    if (!check.increasing(t)) {
      Status st = check.bad(record, "time does not increase");
      if (!st) return st;
      continue;
    }
    check.accept(t);
    PowerSample s;
    s.t = t;
    long long w = r["measure"].get<long long>();
    s.power_w = double(w);
    long long mv = num("battery") ? r["battery"].get<long long>() : 0;
    s.supply_mv = plausible_supply(mv) && mv != w ? static_cast<std::uint16_t>(mv) : 0;
    rec.samples.push_back(s);
  }
  return rec;
}

}  // namespace cw::simulate
