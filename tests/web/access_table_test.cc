// The authorisation table, route by route: every registered route must have an entry here, and
// every (route, caller) cell is exercised by a real request against the real server; on every
// refusal, nothing on disk may have changed.
#include <map>
#include <regex>
#include <set>

#include "route_requests.h"
#include "store_snapshot.h"
#include "web/access_policy.h"
#include "web/passwords.h"
#include "web_fixture.h"

namespace cw::web::testing {
namespace {

using store::Role;
using store::TokenScope;

// A second, independent statement of who may call what: a route added, or its access changed,
// without a decision written here fails EveryRegisteredRouteHasAnEntry.
const std::map<std::pair<std::string, std::string>, std::string>& expected_access() {
  static const std::map<std::pair<std::string, std::string>, std::string> kTable = {
      {{"GET", "/api/v1/setup"}, "public"},
      {{"POST", "/api/v1/setup"}, "public"},
      {{"POST", "/api/v1/login"}, "public"},
      {{"POST", "/api/v1/logout"}, "member"},
      {{"GET", "/api/v1/me"}, "read"},
      {{"POST", "/api/v1/me/password"}, "member"},
      {{"GET", "/api/v1/users"}, "admin"},
      {{"POST", "/api/v1/users"}, "admin"},
      {{"GET", "/api/v1/tokens"}, "admin"},
      {{"POST", "/api/v1/tokens"}, "admin"},
      {{"DELETE", R"(/api/v1/tokens/(\d{1,18}))"}, "admin"},
      {{"GET", "/api/v1/share-links"}, "admin"},
      {{"POST", "/api/v1/share-links"}, "admin"},
      {{"DELETE", R"(/api/v1/share-links/(\d{1,18}))"}, "admin"},
      {{"GET", "/api/v1/audit"}, "admin"},
      {{"GET", "/api/v1/tls"}, "public"},
      {{"GET", "/api/v1/health"}, "public"},
      {{"GET", "/api/v1/sensors"}, "shared"},
      {{"POST", "/api/v1/sensors"}, "admin"},
      {{"PATCH", R"(/api/v1/sensors/(\d{1,9}))"}, "admin"},
      {{"DELETE", R"(/api/v1/sensors/(\d{1,9}))"}, "admin"},
      {{"GET", R"(/api/v1/sensors/(\d{1,9})/series)"}, "shared"},
      {{"GET", R"(/api/v1/sensors/(\d{1,9})/energy)"}, "shared"},
      {{"GET", R"(/api/v1/sensors/(\d{1,9})/registers)"}, "read"},
      {{"GET", "/api/v1/live"}, "read"},
      {{"GET", "/api/v1/export"}, "read"},
      {{"GET", "/api/v1/tariff"}, "read"},
      {{"PUT", "/api/v1/tariff"}, "write"},
      {{"GET", "/api/v1/tariff/catalogue"}, "read"},
      {{"GET", "/api/v1/tariff/now"}, "read"},
      {{"POST", "/api/v1/tariff/tempo"}, "write"},
      {{"GET", "/api/v1/cost"}, "shared"},
      {{"GET", "/api/v1/bill"}, "shared"},
      {{"GET", "/api/v1/forecast"}, "read"},
      {{"GET", "/api/v1/baseload"}, "read"},
      {{"GET", "/api/v1/alerts"}, "read"},
      {{"POST", R"(/api/v1/alerts/(\d{1,18})/ack)"}, "member"},
      {{"GET", "/api/v1/target"}, "read"},
      {{"PUT", "/api/v1/target"}, "member"},
      {{"GET", "/api/v1/challenges"}, "read"},
      {{"GET", "/api/v1/tips"}, "read"},
      {{"GET", "/api/v1/privacy"}, "read"},
      {{"PUT", "/api/v1/privacy/consent"}, "admin"},
      {{"DELETE", "/api/v1/privacy/consent"}, "admin"},
      {{"PUT", "/api/v1/privacy/context"}, "admin"},
      {{"PUT", "/api/v1/privacy/hub"}, "admin"},
      {{"GET", "/api/v1/privacy/shared"}, "read"},
      {{"GET", "/api/v1/privacy/comparator"}, "read"},
      {{"GET", "/metrics"}, "read"},
      {{"GET", R"((?:/emoncms)?/input/get(?:\.json)?/?)"}, "ingest"},
      {{"GET", R"((?:/emoncms)?/input/post(?:\.json)?(?:/([A-Za-z0-9_. -]{1,64}))?)"}, "ingest"},
      {{"POST", R"((?:/emoncms)?/input/post(?:\.json)?(?:/([A-Za-z0-9_. -]{1,64}))?)"}, "ingest"},
      {{"GET", R"((?:/emoncms)?/input/bulk(?:\.json)?)"}, "ingest"},
      {{"POST", R"((?:/emoncms)?/input/bulk(?:\.json)?)"}, "ingest"},
  };
  return kTable;
}

// What each access level means, cell by cell, in the words of docs/security.md.
const std::map<std::string, std::set<Caller>>& expected_callers() {
  using C = Caller;
  static const std::map<std::string, std::set<Caller>> kCells = {
      {"public",
       {C::kAnonymous, C::kMember, C::kAdmin, C::kReadToken, C::kWriteToken, C::kIngestToken,
        C::kShareLink}},
      {"read", {C::kMember, C::kAdmin, C::kReadToken, C::kWriteToken}},
      {"shared", {C::kMember, C::kAdmin, C::kReadToken, C::kWriteToken, C::kShareLink}},
      {"member", {C::kMember, C::kAdmin, C::kWriteToken}},
      {"write", {C::kAdmin, C::kWriteToken}},
      {"admin", {C::kAdmin}},
      {"ingest", {C::kWriteToken, C::kIngestToken}},
  };
  return kCells;
}

class AccessTableTest : public RouteTest {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "data");
    data_dir_ = (dir_.path() / "data").string();
    WebOptions o;
    o.rate_limit.requests_per_s = 0;  // hundreds of requests from one address
    start(o);
    add_test_data();
    admin_ = make_user("alice", Role::kAdmin);
    member_ = make_user("bob", Role::kMember);
    // Id 1 of tokens and share links is a decoy that the admin's DELETE cells may revoke.
    (void)token(TokenScope::kRead, "decoy");
    ASSERT_TRUE(security_->add_share_link("decoy", sha256("cws_decoy"), clock_.now(),
                                          clock_.now() + kDayMs));
    read_ = token(TokenScope::kRead);
    write_ = token(TokenScope::kWrite);
    ingest_ = token(TokenScope::kIngest);
    share_ = std::string(kSharePrefix) + random_secret();
    ASSERT_TRUE(
        security_->add_share_link("guest", sha256(share_), clock_.now(), clock_.now() + kDayMs));
  }

