// Bodies of the admin's sensor routes (POST /api/v1/sensors, PATCH /api/v1/sensors/{id}),
// validated at the edge into typed values. Pure functions (no I/O), so the fuzzer
// (fuzz/sensor_body_fuzz.cc) can hammer them; a bad body is invalid_argument, never a throw.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/sample.h"
#include "core/status.h"

namespace cw::web {

struct NewSensorRequest {
  std::string name;
  std::optional<SensorId> id;  // absent: the store picks the lowest free one
};

// {"name": ..., "id"?: 1..65535}; any other member is refused, so a misspelt field is an error.
// Names follow the user-name rules (passwords.h: 1-64 bytes of UTF-8, no control characters,
// no leading or trailing space).
Result<NewSensorRequest> parse_new_sensor(const nlohmann::json& body);

// {"name": ...} and nothing else.
Result<std::string> parse_sensor_rename(const nlohmann::json& body);

}  // namespace cw::web
