// The attack suite (issue 10): what a curious neighbour on the same Wi-Fi, or a guest with a
// member's account, can try against every route. Each attempt expects the right refusal, as a
// JSON error, and a store that did not change.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "route_requests.h"
#include "store_snapshot.h"
#include "web/passwords.h"

namespace cw::web::testing {
namespace {

using store::Role;
using store::TokenScope;
using namespace std::chrono_literals;

// Routes whose handler reads a JSON body (the others read none, or a form).
const std::set<std::pair<std::string, std::string>> kJsonBodyRoutes = {
    {"POST", "/api/v1/setup"},          {"POST", "/api/v1/login"},
    {"POST", "/api/v1/users"},          {"POST", "/api/v1/tokens"},
    {"POST", "/api/v1/share-links"},    {"POST", "/api/v1/me/password"},
    {"POST", "/api/v1/sensors"},        {"PATCH", R"(/api/v1/sensors/(\d{1,9}))"},
    {"PUT", "/api/v1/tariff"},          {"POST", "/api/v1/tariff/tempo"},
    {"PUT", "/api/v1/target"},          {"PUT", "/api/v1/privacy/consent"},
    {"PUT", "/api/v1/privacy/context"}, {"PUT", "/api/v1/privacy/hub"},
};

const char* const kParams[] = {"sensor",   "from",  "to",     "by",    "points", "unit",
                               "format",   "limit", "before", "node",  "data",   "json",
                               "fulljson", "time",  "state",  "share", "apikey"};

const char* const kHostile[] = {
    "' OR '1'='1",
    "1; DROP TABLE users; --",
    "1 UNION SELECT password_hash FROM users",
    "../../../../etc/passwd",
    "..%2f..%2fsecret.txt",
    "%00",
    "x\r\nX-Injected: 1\r\nSet-Cookie: cw_session=planted",
    "\xff\xfe\xfd",
    "99999999999999999999999999",
};

// A raw TCP connection to the server, for what httplib's client will not send.
class RawSocket {
 public:
  explicit RawSocket(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawSocket() { close(fd_); }
  bool connected() const { return connected_; }
  void send_text(const std::string& s) { (void)::send(fd_, s.data(), s.size(), MSG_NOSIGNAL); }
  // Reads until the server closes or timeout: what it sent, and whether it closed.
  std::pair<std::string, bool> read_until_closed(std::chrono::milliseconds timeout) {
    std::string got;
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      char buf[4096];
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return {got, true};
      got.append(buf, static_cast<std::size_t>(n));
    }
    return {got, false};
  }

 private:
  int fd_;
  bool connected_ = false;
};

class AttackTest : public RouteTest {
 protected:
  void SetUp() override {
    start_with([](WebOptions&) {});
  }

  template <typename Tune>
  void start_with(Tune tune) {
    if (server_) {
      server_->stop();
      server_.reset();
    }
    std::filesystem::create_directories(dir_.path() / "data");
    data_dir_ = (dir_.path() / "data").string();
    WebOptions o;
    o.rate_limit.requests_per_s = 0;
    tune(o);
    start(o);
    if (admin_.id == 0) {
      add_test_data();
      admin_ = make_user("alice", Role::kAdmin);
      member_ = make_user("bob", Role::kMember);
      ingest_ = token(TokenScope::kIngest);
      // Its first use stamps last_used: done here, so that the refusals below start from it.
      ASSERT_EQ(client()->Get("/input/get", bearer(ingest_))->status, 200);
    }
  }

  // The credentials a route's rightful caller uses.
  httplib::Headers rightful(const RouteEntry& r) {
    if (r.access == "ingest") return bearer(ingest_);
    return browser(session_for(admin_));
  }

