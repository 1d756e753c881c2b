// Share links, the audit log, the TLS certificate's fingerprint and a user's own password.
#include <sodium.h>

#include "web/accounts_admin.h"
#include "web/http_util.h"
#include "web/params.h"
#include "web/passwords.h"
#include "web/routes.h"
#include "web/security_body.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

bool ready(ServerState& s, Response& res) {
  if (s.ctx.security) return true;
  send_error(res, 503, "unavailable", "share links and the audit log are not set up");
  return false;
}

json link_json(const store::ShareLink& l, TimeMs now) {
  return {{"id", l.id},
          {"name", l.name},
          {"created", format_iso_utc(l.created)},
          {"expires", format_iso_utc(l.expires)},
          {"expired", now >= l.expires}};
}

void get_links(ServerState& s, const Request&, Response& res, const Principal&) {
  if (!ready(s, res)) return;
  auto links = s.ctx.security->share_links();
  if (!links) return send_status(res, links.status());
  json list = json::array();
  for (const auto& l : *links) list.push_back(link_json(l, s.ctx.clock.now()));
  send_json(res, 200, {{"share_links", list}});
}

void post_link(ServerState& s, const Request& req, Response& res, const Principal&) {
  if (!ready(s, res)) return;
  auto body = json_body(req);
  if (!body) return send_status(res, body.status());
  auto r = parse_share_link_body(*body);
  if (!r) return send_status(res, r.status());
  const std::string secret = std::string(kSharePrefix) + random_secret();
  const TimeMs now = s.ctx.clock.now();
  auto l = s.ctx.security->add_share_link(r->name, sha256(secret), now, now + r->valid_ms);
  if (!l) return send_status(res, l.status());
  send_json(res, 201, {{"share_link", link_json(*l, now)}, {"secret", secret}});
}

void delete_link(ServerState& s, const Request& req, Response& res, const Principal&) {
  if (!ready(s, res)) return;
  auto id = parse_bounded(req.matches[1].str(), 1, INT64_MAX / 2, "id");
  if (!id) return send_error(res, 404, "not_found", "no such share link");
  if (Status st = s.ctx.security->remove_share_link(*id); !st) return send_status(res, st);
  send_json(res, 200, {{"ok", true}});
}

void get_audit(ServerState& s, const Request& req, Response& res, const Principal&) {
  if (!ready(s, res)) return;
  std::int64_t limit = 100, before = 0;
  if (auto t = param(req.params, "limit")) {
    auto v = parse_bounded(*t, 1, 1000, "limit");
    if (!v) return send_status(res, v.status());
    limit = *v;
  }
  if (auto t = param(req.params, "before")) {
    auto v = parse_bounded(*t, 1, INT64_MAX / 2, "before");
    if (!v) return send_status(res, v.status());
    before = *v;
  }
  auto events = s.ctx.security->recent(static_cast<std::size_t>(limit), before);
  if (!events) return send_status(res, events.status());
  json list = json::array();
  for (const auto& e : *events)
    list.push_back({{"id", e.id},
                    {"t", format_iso_utc(e.t)},
                    {"actor", e.actor},
                    {"address", e.address},
                    {"action", e.action},
                    {"detail", e.detail},
                    {"ok", e.ok}});
  send_json(res, 200, {{"events", list}});
}

void get_tls(ServerState& s, const Request&, Response& res, const Principal&) {
  send_json(
      res, 200,
      {{"enabled", s.options.tls},
       {"fingerprint_sha256",
        s.options.tls_fingerprint.empty() ? json(nullptr) : json(s.options.tls_fingerprint)}});
}

// Ends every session of the user (a thief's too) and opens a fresh one for this browser.
void post_password(ServerState& s, const Request& req, Response& res, const Principal& who) {
  if (who.kind != Principal::Kind::kSession)
    return send_error(res, 400, "invalid_argument", "only a logged-in user has a password");
  const TimeMs now = s.ctx.clock.now();
  if (TimeMs wait = s.login_throttle.retry_after(req.remote_addr, now); wait > 0) {
    res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
    return send_error(res, 429, "too_many_attempts", "too many wrong passwords: try again later");
  }
  auto body = json_body(req);
  if (!body) return send_status(res, body.status());
  auto change = parse_password_change(*body);
  if (!change) return send_status(res, change.status());
  auto user = s.ctx.accounts.user(who.user->id);
  if (!user) return send_status(res, user.status());
  if (!verify_password(change->current, user->password_hash)) {
    s.login_throttle.failed(req.remote_addr, now);
    return send_error(res, 403, "bad_credentials", "the current password is wrong");
  }
  if (Status st = set_password(s.ctx.accounts, user->name, change->replacement); !st)
    return send_status(res, st);
  auto o = open_session(s.ctx.accounts, *user, now, s.options.sessions);
  if (!o) return send_status(res, o.status());
  res.set_header("Set-Cookie",
                 session_cookie(o->id, s.options.sessions.absolute_ms, s.options.tls));
  send_json(res, 200, {{"ok", true}, {"expires", format_iso_utc(o->expires)}});
}

}  // namespace

std::vector<Route> security_routes(ServerState& s) {
  auto bind = [&s](auto fn) -> RouteHandler {
    return [&s, fn](const Request& q, Response& r, const Principal& p) { fn(s, q, r, p); };
  };
  return {
      {"GET", "/api/v1/share-links", Access::kAdmin, bind(get_links)},
      {"POST", "/api/v1/share-links", Access::kAdmin, bind(post_link)},
      {"DELETE", R"(/api/v1/share-links/(\d{1,18}))", Access::kAdmin, bind(delete_link)},
      {"GET", "/api/v1/audit", Access::kAdmin, bind(get_audit)},
      {"GET", "/api/v1/tls", Access::kPublic, bind(get_tls)},
      {"POST", "/api/v1/me/password", Access::kMember, bind(post_password)},
  };
}

}  // namespace cw::web
