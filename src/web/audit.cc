#include "web/audit.h"

#include <spdlog/spdlog.h>

#include <string_view>

namespace cw::web {

namespace {

// Stable action names for the routes an admin looks for in the log; others are "change".
std::string action_for(const Route& r) {
  static const struct {
    const char* method;
    const char* pattern_start;
    const char* action;
  } kActions[] = {
      {"POST", "/api/v1/users", "user_created"},
      {"POST", "/api/v1/me/password", "password_changed"},
      {"POST", "/api/v1/tokens", "token_created"},
      {"DELETE", "/api/v1/tokens/", "token_revoked"},
      {"POST", "/api/v1/share-links", "share_link_created"},
      {"DELETE", "/api/v1/share-links/", "share_link_revoked"},
      {"POST", "/api/v1/sensors", "sensor_paired"},
      {"PATCH", "/api/v1/sensors/", "sensor_changed"},
      {"DELETE", "/api/v1/sensors/", "sensor_removed"},
      {"PUT", "/api/v1/tariff", "settings_changed"},
      {"POST", "/api/v1/tariff/tempo", "settings_changed"},
      {"PUT", "/api/v1/target", "target_changed"},
      {"PUT", "/api/v1/privacy/consent", "consent_changed"},
      {"DELETE", "/api/v1/privacy/consent", "consent_revoked"},
      {"PUT", "/api/v1/privacy/", "privacy_settings_changed"},
      {"POST", "/api/v1/logout", "logout"},
  };
  for (const auto& a : kActions)
    if (r.method == a.method && r.pattern.rfind(a.pattern_start, 0) == 0) return a.action;
  return "change";
}

}  // namespace

std::string actor_of(const Principal& p) {
  switch (p.kind) {
    case Principal::Kind::kSession:
      return p.user->name;
    case Principal::Kind::kToken:
      return "token:" + p.token->name;
    case Principal::Kind::kShare:
      return "share:" + p.share->name;
    case Principal::Kind::kNone:
      break;
  }
  return "";
}

void audit(ServerState& s, const httplib::Request& req, const std::string& actor,
           const std::string& action, const std::string& detail, bool ok) {
  if (!s.ctx.security) return;
  store::AuditEvent e{0, s.ctx.clock.now(), actor, req.remote_addr, action, detail, ok};
  if (Status st = s.ctx.security->append(e); !st)
    spdlog::warn("web: cannot write the audit log: {}", st.to_string());
}

void audit_change(ServerState& s, const httplib::Request& req, const httplib::Response& res,
                  const Route& route, const Principal& who) {
  if (route.method == "GET" || route.access == Access::kIngest || res.status >= 400) return;
  if (route.pattern == "/api/v1/login" || route.pattern == "/api/v1/setup") return;
  audit(s, req, actor_of(who), action_for(route),
        route.method + " " + req.path + " -> " + std::to_string(res.status), true);
}

}  // namespace cw::web
