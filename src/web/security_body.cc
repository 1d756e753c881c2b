#include "web/security_body.h"

#include "web/http_util.h"
#include "web/passwords.h"

namespace cw::web {

Result<ShareLinkRequest> parse_share_link_body(const nlohmann::json& body) {
  if (!body.is_object()) return invalid_argument("the body must be a JSON object");
  auto name = string_member(body, "name");
  if (!name) return name.status();
  CW_RETURN_IF_ERROR(check_username(*name));
  auto days = body.find("days");
  if (days == body.end() || !days->is_number_integer())
    return invalid_argument("'days' must be an integer");
  const auto d = days->get<std::int64_t>();
  if (d < 1 || d > kMaxShareDays)
    return invalid_argument("'days' must be 1 to " + std::to_string(kMaxShareDays));
  return ShareLinkRequest{*name, d * kDayMs};
}

Result<PasswordChange> parse_password_change(const nlohmann::json& body) {
  if (!body.is_object()) return invalid_argument("the body must be a JSON object");
  auto current = string_member(body, "current");
  if (!current) return current.status();
  auto replacement = string_member(body, "password");
  if (!replacement) return replacement.status();
  CW_RETURN_IF_ERROR(check_password(*replacement));
  return PasswordChange{*current, *replacement};
}

}  // namespace cw::web
