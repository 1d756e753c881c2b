// Share links, the audit log and password changes, over real HTTP.
#include <fstream>
#include <sstream>

#include "web/passwords.h"
#include "web_fixture.h"

namespace cw::web::testing {
namespace {

using store::Role;
using store::TokenScope;

class SecurityApiTest : public WebTest {
 protected:
  json post_json(const std::string& path, const json& body, const httplib::Headers& h, int status) {
    auto r = client()->Post(path, h, body.dump(), "application/json");
    EXPECT_TRUE(r);
    if (!r) return json();
    EXPECT_EQ(r->status, status) << path << ": " << r->body;
    return body_json(r);
  }
  std::string file_bytes(const std::string& name) {
    std::ifstream in(dir_.path() / name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

TEST_F(SecurityApiTest, AShareLinkReadsItsSubsetUntilItExpiresOrIsRevoked) {
  add_test_data();
  const auto admin = browser(admin_session());
  json made = post_json("/api/v1/share-links", {{"name", "advisor"}, {"days", 2}}, admin, 201);
  const std::string secret = made.value("secret", "");
  ASSERT_EQ(secret.rfind("cws_", 0), 0u) << made;
  EXPECT_EQ(made["share_link"]["expired"], false);
  // Shown once: the list never has it, and the database keeps only its hash.
  auto list = client()->Get("/api/v1/share-links", admin);
  EXPECT_EQ(list->body.find(secret), std::string::npos);
  EXPECT_EQ(body_json(list)["share_links"].size(), 1u);
  EXPECT_EQ(file_bytes("citizenwatt.db").find(secret.substr(4)), std::string::npos);
  EXPECT_EQ(file_bytes("citizenwatt.db-wal").find(secret.substr(4)), std::string::npos);

  auto c = client();
  EXPECT_EQ(c->Get("/api/v1/sensors?share=" + secret)->status, 200);
  EXPECT_EQ(c->Get("/api/v1/sensors/1/energy?by=hour", bearer(secret))->status, 200);
  expect_error(c->Get("/api/v1/alerts?share=" + secret), 403, "insufficient_scope");
  expect_error(c->Get("/api/v1/privacy", bearer(secret)), 403, "insufficient_scope");
  expect_error(c->Get("/api/v1/sensors?share=cws_" + random_secret()), 401, "unauthenticated");
  // A link in the query is for reading only: it never carries a state change.
  expect_error(c->Put("/api/v1/target?share=" + secret, "{}", "application/json"), 401);

  clock_.advance(2 * kDayMs);
  expect_error(c->Get("/api/v1/sensors?share=" + secret), 401, "unauthenticated");
  EXPECT_EQ(body_json(client()->Get("/api/v1/share-links",
                                    browser(admin_session())))["share_links"][0]["expired"],
            true);

  clock_.advance(-kDayMs);
  ASSERT_EQ(c->Get("/api/v1/sensors?share=" + secret)->status, 200);
  const auto id = std::to_string(made["share_link"]["id"].get<int>());
  auto del = c->Delete("/api/v1/share-links/" + id, browser(admin_session()));
  ASSERT_EQ(del->status, 200) << del->body;
  expect_error(c->Get("/api/v1/sensors?share=" + secret), 401, "unauthenticated");
}

TEST_F(SecurityApiTest, ShareLinkBodiesAreChecked) {
  const auto admin = browser(admin_session());
  for (const json& bad :
       {json{{"name", "x"}}, json{{"name", "x"}, {"days", 0}}, json{{"name", "x"}, {"days", 400}},
        json{{"name", ""}, {"days", 1}}, json{{"name", "x"}, {"days", "7"}}, json{{"days", 3}}})
    expect_error(client()->Post("/api/v1/share-links", admin, bad.dump(), "application/json"), 400);
  EXPECT_EQ(security_->share_links()->size(), 0u);
}

TEST_F(SecurityApiTest, TheAuditLogSaysWhoDidWhatFromWhere) {
  const std::string sid = admin_session();  // alice
  const json creds = {{"username", "alice"}, {"password", kAdminPassword}};
  auto c = client();
  json wrong = creds;
  wrong["password"] = "not the password";
  post_json("/api/v1/login", wrong, {}, 401);
  auto ok = c->Post("/api/v1/login", creds.dump(), "application/json");
  ASSERT_EQ(ok->status, 200);
  const auto admin = browser(sid);
  post_json("/api/v1/tokens", {{"name", "script"}, {"scope", "read"}}, admin, 201);
  post_json("/api/v1/users", {{"username", "bob"}, {"password", "a long password"}}, admin, 201);
  post_json("/api/v1/tokens", {{"name", "bad"}, {"scope", "root"}}, admin, 400);  // not logged

  auto r = c->Get("/api/v1/audit", admin);
  ASSERT_EQ(r->status, 200) << r->body;
  const json events = body_json(r)["events"];
  ASSERT_EQ(events.size(), 4u) << events;
  EXPECT_EQ(events[3]["action"], "login_failed");
  EXPECT_EQ(events[3]["actor"], "alice");
  EXPECT_EQ(events[3]["ok"], false);
  EXPECT_EQ(events[3]["address"], "127.0.0.1");
  EXPECT_EQ(events[2]["action"], "login");
  EXPECT_EQ(events[1]["action"], "token_created");
  EXPECT_EQ(events[1]["actor"], "alice");
  EXPECT_NE(events[1]["detail"].get<std::string>().find("POST /api/v1/tokens"), std::string::npos);
  EXPECT_EQ(events[0]["action"], "user_created");
  // No secret in the log: neither the password tried nor the token shown.
  EXPECT_EQ(r->body.find("not the password"), std::string::npos);
  EXPECT_EQ(r->body.find("cwt_"), std::string::npos);
  // Paging, and the member who may not read it.
  auto page =
      body_json(c->Get("/api/v1/audit?limit=2&before=" + std::to_string(events[1]["id"].get<int>()),
                       admin))["events"];
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0]["action"], "login");
  const auto bob = accounts_->user_by_name("bob");
  expect_error(c->Get("/api/v1/audit", browser(session_for(*bob))), 403, "admin_only");
}

TEST(SecurityLogTest, TheAuditLogIsBoundedByRowsAndAge) {
  TempDir dir;
  store::SecurityLogOptions o;
  o.max_rows = 5;
  o.max_age_ms = 10 * kDayMs;
  auto log = store::open_sqlite_security_log((dir.path() / "a.db").string(), o);
  ASSERT_TRUE(log.is_ok());
  for (int k = 0; k < 8; ++k)
    ASSERT_TRUE((*log)->append({0, kT0 + k, "alice", "10.0.0.2", "login", std::to_string(k)}));
  auto all = (*log)->recent(100);
  ASSERT_TRUE(all.is_ok());
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ(all->front().detail, "7");
  EXPECT_EQ(all->back().detail, "3");
  ASSERT_TRUE((*log)->append({0, kT0 + 11 * kDayMs, "alice", "10.0.0.2", "login", "late"}));
  all = (*log)->recent(100);
  ASSERT_EQ(all->size(), 1u) << "events older than 10 days are dropped";
  EXPECT_EQ(all->front().detail, "late");
}

TEST_F(SecurityApiTest, ChangingOnesPasswordEndsAllOfOnesSessions) {
  const store::User bob = make_user("bob", Role::kMember);
  const std::string phone = session_for(bob), laptop = session_for(bob);
  const std::string alice = admin_session();
  auto c = client();
  auto wrong = c->Post("/api/v1/me/password", browser(laptop),
                       json{{"current", "guess guess"}, {"password", "new password 1"}}.dump(),
                       "application/json");
  expect_error(wrong, 403, "bad_credentials");
  EXPECT_EQ(c->Get("/api/v1/me", browser(phone))->status, 200);

  auto r = c->Post("/api/v1/me/password", browser(laptop),
                   json{{"current", kAdminPassword}, {"password", "new password 1"}}.dump(),
                   "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "no Secure flag over plain HTTP";
  const std::string fresh = cookie.substr(11, cookie.find(';') - 11);
  expect_error(c->Get("/api/v1/me", browser(phone)), 401, "unauthenticated");
  expect_error(c->Get("/api/v1/me", browser(laptop)), 401, "unauthenticated");
  EXPECT_EQ(c->Get("/api/v1/me", browser(fresh))->status, 200);
  EXPECT_EQ(c->Get("/api/v1/me", browser(alice))->status, 200) << "other users keep theirs";
  EXPECT_TRUE(login(*accounts_, "bob", "new password 1", clock_.now()).is_ok());
  EXPECT_FALSE(login(*accounts_, "bob", kAdminPassword, clock_.now()).is_ok());
}

TEST_F(SecurityApiTest, AMemberLivesWithTheDisplayButChangesNoSetting) {
  add_test_data();
  const store::User bob = make_user("bob", Role::kMember);
  const auto member = browser(session_for(bob));
  auto c = client();
  const json goal = {{"target", {{"unit", "kwh"}, {"amount", "250"}}}};
  auto target = c->Put("/api/v1/target?sensor=1", member, goal.dump(), "application/json");
  EXPECT_EQ(target->status, 200) << target->body;
  expect_error(c->Put("/api/v1/tariff", member, "{}", "application/json"), 403, "admin_only");
  expect_error(c->Post("/api/v1/tariff/tempo", member, "{}", "application/json"), 403,
               "admin_only");
  expect_error(c->Put("/api/v1/privacy/consent", member, "{}", "application/json"), 403,
               "admin_only");
  expect_error(c->Delete("/api/v1/sensors/1", member), 403, "admin_only");
  expect_error(c->Post("/api/v1/tokens", member, "{}", "application/json"), 403, "admin_only");
  EXPECT_TRUE(store_->sensor(kSensor).is_ok());
  EXPECT_EQ(c->Get("/api/v1/sensors", member)->status, 200);
  EXPECT_EQ(c->Get("/api/v1/tariff", member)->status, 200);
}

TEST_F(SecurityApiTest, TlsInfoOverPlainHttp) {
  auto r = client()->Get("/api/v1/tls");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(body_json(r)["enabled"], false);
  EXPECT_TRUE(body_json(r)["fingerprint_sha256"].is_null());
}

}  // namespace
}  // namespace cw::web::testing
