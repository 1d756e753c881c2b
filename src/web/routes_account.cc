// Setup, login, logout, me, and the admin's users and tokens.
#include "web/accounts_admin.h"
#include "web/audit.h"
#include "web/http_util.h"
#include "web/routes.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

json user_json(const store::User& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"role", store::role_name(u.role)},
          {"created", format_iso_utc(u.created)}};
}

json token_json(const store::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"scope", store::scope_name(t.scope)},
          {"created", format_iso_utc(t.created)},
          {"last_used", t.last_used ? json(format_iso_utc(t.last_used)) : json(nullptr)}};
}

struct Credentials {
  std::string username, password;
};

Result<Credentials> credentials(const Request& req) {
  auto body = json_body(req);
  if (!body) return body.status();
  auto name = string_member(*body, "username");
  if (!name) return name.status();
  auto password = string_member(*body, "password");
  if (!password) return password.status();
  return Credentials{*name, *password};
}

void opened(ServerState& s, const Request& req, Response& res, const OpenedSession& o, int status) {
  // Rotation: an id the browser held before this login never stays valid after it.
  if (std::string old = cookie_value(req, kSessionCookie); !old.empty())
    (void)close_session(s.ctx.accounts, old);
  res.set_header("Set-Cookie", session_cookie(o.id, s.options.sessions.absolute_ms, s.options.tls));
  send_json(res, status, {{"user", user_json(o.user)}, {"expires", format_iso_utc(o.expires)}});
}

void get_setup(ServerState& s, const Request&, Response& res, const Principal&) {
  auto n = s.ctx.accounts.user_count();
  if (!n) return send_status(res, n.status());
  send_json(res, 200, {{"needed", *n == 0}});
}

void post_setup(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto setup_done = [&] {
    send_error(res, 409, "setup_done", "this base station already has an administrator");
  };
  auto n = s.ctx.accounts.user_count();
  if (!n) return send_status(res, n.status());
  if (*n > 0) return setup_done();
  auto c = credentials(req);
  if (!c) return send_status(res, c.status());
  const TimeMs now = s.ctx.clock.now();
  auto user = create_user(s.ctx.accounts, c->username, c->password, store::Role::kAdmin, now,
                          /*only_if_none=*/true);
  if (!user)
    return user.status().code() == Code::kAlreadyExists ? setup_done()
                                                        : send_status(res, user.status());
  audit(s, req, user->name, "setup", "first administrator created", true);
  auto o = open_session(s.ctx.accounts, *user, now, s.options.sessions);
  if (!o) return send_status(res, o.status());
  opened(s, req, res, *o, 201);
}

void post_login(ServerState& s, const Request& req, Response& res, const Principal&) {
  const TimeMs now = s.ctx.clock.now();
  auto too_many = [&](TimeMs wait, const char* message) {
    res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
    send_error(res, 429, "too_many_attempts", message);
  };
  if (TimeMs wait = s.login_throttle.retry_after(req.remote_addr, now); wait > 0)
    return too_many(wait, "too many failed logins from this address: try again later");
  auto c = credentials(req);
  if (!c) return send_status(res, c.status());
  const std::string account = "user:" + c->username;
  const bool known_here = s.account_throttle.trusted(c->username + "\n" + req.remote_addr);
  if (TimeMs wait = s.account_throttle.retry_after(account, now); wait > 0 && !known_here)
    return too_many(wait, "too many failed logins to this account: try again later");
  auto o = login(s.ctx.accounts, c->username, c->password, now, s.options.sessions);
  if (!o) {
    if (o.status().code() != Code::kUnauthenticated) return send_status(res, o.status());
    s.login_throttle.failed(req.remote_addr, now);
    s.account_throttle.failed(account, now);
    audit(s, req, c->username, "login_failed", "wrong user name or password", false);
    return send_error(res, 401, "bad_credentials", o.status().message());
  }
  s.login_throttle.succeeded(req.remote_addr);
  s.account_throttle.succeeded(account);
  s.account_throttle.trust(c->username + "\n" + req.remote_addr);
  audit(s, req, o->user.name, "login", "", true);
  opened(s, req, res, *o, 200);
}