  // Credentials for one request of caller c (a fresh session: logout may end the last one).
  httplib::Headers headers_for(Caller c) {
    switch (c) {
      case Caller::kAnonymous:
        return {{"Origin", "http://" + host()}};
      case Caller::kMember:
        return browser(session_for(member_));
      case Caller::kAdmin:
        return browser(session_for(admin_));
      case Caller::kReadToken:
        return bearer(read_);
      case Caller::kWriteToken:
        return bearer(write_);
      case Caller::kIngestToken:
        return bearer(ingest_);
      case Caller::kShareLink:
        return bearer(share_);
    }
    return {};
  }

  store::User member_;
  std::string read_, write_, ingest_, share_;
};

TEST_F(AccessTableTest, EveryRegisteredRouteHasAnEntry) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const RouteEntry& r : server_->routes()) {
    auto it = expected_access().find({r.method, r.pattern});
    ASSERT_NE(it, expected_access().end())
        << r.method << " " << r.pattern << " (access " << r.access
        << ") has no entry in the authorisation table of this test: decide who may call it";
    EXPECT_EQ(r.access, it->second) << r.method << " " << r.pattern;
    seen.insert({r.method, r.pattern});
  }
  for (const auto& [route, access] : expected_access())
    EXPECT_TRUE(seen.count(route)) << route.first << " " << route.second << " is not registered";
  EXPECT_GE(seen.size(), 50u);
}

TEST_F(AccessTableTest, TheTableIsWhatTheDocumentSays) {
  for (const auto& [name, callers] : expected_callers())
    for (std::size_t a = 0; a < kAccessCount; ++a) {
      if (access_name(static_cast<Access>(a)) != name) continue;
      for (std::size_t c = 0; c < kCallerCount; ++c)
        EXPECT_EQ(allowed(static_cast<Access>(a), static_cast<Caller>(c)),
                  callers.count(static_cast<Caller>(c)) == 1)
            << name << " x " << caller_name(static_cast<Caller>(c));
    }
}

TEST_F(AccessTableTest, EveryCellByARealRequest) {
  int allowed_cells = 0, refused_cells = 0;
  for (const RouteEntry& r : server_->routes()) {
    const std::string path = concrete_path(r.pattern);
    ASSERT_TRUE(std::regex_match(path, std::regex(r.pattern))) << path << " ~ " << r.pattern;
    for (std::size_t k = 0; k < kCallerCount; ++k) {
      const Caller c = static_cast<Caller>(k);
      const bool may = expected_callers().at(r.access).count(c) == 1;
      httplib::Headers h = headers_for(c);
      const std::string before = snapshot(dir_.path());
      Reply rep = send(r.method, path, h);
      const std::string cell = r.method + " " + path + " as " + caller_name(c);
      ASSERT_NE(rep.status, 0) << cell << ": no response";
      if (may) {
        ++allowed_cells;
        EXPECT_NE(rep.status, 401) << cell << ": " << rep.body;
        EXPECT_FALSE(kAuthCodes.count(rep.code())) << cell << ": " << rep.body;
        EXPECT_LT(rep.status, 500) << cell << ": " << rep.body;
      } else {
        ++refused_cells;
        EXPECT_EQ(rep.status, c == Caller::kAnonymous ? 401 : 403) << cell << ": " << rep.body;
        EXPECT_TRUE(kAuthCodes.count(rep.code())) << cell << ": " << rep.body;
        EXPECT_EQ(first_difference(before, snapshot(dir_.path())), "")
            << cell << " changed the store";
      }
    }
  }
  EXPECT_GT(allowed_cells, 100);
  EXPECT_GT(refused_cells, 150);
}

}  // namespace
}  // namespace cw::web::testing
