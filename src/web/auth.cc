#include "web/auth.h"

#include <algorithm>
#include <cctype>

#include "web/access_policy.h"
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

std::variant<Principal, Denial> from_share(ServerState& s, const std::string& secret) {
  if (!s.ctx.security || secret.size() > 128) return unauthenticated("unknown share link");
  auto link = s.ctx.security->share_link_by_hash(sha256(secret));
  if (!link) {
    if (link.status().code() == Code::kNotFound) return unauthenticated("unknown share link");
    return Denial{500, "internal", link.status().message()};
  }
  if (s.ctx.clock.now() >= link->expires) return unauthenticated("this share link has expired");
  Principal p;
  p.kind = Principal::Kind::kShare;
  p.share = *link;
  return p;
}

Caller caller_of(const Principal& p) {
  using K = Principal::Kind;
  switch (p.kind) {
    case K::kNone:
      return Caller::kAnonymous;
    case K::kSession:
      return p.user->role == store::Role::kAdmin ? Caller::kAdmin : Caller::kMember;
    case K::kShare:
      return Caller::kShareLink;
    case K::kToken:
      break;
  }
  switch (p.token->scope) {
    case store::TokenScope::kWrite:
      return Caller::kWriteToken;
    case store::TokenScope::kIngest:
      return Caller::kIngestToken;
    default:
      return Caller::kReadToken;
  }
}

// Why a caller the table refuses is refused: the message says what would be accepted.
Denial refusal(Caller c, Access access) {
  if (c == Caller::kAnonymous)
    return unauthenticated("log in, or send 'Authorization: Bearer <token>'");
  if (access == Access::kIngest)
    return Denial{403, "insufficient_scope", "inputs take an API token of scope ingest"};
  if (c == Caller::kIngestToken)
    return Denial{403, "insufficient_scope", "this token may only post measurements"};
  if (c == Caller::kShareLink)
    return Denial{403, "insufficient_scope", "a share link may only read what it shares"};
  if (access == Access::kAdmin && c != Caller::kMember)
    return Denial{403, "admin_only", "accounts are managed from an admin's session only"};
  if (c == Caller::kMember) return Denial{403, "admin_only", "only an administrator may do this"};
  return Denial{403, "insufficient_scope", "this token may only read"};
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
  if (bearer && auth.rfind("Bearer " + std::string(kSharePrefix), 0) == 0) {
    who = from_share(s, auth.substr(7));
  } else if (bearer) {
    who = from_token(s, auth);
  } else if (req.method == "GET" && req.has_param("share")) {
    who = from_share(s, req.get_param_value("share"));
  } else if (std::string id = cookie_value(req, kSessionCookie); !id.empty()) {
    who = from_cookie(s, id);
  }
  if (std::holds_alternative<Denial>(who)) return who;
  const Caller c = caller_of(std::get<Principal>(who));
  if (!allowed(access, c)) return refusal(c, access);  // a refusal writes nothing
  if (const auto& t = std::get<Principal>(who).token) {
    const TimeMs now = s.ctx.clock.now();
    if (now - t->last_used >= kMinuteMs) (void)s.ctx.accounts.touch_token(t->id, now);
  }
  return who;
}

}  // namespace cw::web