  // Sends and expects a refusal with this status (and code, if given) that changed nothing.
  void expect_refused(const std::string& what, const std::string& method, const std::string& path,
                      const httplib::Headers& h, int status, const std::string& code,
                      const std::string& body = "{}",
                      const std::string& type = "application/json") {
    const std::string before = snapshot(dir_.path());
    Reply rep = send(method, path, h, body, type);
    EXPECT_EQ(rep.status, status) << what << ": " << method << " " << path << ": " << rep.body;
    if (!code.empty()) EXPECT_EQ(rep.code(), code) << what << ": " << method << " " << path;
    EXPECT_FALSE(rep.code().empty()) << what << ": not a JSON error: " << rep.body;
    EXPECT_EQ(first_difference(before, snapshot(dir_.path())), "")
        << what << ": " << method << " " << path;
  }

  store::User member_;
  std::string ingest_;
};

TEST_F(AttackTest, ForgedExpiredAndRotatedSessionsOnEveryRoute) {
  // Rotated: the id of a first login, after a second login from the same browser.
  auto c = client();
  const std::string creds = json{{"username", "alice"}, {"password", kAdminPassword}}.dump();
  auto first = c->Post("/api/v1/login", creds, "application/json");
  ASSERT_TRUE(first && first->status == 200);
  std::string old_cookie = first->get_header_value("Set-Cookie");
  old_cookie = old_cookie.substr(0, old_cookie.find(';'));
  auto second = c->Post("/api/v1/login", {{"Cookie", old_cookie}, {"Origin", "http://" + host()}},
                        creds, "application/json");
  ASSERT_TRUE(second && second->status == 200);
  auto idle = open_session(*accounts_, admin_, clock_.now() - 8 * kDayMs);
  auto old = open_session(*accounts_, admin_, clock_.now() - 31 * kDayMs);
  ASSERT_TRUE(idle && old);
  (void)accounts_->touch_session(sha256(old->id), clock_.now() - kHourMs);  // active, yet too old
  const std::pair<const char*, std::string> kBad[] = {
      {"forged", "cw_session=" + random_secret()},
      {"rotated", old_cookie},
      {"idle", "cw_session=" + idle->id},
      {"expired", "cw_session=" + old->id},
      {"oversized", "cw_session=" + std::string(300, 'A')},
  };
  int tried = 0;
  for (const RouteEntry& r : server_->routes()) {
    if (r.access == "public") continue;
    for (const auto& [what, cookie] : kBad) {
      expect_refused(what, r.method, concrete_path(r.pattern),
                     {{"Cookie", cookie}, {"Origin", "http://" + host()}}, 401, "unauthenticated");
      ++tried;
    }
  }
  EXPECT_GT(tried, 200);
}

TEST_F(AttackTest, CrossSiteStateChangesAreRefusedOnEveryRoute) {
  const std::string sid = session_for(admin_);
  const httplib::Headers kCrossSite[] = {
      {{"Cookie", "cw_session=" + sid}, {"Origin", "http://evil.example"}},
      {{"Cookie", "cw_session=" + sid}, {"Origin", "null"}},
      {{"Cookie", "cw_session=" + sid}, {"Origin", "http://" + host() + ".evil.example"}},
      {{"Cookie", "cw_session=" + sid}, {"Sec-Fetch-Site", "cross-site"}},
      {{"Cookie", "cw_session=" + sid}, {"Sec-Fetch-Site", "same-site"}},
      {{"Cookie", "cw_session=" + sid}},  // neither header, yet an ambient credential
  };
  int tried = 0;
  for (const RouteEntry& r : server_->routes()) {
    if (r.method == "GET") continue;
    for (const auto& h : kCrossSite) {
      expect_refused("cross-site", r.method, concrete_path(r.pattern), h, 403, "csrf_rejected");
      ++tried;
    }
  }
  EXPECT_GT(tried, 80);
}

TEST_F(AttackTest, OversizedBodiesOnEveryRouteAreRefused) {
  const std::string big(65 * 1024, 'x');
  int tried = 0;
  for (const RouteEntry& r : server_->routes()) {
    if (r.method == "GET") continue;
    expect_refused("oversized", r.method, concrete_path(r.pattern), rightful(r), 413,
                   "payload_too_large", "{\"name\":\"" + big + "\"}");
    ++tried;
  }
  EXPECT_GT(tried, 15);
}

TEST_F(AttackTest, MalformedBodiesOnEveryJsonRouteChangeNothing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::pair<std::string, std::string> kBodies[] = {
      {"{not json", "application/json"},
      {"[]", "application/json"},
      {"null", "application/json"},
      {"\"text\"", "application/json"},
      {"{\"username\":", "application/json"},
      {std::string(60000, '['), "application/json"},
      {"{\"name\": \"\xff\xfe\", \"username\": \"\xc3\x28\"}", "application/json"},
      {"{\"name\": 1e999, \"days\": -1, \"scope\": [], \"role\": {}}", "application/json"},
      {"date,color\n2024-13-45,mauve\n\xff,\n", "text/csv"},
      {"--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--\r\n",
       "multipart/form-data; boundary=b"},
  };
  std::set<std::pair<std::string, std::string>> seen;
  for (const RouteEntry& r : server_->routes()) {
    if (!kJsonBodyRoutes.count({r.method, r.pattern})) continue;
    seen.insert({r.method, r.pattern});
    for (const auto& [body, type] : kBodies) {
      const httplib::Headers h = rightful(r);
      const std::string before = snapshot(dir_.path());
      Reply rep = send(r.method, concrete_path(r.pattern), h, body, type);
      EXPECT_GE(rep.status, 400) << r.method << " " << r.pattern << " took " << body.substr(0, 40);
      EXPECT_LT(rep.status, 500) << r.method << " " << r.pattern << ": " << rep.body;
      EXPECT_FALSE(rep.code().empty()) << rep.body;
      EXPECT_EQ(first_difference(before, snapshot(dir_.path())), "")
          << r.method << " " << r.pattern;
    }
  }
  EXPECT_EQ(seen, kJsonBodyRoutes) << "a route of this list is no longer registered";
}

TEST_F(AttackTest, MalformedCsvAndFormInputsChangeNothing) {
  const std::string kForms[] = {
      "node=1&csv=1,abc,,\xff",
      "node=' OR 1=1--&json={\"power\":\"x\"}",
      "data=[[0,1,\"x\"]]&time=notatime",
      "data=[[[[[[[[[[",
      "node=../../etc&fulljson={\"a\":1e999}",
  };
  for (const RouteEntry& r : server_->routes()) {
    if (r.access != "ingest" || r.method != "POST") continue;
    for (const auto& form : kForms)
      expect_refused("form", r.method, concrete_path(r.pattern), bearer(ingest_), 400, "", form,
                     "application/x-www-form-urlencoded");
  }
}

TEST_F(AttackTest, InjectionStringsInEveryParameterOfEveryReadRoute) {
  int tried = 0;
  // Inputs last: what they accept is committed later, by the pipeline's own thread.
  std::vector<RouteEntry> routes = server_->routes();
  std::stable_partition(routes.begin(), routes.end(),
                        [](const RouteEntry& r) { return r.access != "ingest"; });
  for (const RouteEntry& r : routes) {
    if (r.method != "GET") continue;
    const std::string path = concrete_path(r.pattern);
    const httplib::Headers h = rightful(r);
    const std::string before = snapshot(dir_.path());  // a read route never writes
    for (const char* name : kParams)
      for (const char* value : kHostile) {
        const std::string target =
            path + "?sensor=1&" + name + "=" + httplib::detail::encode_query_param(value);
        Reply rep = send("GET", target, h);
        ASSERT_NE(rep.status, 0) << target;
        // Streams cut by this test may still hold their slots: "busy" is a fine answer there.
        if (rep.code() != "too_many_streams")
          EXPECT_LT(rep.status, 500) << target << ": " << rep.body;
        EXPECT_EQ(rep.headers.count("X-Injected"), 0u) << target;
        for (auto [it, end] = rep.headers.equal_range("Set-Cookie"); it != end; ++it)
          EXPECT_EQ(it->second.find("planted"), std::string::npos) << target;
        EXPECT_EQ(rep.body.find("argon2id"), std::string::npos) << target;
        ++tried;
      }
    if (r.access != "ingest")
      EXPECT_EQ(first_difference(before, snapshot(dir_.path())), "") << path;
  }
  EXPECT_GT(tried, 3000);
  EXPECT_EQ(accounts_->user_count().value(), 2);
}

TEST_F(AttackTest, InjectionStringsInPathsAndJsonMembers) {
  const httplib::Headers admin = browser(session_for(admin_));
  for (const std::string path :
       {"/api/v1/sensors/1%20OR%201=1/series", "/api/v1/sensors/..%2f..%2fetc/energy",
        "/api/v1/tokens/1;DROP", "/api/v1/../../secret.txt", "/api/v1/%2e%2e/secret.txt",
        "/ui/%2e%2e/secret.txt", "/..%5c..%5csecret.txt", "/index.html%00.txt"}) {
    Reply rep = send("GET", path, admin);
    EXPECT_TRUE(rep.status == 400 || rep.status == 404) << path << " " << rep.status;
    EXPECT_EQ(rep.body.find("TOP SECRET"), std::string::npos) << path;
    EXPECT_FALSE(rep.code().empty()) << path << ": " << rep.body;
  }
  for (const RouteEntry& r : server_->routes()) {
    if (!kJsonBodyRoutes.count({r.method, r.pattern})) continue;
    json body;
    for (const char* m : {"username", "password", "name", "scope", "role", "current", "key",
                          "option", "kva", "hub_url", "url"})
      body[m] = kHostile[1];
    Reply rep = send(r.method, concrete_path(r.pattern), rightful(r), body.dump());
    EXPECT_LT(rep.status, 500) << r.method << " " << r.pattern << ": " << rep.body;
  }
  // Whatever was accepted, the accounts are all still there.
  EXPECT_GE(accounts_->user_count().value(), 2);
  EXPECT_TRUE(accounts_->user_by_name("alice").is_ok());
}

TEST_F(AttackTest, ASlowClientIsCutAndOthersAreServed) {
  start_with([](WebOptions& o) {
    o.read_timeout_s = 1;
    o.keep_alive_timeout_s = 1;
  });
  RawSocket slow(server_->port());
  ASSERT_TRUE(slow.connected());
  slow.send_text("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");  // and never the end
  auto other = client()->Get("/api/v1/health");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  auto [got, closed] = slow.read_until_closed(5s);
  EXPECT_TRUE(closed) << "a client that stops mid-request must be cut";
  EXPECT_EQ(got.find("200 OK"), std::string::npos) << got;
}

TEST_F(AttackTest, ConnectionsBeyondTheCapAreAnswered503) {
  start_with([](WebOptions& o) {
    o.threads = 2;
    o.max_waiting_connections = 1;
    o.keep_alive_timeout_s = 3;
    o.read_timeout_s = 3;
  });
  std::vector<std::unique_ptr<RawSocket>> idle;
  for (int k = 0; k < 3; ++k) {  // two workers, one waiting
    idle.push_back(std::make_unique<RawSocket>(server_->port()));
    ASSERT_TRUE(idle.back()->connected());
  }
  RawSocket late(server_->port());
  late.send_text("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
  auto [got, closed] = late.read_until_closed(5s);
  EXPECT_NE(got.find("HTTP/1.1 503"), std::string::npos) << got;
  EXPECT_NE(got.find("\"overloaded\""), std::string::npos) << got;
  EXPECT_NE(got.find("Retry-After: 1"), std::string::npos) << got;
  idle.clear();  // the neighbour gives up: the base serves again
  bool served = false;
  for (auto end = std::chrono::steady_clock::now() + 10s;
       !served && std::chrono::steady_clock::now() < end;) {
    auto r = client()->Get("/api/v1/health");
    served = r && r->status == 200;
    if (!served) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(served);
}

TEST_F(AttackTest, TooManyOrTooLargeHeadersAre431) {
  httplib::Headers many;
  for (int k = 0; k < 100; ++k) many.emplace("X-Pad-" + std::to_string(k), "1");
  Reply rep = send("GET", "/api/v1/health", many);
  EXPECT_EQ(rep.status, 431) << rep.body;
  EXPECT_EQ(rep.code(), "headers_too_large");
  httplib::Headers large;
  for (int k = 0; k < 3; ++k) large.emplace("X-Big-" + std::to_string(k), std::string(7000, 'a'));
  rep = send("GET", "/api/v1/health", large);
  EXPECT_EQ(rep.status, 431) << rep.body;
  // One line longer than httplib reads at all: refused, the server still up.
  RawSocket raw(server_->port());
  raw.send_text("GET /api/v1/health HTTP/1.1\r\nX-Huge: " + std::string(20000, 'a') + "\r\n\r\n");
  auto [got, closed] = raw.read_until_closed(5s);
  EXPECT_EQ(got.find("200 OK"), std::string::npos) << got.substr(0, 200);
  EXPECT_EQ(client()->Get("/api/v1/health")->status, 200);
  // A request line beyond httplib's 8 KiB: 414, as JSON.
  expect_error(client()->Get("/api/v1/health?x=" + std::string(9000, 'a')), 414, "uri_too_long");
}

TEST_F(AttackTest, APerAddressRateLimitAnswers429WithRetryAfter) {
  start_with([](WebOptions& o) {
    o.rate_limit.requests_per_s = 1;
    o.rate_limit.burst = 5;
  });
  auto c = client();
  for (int k = 0; k < 5; ++k) ASSERT_EQ(c->Get("/api/v1/health")->status, 200) << k;
  auto r = c->Get("/api/v1/health");
  expect_error(r, 429, "rate_limited");
  EXPECT_GE(std::stoi(r->get_header_value("Retry-After")), 1);
  EXPECT_EQ(c->Get("/index.html")->status, 200);  // the UI's files are not counted
}

TEST_F(AttackTest, SecurityHeadersOnApiAndFiles) {
  for (const char* path : {"/api/v1/health", "/index.html", "/api/v1/nothing", "/"}) {
    auto r = client()->Get(path);
    ASSERT_TRUE(r) << path;
    const std::string csp = r->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << path;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << path;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(r->get_header_value("Referrer-Policy"), "same-origin") << path;
    EXPECT_FALSE(r->has_header("Strict-Transport-Security")) << "no HSTS over plain HTTP";
  }
}

// The CSP forbids inline script and style: the real UI must have none.
TEST(UiCspTest, TheUiHasNoInlineScriptOrStyle) {
  namespace fs = std::filesystem;
  const fs::path ui = fs::path(CW_SOURCE_DIR) / "ui";
  std::ifstream in(ui / "index.html");
  std::stringstream html;
  html << in.rdbuf();
  const std::string text = html.str();
  ASSERT_FALSE(text.empty());
  std::smatch m;
  for (auto it = text.cbegin();
       std::regex_search(it, text.cend(), m, std::regex(R"(<script\b([^>]*)>)")); it = m[0].second)
    EXPECT_NE(m[1].str().find("src="), std::string::npos) << "inline <script>: " << m[0];
  EXPECT_FALSE(std::regex_search(text, std::regex(R"(\son[a-z]+\s*=)", std::regex::icase)));
  EXPECT_FALSE(std::regex_search(text, std::regex(R"(\sstyle\s*=)", std::regex::icase)));
  EXPECT_EQ(text.find("<style"), std::string::npos);
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(ui / "js")) {
    if (e.path().extension() != ".js") continue;
    ++files;
    std::ifstream js(e.path());
    std::stringstream s;
    s << js.rdbuf();
    const std::string code = s.str();
    EXPECT_EQ(code.find("eval("), std::string::npos) << e.path();
    EXPECT_EQ(code.find("new Function"), std::string::npos) << e.path();
    EXPECT_EQ(code.find(".innerHTML ="), std::string::npos) << e.path();
  }
  EXPECT_GT(files, 5);
}

}  // namespace
}  // namespace cw::web::testing
