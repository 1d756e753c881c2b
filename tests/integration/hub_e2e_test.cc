// End to end: real `citizenwatt serve` bases (simulated households in real SQLite stores) opt in
// and upload through the blind-token scheme to a real `citizenwatt hub` on a real PostgreSQL,
// over HTTPS. To reach k, a test client also contributes through the same token flow (the
// library code the bases run), each as its own enrolled base.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "hub/hub_env.h"
#include "process.h"

namespace cw::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

struct Hub {
  hubtest::TestPostgres pg;
  hubtest::TestTls tls;
  TempDir tmp;
  std::unique_ptr<Process> proc;
  int port = 0;
  int runs = 0;

  void start(int fixed_port = 0) {
    proc = std::make_unique<Process>(
        std::vector<std::string>{"hub", "--db", pg.url(), "--listen",
                                 "127.0.0.1:" + std::to_string(fixed_port), "--tls-cert",
                                 tls.cert(), "--tls-key", tls.key(), "--publish-ms", "100"},
        tmp.path() / ("hub" + std::to_string(++runs) + ".log"));
    auto p = proc->wait_for_log(R"(hub: listening on https://127\.0\.0\.1:(\d+))", 30s);
    ASSERT_TRUE(p.has_value()) << proc->log();
    port = std::stoi(*p);
  }
  void stop() {
    proc->signal(SIGTERM);
    EXPECT_EQ(proc->wait(20s), 0) << proc->log();
  }
  std::string enrol(const std::string& label) {
    auto r = run_cli({"hub", "--db", pg.url(), "enrol", label});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }
  privacy::HubClient client() const {
    return privacy::HubClient(privacy::HubEndpoint{"127.0.0.1", port, tls.ca_pem});
  }
  json get(const std::string& path) const {
    httplib::SSLClient c("127.0.0.1", port);
    c.set_ca_cert_path((tls.dir.path() / "ca.pem").c_str());
    auto res = c.Get(path.c_str());
    if (!res || res->status != 200) return nullptr;
    return json::parse(res->body, nullptr, false);
  }
  // Households of the city cell of a day, -1 while it is not published.
  int city(const std::string& day) const {
    json d = get("/open/v1/daily?period=" + day + "&dimension=all");
    if (!d.is_object()) return -1;
    for (const auto& c : d["cells"])
      if (c["area"] == "*" && c["households"].is_number()) return c["households"];
    return -1;
  }
  json area(const std::string& day, const std::string& code) const {
    json d = get("/open/v1/daily?period=" + day + "&dimension=all&area=" + code);
    return d.is_object() && !d["cells"].empty() ? d["cells"][0] : json();
  }
};

struct Base {
  TempDir tmp;
  std::unique_ptr<Process> proc;
  int port = 0;
  std::string cookie;

  void start(const Calendar& cal, TimeMs from, TimeMs to, double scale, std::uint32_t seed) {
    {
      std::filesystem::create_directories(tmp.path() / "var");
      auto st = store::open_sqlite_store((tmp.path() / "var" / "citizenwatt.db").string(), cal);
      ASSERT_TRUE(st.is_ok()) << st.status().to_string();
      hubtest::write_household(**st, from, to, scale, seed);
    }
    proc = std::make_unique<Process>(
        std::vector<std::string>{"serve", "--data", (tmp.path() / "var").string(), "--listen",
                                 "127.0.0.1:0", "--privacy-poll-ms", "200", "--privacy-spread-ms",
                                 "0", "--privacy-settle-ms", "0", "--privacy-backoff-ms", "200",
                                 "--privacy-comparator-ms", "500"},
        tmp.path() / "serve.log");
    auto http = proc->wait_for_log(R"(base station on http://127\.0\.0\.1:(\d+))", 20s);
    ASSERT_TRUE(http.has_value()) << proc->log();
    port = std::stoi(*http);
    httplib::Client c("127.0.0.1", port);
    auto res = c.Post("/api/v1/setup", R"({"username":"alice","password":"correct horse battery"})",
                      "application/json");
    ASSERT_TRUE(res && res->status == 201);
    std::smatch m;
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    ASSERT_TRUE(std::regex_search(set_cookie, m, std::regex("cw_session=([^;]+)")));
    cookie = "cw_session=" + m[1].str();
  }
  json call(const std::string& method, const std::string& path, const json& body = nullptr,
            int expect = 200) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(20, 0);
    httplib::Headers h = {{"Cookie", cookie},
                          {"Origin", "http://127.0.0.1:" + std::to_string(port)}};
    httplib::Result res = method == "GET" ? c.Get(path.c_str(), h)
                          : method == "PUT"
                              ? c.Put(path.c_str(), h, body.dump(), "application/json")
                              : c.Delete(path.c_str(), h);
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expect) << method << " " << path << " " << res->body;
    return json::parse(res->body, nullptr, false);
  }
  void opt_in(const Hub& hub, const std::string& credential) {
    call("PUT", "/api/v1/privacy/hub",
         {{"url", "https://127.0.0.1:" + std::to_string(hub.port)},
          {"credential", credential},
          {"ca_pem", hub.tls.ca_pem}});
    call("PUT", "/api/v1/privacy/context", {{"area", "75111"}, {"household_size", "2"}});
    for (const char* purpose : {"open_data", "comparator"})
      call("PUT", "/api/v1/privacy/consent",
           {{"purpose", purpose},
            {"granted", true},
            {"text_version", "1"},
            {"lang", "fr"},
            {"backfill_days", 2}});
  }
  json queue() { return call("GET", "/api/v1/privacy")["queue"]; }
};