void post_logout(ServerState& s, const Request&, Response& res, const Principal& who) {
  if (who.kind == Principal::Kind::kSession) {
    Status st = close_session(s.ctx.accounts, who.session_id);
    if (!st) return send_status(res, st);
    res.set_header("Set-Cookie", session_cookie("", 0, s.options.tls));
  }
  send_json(res, 200, {{"ok", true}});
}

void get_me(ServerState&, const Request&, Response& res, const Principal& who) {
  if (who.kind == Principal::Kind::kToken)
    return send_json(res, 200, {{"kind", "token"}, {"token", token_json(*who.token)}});
  send_json(res, 200, {{"kind", "session"}, {"user", user_json(*who.user)}});
}

void get_users(ServerState& s, const Request&, Response& res, const Principal&) {
  auto users = s.ctx.accounts.users();
  if (!users) return send_status(res, users.status());
  json list = json::array();
  for (const auto& u : *users) list.push_back(user_json(u));
  send_json(res, 200, {{"users", list}});
}

void post_user(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto c = credentials(req);
  if (!c) return send_status(res, c.status());
  auto body = json_body(req);
  auto role_text = body->contains("role") ? string_member(*body, "role") : std::string("member");
  if (!role_text) return send_status(res, role_text.status());
  auto role = store::parse_role(*role_text);
  if (!role) return send_status(res, role.status());
  auto user = create_user(s.ctx.accounts, c->username, c->password, *role, s.ctx.clock.now());
  if (!user) return send_status(res, user.status());
  send_json(res, 201, {{"user", user_json(*user)}});
}

void get_tokens(ServerState& s, const Request&, Response& res, const Principal&) {
  auto tokens = list_tokens(s.ctx.accounts);
  if (!tokens) return send_status(res, tokens.status());
  json list = json::array();
  for (const auto& t : *tokens) list.push_back(token_json(t));
  send_json(res, 200, {{"tokens", list}});
}

void post_token(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto body = json_body(req);
  if (!body) return send_status(res, body.status());
  auto name = string_member(*body, "name");
  if (!name) return send_status(res, name.status());
  auto scope_text = string_member(*body, "scope");
  if (!scope_text) return send_status(res, scope_text.status());
  auto scope = store::parse_scope(*scope_text);
  if (!scope) return send_status(res, scope.status());
  auto t = create_token(s.ctx.accounts, *name, *scope, s.ctx.clock.now());
  if (!t) return send_status(res, t.status());
  send_json(res, 201, {{"token", token_json(t->token)}, {"secret", t->secret}});
}

void delete_token(ServerState& s, const Request& req, Response& res, const Principal&) {
  std::int64_t id = 0;
  try {
    id = std::stoll(req.matches[1].str());
  } catch (const std::exception&) {
    return send_error(res, 404, "not_found", "no such token");
  }
  Status st = revoke_token(s.ctx.accounts, id);
  if (!st) return send_status(res, st);
  send_json(res, 200, {{"ok", true}});
}

}  // namespace

std::vector<Route> account_routes(ServerState& s) {
  auto bind = [&s](auto fn) -> RouteHandler {
    return [&s, fn](const Request& q, Response& r, const Principal& p) { fn(s, q, r, p); };
  };
  return {
      {"GET", "/api/v1/setup", Access::kPublic, bind(get_setup)},
      {"POST", "/api/v1/setup", Access::kPublic, bind(post_setup)},
      {"POST", "/api/v1/login", Access::kPublic, bind(post_login)},
      {"POST", "/api/v1/logout", Access::kMember, bind(post_logout)},
      {"GET", "/api/v1/me", Access::kRead, bind(get_me)},
      {"GET", "/api/v1/users", Access::kAdmin, bind(get_users)},
      {"POST", "/api/v1/users", Access::kAdmin, bind(post_user)},
      {"GET", "/api/v1/tokens", Access::kAdmin, bind(get_tokens)},
      {"POST", "/api/v1/tokens", Access::kAdmin, bind(post_token)},
      {"DELETE", R"(/api/v1/tokens/(\d{1,18}))", Access::kAdmin, bind(delete_token)},
  };
}

}  // namespace cw::web
