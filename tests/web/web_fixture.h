// A real WebServer on a free port over a real SQLite store in a temp dir, with helpers to make
// users, sessions, tokens and data. Shared by the web tests.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "ingest/input_binder.h"
#include "ingest/live_hub.h"
#include "ingest/pipeline.h"
#include "privacy/base_store.h"
#include "privacy/service.h"
#include "store/accounts.h"
#include "store/inputs.h"
#include "store/insights.h"
#include "store/store.h"
#include "web/accounts_admin.h"
#include "web/metrics.h"
#include "web/server.h"
#include "web/sessions.h"

namespace cw::web::testing {

using nlohmann::json;

// 2024-04-01T10:00:00Z (12:00 in Paris).
inline constexpr TimeMs kT0 = 1711965600000;
inline constexpr SensorId kSensor = 1;
inline constexpr int kSamples = 361;  // one every 10 s over [kT0, kT0 + 1 h]

// Sample k: 3600 W, register 1000 + 10 k Wh (3600 W for 10 s is exactly 10 Wh).
inline Sample test_sample(int k) {
  return Sample{kT0 + k * 10 * kSecondMs, static_cast<std::uint32_t>(k + 1), 3600, 1000 + 10 * k};
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cw_web_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class WebTest : public ::testing::Test {
 protected:
  static constexpr const char* kAdminPassword = "correct horse battery";

  void SetUp() override { start(WebOptions{}); }

  void start(WebOptions options) {
    options.live_poll_ms = 20;
    options.heartbeat_ms = std::min<TimeMs>(options.heartbeat_ms, 300);
    write_file(dir_.path() / "ui" / "index.html", "<!doctype html><title>CitizenWatt</title>");
    write_file(dir_.path() / "ui" / "app.js", "console.log('cw');");
    write_file(dir_.path() / "ui" / "css" / "main.css", "body{}");
    write_file(dir_.path() / "secret.txt", "TOP SECRET");
    auto cal = Calendar::in_zone("Europe/Paris");
    ASSERT_TRUE(cal.is_ok());
    calendar_ = std::make_unique<Calendar>(*cal);
    const std::string db = (dir_.path() / "citizenwatt.db").string();
    auto store = store::open_sqlite_store(db, *calendar_);
    ASSERT_TRUE(store.is_ok()) << store.status().to_string();
    store_ = std::move(*store);
    auto accounts = store::open_sqlite_accounts(db);
    ASSERT_TRUE(accounts.is_ok()) << accounts.status().to_string();
    accounts_ = std::move(*accounts);
    auto insights = store::open_sqlite_insights(db);
    ASSERT_TRUE(insights.is_ok()) << insights.status().to_string();
    insights_ = std::move(*insights);
    // The inputs side (emoncms-style inputs, meter registers, metrics), as serve wires it.
    auto inputs = store::open_sqlite_inputs(db);
    ASSERT_TRUE(inputs.is_ok()) << inputs.status().to_string();
    inputs_ = std::move(*inputs);
    pipeline_ = std::make_unique<ingest::Pipeline>(*store_, clock_, hub_);
    ASSERT_TRUE(pipeline_->start().is_ok());
    binder_ = std::make_unique<ingest::InputBinder>(*store_, *inputs_, *pipeline_);
    metrics_ = std::make_unique<Metrics>([this] { return pipeline_->stats(); });
    WebContext ctx{*store_,    *accounts_,
                   hub_,       *calendar_,
                   clock_,     [] {
                     return json{{"committed_samples", 0}}; },
                   "test-1.0", (dir_.path() / "ui").string(),
                   data_dir_,  insights_.get()};
    ctx.inputs = inputs_.get();
    ctx.binder = binder_.get();
    ctx.metrics = metrics_.get();
    ctx.privacy = privacy_service();
    server_ = std::make_unique<WebServer>(ctx, options);
    Status st = server_->listen("127.0.0.1", 0);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    ASSERT_GT(server_->port(), 0);
  }

  void TearDown() override {
    if (server_) server_->stop();
    if (pipeline_) pipeline_->stop();
  }

  static void write_file(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }

  std::unique_ptr<httplib::Client> client() {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    c->set_read_timeout(5, 0);
    c->set_connection_timeout(5, 0);
    return c;
  }
  std::string host() const { return "127.0.0.1:" + std::to_string(server_->port()); }

  store::User make_user(const std::string& name, store::Role role,
                        const std::string& password = kAdminPassword) {
    auto u = create_user(*accounts_, name, password, role, clock_.now());
    EXPECT_TRUE(u.is_ok()) << u.status().to_string();
    return u.is_ok() ? *u : store::User{};
  }

  // A session opened directly in the store (no Argon2): fast, for tests of other routes.
  std::string session_for(const store::User& u) {
    auto o = open_session(*accounts_, u, clock_.now());
    EXPECT_TRUE(o.is_ok());
    return o.is_ok() ? o->id : "";
  }
  std::string admin_session() {
    if (admin_.id == 0) admin_ = make_user("alice", store::Role::kAdmin);
    return session_for(admin_);
  }

  std::string token(store::TokenScope scope, const std::string& name = "") {
    auto t = create_token(*accounts_, name.empty() ? "t" + std::to_string(++tokens_) : name, scope,
                          clock_.now());
    EXPECT_TRUE(t.is_ok()) << t.status().to_string();
    return t.is_ok() ? t->secret : "";
  }

  // Headers of a same-origin browser request carrying a session.
  httplib::Headers browser(const std::string& session) const {
    return {{"Cookie", "cw_session=" + session}, {"Origin", "http://" + host()}};
  }
  static httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  // Sensor 1 with kSamples samples committed through the store.
  void add_test_data() {
    store::NewSensor ns;
    ns.name = "Kitchen";
    ns.id = kSensor;
    auto s = store_->add_sensor(ns);
    ASSERT_TRUE(s.is_ok()) << s.status().to_string();
    store::SensorBatch b;
    b.sensor = kSensor;
    for (int k = 0; k < kSamples; ++k) b.samples.push_back(test_sample(k));
    const Sample& last = b.samples.back();
    b.state.has_counter = true;
    b.state.last_counter = last.counter;
    b.state.last_seen = last.t;
    b.state.last_power_w = last.power_w;
    b.state.last_raw_energy_wh = last.energy_wh;
    b.state.voltage_dv = 2301;
    b.state.supply_mv = 3300;
    b.state.flags = 0x08;
    b.state.frames[Verdict::kAccepted] = kSamples;
    b.state.frames[Verdict::kForged] = 2;
    b.state.frames.lost = 39;
    store::CommitBatch batch;
    batch.sensors.push_back(b);
    Status st = store_->commit(batch);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  static json body_json(const httplib::Result& r) {
    if (!r) return json();
    return json::parse(r->body, nullptr, false);
  }
  // The response is a JSON error with this status and code.
  static void expect_error(const httplib::Result& r, int status, const std::string& code = "") {
    ASSERT_TRUE(r) << "no response: " << httplib::to_string(r.error());
    EXPECT_EQ(r->status, status) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
    json j = json::parse(r->body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r->body;
    EXPECT_TRUE(j["error"].is_string()) << r->body;
    EXPECT_TRUE(j["message"].is_string()) << r->body;
    if (!code.empty()) {
      EXPECT_EQ(j.value("error", ""), code) << r->body;
    }
  }

  TempDir dir_;
  std::string data_dir_;  // the base's data folder (household settings); empty = defaults only
  ManualClock clock_{kT0 + 2 * kHourMs};
  ingest::LiveHub hub_;
  std::unique_ptr<Calendar> calendar_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::AccountStore> accounts_;
  std::unique_ptr<store::InsightStore> insights_;
  std::unique_ptr<store::InputStore> inputs_;
  std::unique_ptr<ingest::Pipeline> pipeline_;
  std::unique_ptr<ingest::InputBinder> binder_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<WebServer> server_;
  // Consent and sharing (routes_privacy.cc): its database in the temp dir, no worker thread.
  privacy::PrivacyService* privacy_service() {
    if (!privacy_) {
      auto db = privacy::PrivacyStore::open((dir_.path() / "privacy.db").string());
      EXPECT_TRUE(db.is_ok());
      privacy_db_ = std::move(*db);
      privacy_ = std::make_unique<privacy::PrivacyService>(*privacy_db_, *store_, *calendar_, clock_);
    }
    return privacy_.get();
  }
  std::unique_ptr<privacy::PrivacyStore> privacy_db_;
  std::unique_ptr<privacy::PrivacyService> privacy_;
  store::User admin_;
  int tokens_ = 0;
};

}  // namespace cw::web::testing