TEST(IntegrationHub, BasesShareThroughBlindTokensAndTheHubPublishesOnlySafeCells) {
  auto cal = Calendar::in_zone("Europe/Paris");
  ASSERT_TRUE(cal.is_ok());
  const TimeMs now = SystemClock().now();
  const TimeMs today = cal->floor(now, Period::kDay);
  const TimeMs d1 = cal->floor(today - 12 * kHourMs, Period::kDay);  // yesterday
  const TimeMs d2 = cal->floor(d1 - 12 * kHourMs, Period::kDay);     // the day before
  const std::string day1 = privacy::format_day(*cal, d1), day2 = privacy::format_day(*cal, d2);

  Hub hub;
  hub.start();
  // The community: 10 households of 75111 (size 2), 3 of 75199 (below k), and 10 of 75198 with
  // one that dominates; each its own base, through the token flow.
  auto client = hub.client();
  privacy::Contribution replay;
  for (const std::string& day : {day1, day2}) {
    for (int i = 0; i < 23; ++i) {
      const std::string code = i < 10 ? "75111" : i < 13 ? "75199" : "75198";
      const std::int64_t wh = i == 22 ? 400000 : 6000 + 10 * i;
      Status s = hubtest::contribute(client, hub.enrol("neighbour"),
                                     hubtest::daily(day, wh, code, "2"), &replay);
      ASSERT_TRUE(s.is_ok()) << s.to_string();
    }
  }

  Base a, b;
  a.start(*cal, d2, now, 1.0, 1);
  b.start(*cal, d2, now, 1.4, 2);
  a.opt_in(hub, hub.enrol("base A"));
  b.opt_in(hub, hub.enrol("base B"));
  for (const std::string& day : {day1, day2})
    ASSERT_TRUE(eventually([&] { return hub.city(day) == 25; }, 60s))
        << day << ": " << hub.city(day) << "\n"
        << a.proc->log() << b.proc->log();
  EXPECT_EQ(a.queue()["sent"], 2);
  EXPECT_EQ(b.queue()["sent"], 2);
  // k and dominance on every cell; the bases' area (12 households) is published.
  EXPECT_EQ(hub.area(day1, "75199")["suppressed"], "fewer_than_k");
  EXPECT_EQ(hub.area(day1, "75198")["suppressed"], "dominance");
  EXPECT_EQ(hub.area(day1, "75111")["households"], 12);

  // A replayed upload changes nothing; a forged token is refused.
  EXPECT_TRUE(client.upload(privacy::to_json(replay)).is_ok());
  privacy::Contribution forged = replay;
  forged.token.sig[5] ^= 1;
  EXPECT_EQ(client.upload(privacy::to_json(forged)).code(), Code::kPermissionDenied);

  // The comparator runs at home, on downloaded distributions.
  ASSERT_TRUE(eventually(
      [&] { return b.call("GET", "/api/v1/privacy/comparator")["group"]["area"] == "75111"; }, 30s))
      << b.call("GET", "/api/v1/privacy/comparator").dump();
  json cmp = b.call("GET", "/api/v1/privacy/comparator");
  EXPECT_GE(cmp["share_using_more"].get<double>(), 0.0);
  EXPECT_LE(cmp["share_using_more"].get<double>(), 1.0);
  EXPECT_EQ(cmp["group"]["area"], "75111");

  // Base A revokes: its two days leave every later publication.
  a.call("DELETE", "/api/v1/privacy/consent");
  for (const std::string& day : {day1, day2})
    ASSERT_TRUE(eventually([&] { return hub.city(day) == 24; }, 60s)) << day << a.proc->log();
  EXPECT_EQ(a.queue()["erasures_pending"], 0);
  EXPECT_EQ(hub.area(day1, "75111")["households"], 11);

  // Hub down: a third base opts in and queues; hub up again: everything arrives, once.
  const int port = hub.port;
  hub.stop();
  Base c;
  c.start(*cal, d2, now, 0.8, 3);
  c.opt_in(hub, hub.enrol("base C"));
  ASSERT_TRUE(eventually([&] { return c.queue()["pending"] == 2; }, 30s)) << c.queue().dump();
  EXPECT_EQ(c.queue()["sent"], 0);
  hub.start(port);
  ASSERT_TRUE(eventually([&] { return c.queue()["sent"] == 2; }, 60s)) << c.proc->log();
  for (const std::string& day : {day1, day2})
    ASSERT_TRUE(eventually([&] { return hub.city(day) == 25; }, 60s)) << day;
  EXPECT_EQ(hub.area(day1, "75111")["households"], 12);
}

}  // namespace
}  // namespace cw::testing
