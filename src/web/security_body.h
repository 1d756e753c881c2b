// Request bodies of the security routes (routes_security.cc), parsed at the edge into typed
// values. Pure functions (no I/O), so the fuzzer (fuzz/security_body_fuzz.cc) can hammer them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "core/time.h"

namespace cw::web {

inline constexpr int kMaxShareDays = 366;

struct ShareLinkRequest {
  std::string name;  // user name rules (passwords.h)
  TimeMs valid_ms = 0;
};
// {"name": "for the energy advisor", "days": 1..366}
Result<ShareLinkRequest> parse_share_link_body(const nlohmann::json& body);

struct PasswordChange {
  std::string current, replacement;
};
// {"current": "...", "password": "..."}: the new password follows check_password.
Result<PasswordChange> parse_password_change(const nlohmann::json& body);

}  // namespace cw::web
