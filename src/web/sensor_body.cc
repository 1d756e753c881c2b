#include "web/sensor_body.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "web/http_util.h"
#include "web/passwords.h"

namespace cw::web {

namespace {

Status only_members(const nlohmann::json& body, std::initializer_list<std::string_view> allowed) {
  if (!body.is_object()) return invalid_argument("the body must be a JSON object");
  for (const auto& [k, v] : body.items())
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      return invalid_argument("unknown member '" + k + "'");
  return Status::ok();
}

Result<std::string> sensor_name(const nlohmann::json& body) {
  auto name = string_member(body, "name");
  if (!name) return name.status();
  if (Status ok = check_username(*name); !ok) return invalid_argument("name: " + ok.message());
  return *name;
}

}  // namespace

Result<NewSensorRequest> parse_new_sensor(const nlohmann::json& body) {
  CW_RETURN_IF_ERROR(only_members(body, {"name", "id"}));
  auto name = sensor_name(body);
  if (!name) return name.status();
  NewSensorRequest out{*name, std::nullopt};
  if (auto it = body.find("id"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 65535)
      return invalid_argument("id must be an integer from 1 to 65535");
    out.id = SensorId(it->get<std::int64_t>());
  }
  return out;
}

Result<std::string> parse_sensor_rename(const nlohmann::json& body) {
  CW_RETURN_IF_ERROR(only_members(body, {"name"}));
  return sensor_name(body);
}

}  // namespace cw::web
