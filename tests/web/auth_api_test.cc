// Setup, login, sessions, tokens, CSRF and the access level of every route, over real HTTP.
#include "web_fixture.h"

namespace cw::web::testing {
namespace {

using store::Role;
using store::TokenScope;

std::string set_cookie_id(const httplib::Result& r) {
  std::string c = r->get_header_value("Set-Cookie");
  auto eq = c.find('=');
  return c.substr(eq + 1, c.find(';') - eq - 1);
}

std::string credentials(const std::string& name, const std::string& password) {
  return json{{"username", name}, {"password", password}}.dump();
}

class AuthApiTest : public WebTest {};

TEST_F(AuthApiTest, SetupCreatesTheAdminOnceAndLogsIn) {
  auto c = client();
  EXPECT_EQ(body_json(c->Get("/api/v1/setup"))["needed"], true);
  expect_error(c->Post("/api/v1/setup", credentials("alice", "short"), "application/json"), 400,
               "invalid_argument");
  EXPECT_EQ(body_json(c->Get("/api/v1/setup"))["needed"], true);  // nothing changed

  auto r = c->Post("/api/v1/setup", credentials("alice", kAdminPassword), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body_json(r)["user"]["role"], "admin");
  const std::string sid = set_cookie_id(r);
  EXPECT_EQ(sid.size(), 43u);

  auto me = c->Get("/api/v1/me", {{"Cookie", "cw_session=" + sid}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(body_json(me)["user"]["name"], "alice");

  EXPECT_EQ(body_json(c->Get("/api/v1/setup"))["needed"], false);
  expect_error(c->Post("/api/v1/setup", credentials("mallory", kAdminPassword), "application/json"),
               409, "setup_done");
  EXPECT_EQ(accounts_->user_count().value(), 1);
}

TEST_F(AuthApiTest, LoginSetsAHardenedCookieAndLogoutEndsTheSession) {
  make_user("alice", Role::kAdmin);
  auto c = client();
  expect_error(c->Post("/api/v1/login", credentials("alice", "wrong password"), "application/json"),
               401, "bad_credentials");
  expect_error(c->Post("/api/v1/login", credentials("nobody", kAdminPassword), "application/json"),
               401, "bad_credentials");
  expect_error(c->Post("/api/v1/login", "{not json", "application/json"), 400);
  expect_error(c->Post("/api/v1/login", credentials("alice", kAdminPassword), "text/plain"), 400);

  auto r = c->Post("/api/v1/login", credentials("alice", kAdminPassword), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Max-Age=2592000"), std::string::npos) << cookie;
  const std::string sid = set_cookie_id(r);

  ASSERT_EQ(c->Get("/api/v1/me", browser(sid))->status, 200);
  auto out = c->Post("/api/v1/logout", browser(sid), "", "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200) << out->body;
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  expect_error(c->Get("/api/v1/me", browser(sid)), 401, "unauthenticated");
}

TEST_F(AuthApiTest, LoginRotatesTheSessionId) {
  make_user("alice", Role::kAdmin);
  auto c = client();
  auto first = c->Post("/api/v1/login", credentials("alice", kAdminPassword), "application/json");
  const std::string old_sid = set_cookie_id(first);
  auto second = c->Post("/api/v1/login", browser(old_sid), credentials("alice", kAdminPassword),
                        "application/json");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 200) << second->body;
  const std::string new_sid = set_cookie_id(second);
  EXPECT_NE(new_sid, old_sid);
  expect_error(c->Get("/api/v1/me", browser(old_sid)), 401);
  EXPECT_EQ(c->Get("/api/v1/me", browser(new_sid))->status, 200);
}

TEST_F(AuthApiTest, RepeatedFailedLoginsAreThrottled) {
  make_user("alice", Role::kAdmin);
  auto c = client();
  auto guess = [&](int i) {
    return c->Post("/api/v1/login", credentials("alice", "guess number " + std::to_string(i)),
                   "application/json");
  };
  for (int i = 0; i < 5; ++i) expect_error(guess(i), 401, "bad_credentials");  // free
  // Then each failure doubles the wait: 2 s, 4 s, 8 s... up to 15 min, never more.
  TimeMs expected = 2 * kSecondMs;
  for (int i = 5; i < 20; ++i) {
    expect_error(guess(i), 401, "bad_credentials");
    auto r = c->Post("/api/v1/login", credentials("alice", kAdminPassword), "application/json");
    expect_error(r, 429, "too_many_attempts");
    EXPECT_EQ(r->get_header_value("Retry-After"), std::to_string(expected / 1000)) << i;
    clock_.advance(expected);
    expected = std::min<TimeMs>(2 * expected, 15 * kMinuteMs);
  }
  EXPECT_EQ(expected, 15 * kMinuteMs);
  EXPECT_EQ(
      c->Post("/api/v1/login", credentials("alice", kAdminPassword), "application/json")->status,
      200);
}

TEST_F(AuthApiTest, ForgedAndExpiredSessionsAreRefused) {
  const std::string sid = admin_session();
  auto c = client();
  expect_error(c->Get("/api/v1/me", browser("forged" + sid.substr(6))), 401, "unauthenticated");
  expect_error(c->Get("/api/v1/me", browser("")), 401);
  EXPECT_EQ(c->Get("/api/v1/me", browser(sid))->status, 200);
  clock_.advance(7 * kDayMs);  // idle for a week
  expect_error(c->Get("/api/v1/me", browser(sid)), 401, "unauthenticated");

  const std::string sid2 = admin_session();
  for (int week = 0; week < 4; ++week) {
    clock_.advance(6 * kDayMs);
    ASSERT_EQ(c->Get("/api/v1/me", browser(sid2))->status, 200) << week;
  }
  clock_.advance(6 * kDayMs);  // 30 days after login
  expect_error(c->Get("/api/v1/me", browser(sid2)), 401);
}

TEST_F(AuthApiTest, TokenScopes) {
  admin_session();
  const std::string read = token(TokenScope::kRead);
  const std::string write = token(TokenScope::kWrite);
  auto c = client();
  auto me = c->Get("/api/v1/me", bearer(read));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(body_json(me)["token"]["scope"], "read");
  EXPECT_EQ(c->Get("/api/v1/sensors", bearer(read))->status, 200);
  expect_error(c->Post("/api/v1/logout", bearer(read), "", "application/json"), 403,
               "insufficient_scope");
  EXPECT_EQ(c->Post("/api/v1/logout", bearer(write), "", "application/json")->status, 200);
  // Tokens never administer accounts, whatever their scope.
  expect_error(c->Get("/api/v1/tokens", bearer(write)), 403, "admin_only");
  expect_error(c->Get("/api/v1/me", bearer("cwt_" + std::string(43, 'A'))), 401);
  expect_error(c->Get("/api/v1/me", bearer("not-a-token")), 401);
  expect_error(c->Get("/api/v1/me", {{"Authorization", "Basic YWxpY2U6cHc="}}), 401);
}

TEST_F(AuthApiTest, AdminManagesTokensAndUsersMembersCannot) {
  const std::string admin = admin_session();
  const std::string member = session_for(make_user("bob", Role::kMember));
  auto c = client();
  auto created = c->Post("/api/v1/tokens", browser(admin),
                         json{{"name", "grafana"}, {"scope", "read"}}.dump(), "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const json j = body_json(created);
  const std::string secret = j["secret"];
  EXPECT_EQ(secret.rfind("cwt_", 0), 0u);
  EXPECT_EQ(c->Get("/api/v1/sensors", bearer(secret))->status, 200);

  auto list = body_json(c->Get("/api/v1/tokens", browser(admin)));
  ASSERT_EQ(list["tokens"].size(), 1u);
  EXPECT_FALSE(list.dump().find(secret) != std::string::npos);  // the secret is shown once
  expect_error(c->Get("/api/v1/tokens", browser(member)), 403, "admin_only");
  expect_error(c->Post("/api/v1/users", browser(member), credentials("carol", kAdminPassword),
                       "application/json"),
               403, "admin_only");
  auto carol = c->Post("/api/v1/users", browser(admin), credentials("carol", kAdminPassword),
                       "application/json");
  ASSERT_TRUE(carol);
  EXPECT_EQ(carol->status, 201) << carol->body;
  EXPECT_EQ(body_json(carol)["user"]["role"], "member");

  const std::string id = std::to_string(j["token"]["id"].get<int>());
  auto del = c->Delete("/api/v1/tokens/" + id, browser(admin));
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 200) << del->body;
  expect_error(c->Get("/api/v1/sensors", bearer(secret)), 401);
  expect_error(c->Delete("/api/v1/tokens/" + id, browser(admin)), 404, "not_found");
}

TEST_F(AuthApiTest, CsrfRefusesCrossSiteStateChanges) {
  const std::string sid = admin_session();
  auto c = client();
  const std::string body = json{{"name", "x"}, {"scope", "read"}}.dump();
  auto post = [&](httplib::Headers h) {
    return c->Post("/api/v1/tokens", h, body, "application/json");
  };
  expect_error(post({{"Cookie", "cw_session=" + sid}, {"Origin", "http://evil.example"}}), 403,
               "csrf_rejected");
  expect_error(post({{"Cookie", "cw_session=" + sid}, {"Origin", "null"}}), 403, "csrf_rejected");
  expect_error(post({{"Cookie", "cw_session=" + sid}}), 403, "csrf_rejected");
  expect_error(post({{"Cookie", "cw_session=" + sid}, {"Sec-Fetch-Site", "cross-site"}}), 403,
               "csrf_rejected");
  EXPECT_EQ(accounts_->tokens()->size(), 0u);  // nothing changed
  EXPECT_EQ(post({{"Cookie", "cw_session=" + sid}, {"Sec-Fetch-Site", "same-origin"}})->status,
            201);
  auto ok = c->Post("/api/v1/tokens", browser(sid), json{{"name", "y"}, {"scope", "read"}}.dump(),
                    "application/json");
  EXPECT_EQ(ok->status, 201);
  // Bearer requests carry no ambient credential: exempt.
  const std::string w = token(TokenScope::kWrite);
  auto h = bearer(w);
  h.emplace("Origin", "http://evil.example");
  EXPECT_EQ(c->Post("/api/v1/logout", h, "", "application/json")->status, 200);
  // A cross-site login is refused too.
  expect_error(c->Post("/api/v1/login", {{"Origin", "http://evil.example"}},
                       credentials("alice", kAdminPassword), "application/json"),
               403, "csrf_rejected");
  // GET is not state-changing.
  EXPECT_EQ(c->Get("/api/v1/me", {{"Cookie", "cw_session=" + sid}})->status, 200);
}

// Every protected route, without credentials, answers 401 JSON and does nothing.
TEST_F(AuthApiTest, EveryProtectedRouteRefusesWithoutAuth) {
  add_test_data();
  struct R {
    const char* method;
    const char* path;
  };
  const R routes[] = {
      {"POST", "/api/v1/logout"},          {"GET", "/api/v1/me"},
      {"GET", "/api/v1/sensors"},          {"GET", "/api/v1/sensors/1/series"},
      {"GET", "/api/v1/sensors/1/energy"}, {"GET", "/api/v1/live"},
      {"GET", "/api/v1/export?sensor=1"},  {"GET", "/api/v1/users"},
      {"POST", "/api/v1/users"},           {"GET", "/api/v1/tokens"},
      {"POST", "/api/v1/tokens"},          {"DELETE", "/api/v1/tokens/1"},
  };
  auto c = client();
  const std::string forged = "cw_session=" + std::string(43, 'x');
  for (const R& r : routes) {
    for (const httplib::Headers& h :
         {httplib::Headers{},
          httplib::Headers{{"Cookie", forged}, {"Origin", "http://" + host()}}}) {
      httplib::Result res = std::string(r.method) == "GET" ? c->Get(r.path, h)
                            : std::string(r.method) == "POST"
                                ? c->Post(r.path, h, "{}", "application/json")
                                : c->Delete(r.path, h);
      SCOPED_TRACE(std::string(r.method) + " " + r.path);
      expect_error(res, 401, "unauthenticated");
    }
  }
  // Public routes answer without credentials.
  EXPECT_EQ(c->Get("/api/v1/health")->status, 200);
  EXPECT_EQ(c->Get("/api/v1/setup")->status, 200);
}

}  // namespace
}  // namespace cw::web::testing
