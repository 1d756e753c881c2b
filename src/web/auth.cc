#include "web/auth.h"

#include <algorithm>
#include <cctype>

#include "web/http_util.h"
#include "web/passwords.h"

namespace cw::web {

namespace {

bool is_state_changing(const std::string& m) {
  return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Denial unauthenticated(std::string message) {
  return {401, "unauthenticated", std::move(message)};
}

std::variant<Principal, Denial> from_token(ServerState& s, const std::string& header) {
  constexpr std::string_view kBearer = "Bearer ";
  if (header.rfind(kBearer, 0) != 0)
    return unauthenticated("only 'Authorization: Bearer <token>' is accepted");
  std::string secret = header.substr(kBearer.size());
  if (secret.rfind(kTokenPrefix, 0) != 0 || secret.size() > 128)
    return unauthenticated("malformed API token");
  auto token = s.ctx.accounts.token_by_hash(sha256(secret));
  if (!token) {
    if (token.status().code() == Code::kNotFound)
      return unauthenticated("unknown or revoked API token");
    return Denial{500, "internal", token.status().message()};
  }
  const TimeMs now = s.ctx.clock.now();
  if (now - token->last_used >= kMinuteMs) (void)s.ctx.accounts.touch_token(token->id, now);
  Principal p;
  p.kind = Principal::Kind::kToken;
  p.token = *token;
  return p;
}

std::variant<Principal, Denial> from_cookie(ServerState& s, const std::string& id) {
  auto user = resolve_session(s.ctx.accounts, id, s.ctx.clock.now(), s.options.sessions);
  if (!user) {
    if (user.status().code() == Code::kUnauthenticated)
      return unauthenticated(user.status().message());
    return Denial{500, "internal", user.status().message()};
  }
  Principal p;
  p.kind = Principal::Kind::kSession;
  p.user = *user;
  p.session_id = id;
  return p;
}

std::optional<Denial> check_access(const Principal& p, Access access) {
  using K = Principal::Kind;
  if (access == Access::kPublic) return std::nullopt;
  if (p.kind == K::kNone) return unauthenticated("log in, or send 'Authorization: Bearer <token>'");
  const bool ingest_token = p.kind == K::kToken && p.token->scope == store::TokenScope::kIngest;
  if (access == Access::kIngest) {
    // Inputs are posted with GET too (emoncms does): a session would make them a CSRF target.
    if (p.kind == K::kSession)
      return Denial{403, "insufficient_scope", "inputs take an API token of scope ingest"};
    if (p.token->scope == store::TokenScope::kRead)
      return Denial{403, "insufficient_scope", "this token may only read"};
    return std::nullopt;
  }
  if (ingest_token)
    return Denial{403, "insufficient_scope", "this token may only post measurements"};
  if (access == Access::kRead) return std::nullopt;
  if (access == Access::kWrite) {
    if (p.kind == K::kToken && p.token->scope != store::TokenScope::kWrite)
      return Denial{403, "insufficient_scope", "this token may only read"};
    return std::nullopt;
  }
  // kAdmin
  if (p.kind == K::kToken)
    return Denial{403, "admin_only", "accounts are managed from an admin's session only"};
  if (p.user->role != store::Role::kAdmin)
    return Denial{403, "admin_only", "only an administrator may do this"};
  return std::nullopt;
}

}  // namespace

bool same_origin(const httplib::Request& req) {
  const std::string origin = req.get_header_value("Origin");
  if (!origin.empty()) {
    std::size_t scheme = origin.find("://");
    if (scheme == std::string::npos) return false;  // includes the opaque origin "null"
    std::string host = req.get_header_value("Host");
    return !host.empty() && lower(origin.substr(scheme + 3)) == lower(host);
  }
  const std::string site = req.get_header_value("Sec-Fetch-Site");
  if (!site.empty()) return site == "same-origin";
  return !req.has_header("Cookie");
}

std::variant<Principal, Denial> authorize(ServerState& s, const httplib::Request& req,
                                          Access access) {
  std::string auth = req.get_header_value("Authorization");
  // emoncms clients (emonESP, IoTaWatt...) put their key in the query or the form body.
  if (auth.empty() && access == Access::kIngest && req.has_param("apikey"))
    auth = "Bearer " + req.get_param_value("apikey");
  const bool bearer = !auth.empty();
  if (!bearer && is_state_changing(req.method) && !same_origin(req))
    return Denial{403, "csrf_rejected",
                  "cross-site request refused: Origin must match Host (or use a Bearer token)"};
  if (access == Access::kPublic) return Principal{};

  std::variant<Principal, Denial> who = Principal{};
  if (bearer) {
    who = from_token(s, auth);
  } else if (std::string id = cookie_value(req, kSessionCookie); !id.empty()) {
    who = from_cookie(s, id);
  }
  if (std::holds_alternative<Denial>(who)) return who;
  if (auto denied = check_access(std::get<Principal>(who), access)) return *denied;
  return who;
}

}  // namespace cw::web
