// The inputs of the insight routes, validated at the edge into typed values. Pure functions (no
// I/O), so the fuzzer (fuzz/insight_params_fuzz.cc) can hammer them.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "core/status.h"
#include "store/insights.h"

namespace cw::web {

// ?state=open|acknowledged|closed|all (default: open and acknowledged), ?limit=1..1000 (100).
Result<store::AlertQuery> parse_alert_query(const httplib::Params& p);

// The body of PUT /api/v1/target: {"unit": "eur"|"kwh", "amount": "45.00"} (also inside
// {"target": {...}}) sets it; {"target": null} removes it (nullopt).
Result<std::optional<store::Target>> parse_target_body(const nlohmann::json& body, TimeMs now);

}  // namespace cw::web
