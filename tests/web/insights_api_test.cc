// The insight routes over a real store: alerts driven by a ManualClock (open once, ack, close),
// the target, the always-on power, challenges and tips.
#include "analytics/alert_evaluator.h"
#include "analytics/baseload.h"
#include "analytics/challenge_ledger.h"
#include "analytics/insight_data.h"
#include "analytics/money.h"
#include "analytics/tariff_periods.h"
#include "web_fixture.h"

namespace cw::web::testing {
namespace {

using analytics::testing::samples_of;

class InsightsApi : public WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    token_ = token(store::TokenScope::kWrite);
    read_ = token(store::TokenScope::kRead);
    evaluator_ =
        std::make_unique<analytics::AlertEvaluator>(*store_, *insights_, *calendar_, data_dir_);
  }

  SensorId add_sensor(const std::string& name, SensorId id) {
    store::NewSensor ns;
    ns.name = name;
    ns.id = id;
    auto s = store_->add_sensor(ns);
    EXPECT_TRUE(s.is_ok()) << s.status().to_string();
    return id;
  }

  // Commits samples as the pipeline would: the sensor's state follows the last one.
  void commit(SensorId id, const std::vector<Sample>& samples, std::uint8_t flags = 0) {
    store::SensorBatch b;
    b.sensor = id;
    b.samples = samples;
    b.state.has_counter = true;
    b.state.last_counter = samples.back().counter;
    b.state.last_seen = samples.back().t;
    b.state.last_power_w = samples.back().power_w;
    b.state.last_raw_energy_wh = samples.back().energy_wh;
    b.state.supply_mv = 3000;
    b.state.flags = flags;
    Status st = store_->commit({.sensors = {b}});
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  json get(const std::string& path, int status = 200) {
    auto r = client()->Get(path, bearer(token_));
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, status) << path << " " << r->body;
    return json::parse(r->body, nullptr, false);
  }
  httplib::Result put_target(const std::string& body, const std::string& tok = "") {
    return client()->Put("/api/v1/target", bearer(tok.empty() ? token_ : tok), body,
                         "application/json");
  }
  httplib::Result ack(std::int64_t id, const std::string& tok = "") {
    return client()->Post("/api/v1/alerts/" + std::to_string(id) + "/ack",
                          bearer(tok.empty() ? token_ : tok), "", "application/json");
  }
  void evaluate() {
    auto pass = evaluator_->run(clock_.now());
    ASSERT_TRUE(pass.is_ok()) << pass.status().to_string();
  }

  std::string token_, read_;
  std::unique_ptr<analytics::AlertEvaluator> evaluator_;
};

TEST_F(InsightsApi, ASilentSensorOpensOneAlertThatIsAckedThenClosesWhenFramesReturn) {
  const SensorId id = add_sensor("Hall", 4);
  const TimeMs t0 = clock_.now();
  commit(id, {{t0, 1, 300, 10}});
  clock_.set(t0 + 5 * kMinuteMs - kSecondMs);
  evaluate();
  EXPECT_TRUE(get("/api/v1/alerts")["alerts"].empty());

  clock_.set(t0 + 5 * kMinuteMs);
  evaluate();
  json alerts = get("/api/v1/alerts")["alerts"];
  ASSERT_EQ(alerts.size(), 1u) << alerts.dump();
  const json& a = alerts[0];
  EXPECT_EQ(a["kind"], "sensor_silent");
  EXPECT_EQ(a["state"], "open");
  EXPECT_EQ(a["sensor"], 4);
  EXPECT_EQ(a["opened_ms"], t0 + 5 * kMinuteMs);
  EXPECT_EQ(a["params"], (json{{"sensor", 4}, {"name", "Hall"}, {"since_ms", t0}}));
  EXPECT_EQ(a["message"], "Sensor 'Hall' has sent nothing since 2024-04-01 14:00");
  EXPECT_TRUE(a["acknowledged_ms"].is_null());
  EXPECT_TRUE(a["closed_ms"].is_null());
  // Still silent, evaluated again and again: still the one alert.
  for (int k = 1; k <= 5; ++k) {
    clock_.set(t0 + (5 + k) * kMinuteMs);
    evaluate();
  }
  ASSERT_EQ(get("/api/v1/alerts?state=all")["alerts"].size(), 1u);

  const std::int64_t alert_id = a["id"];
  auto r = ack(alert_id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body_json(r)["state"], "acknowledged");
  EXPECT_EQ(body_json(r)["acknowledged_ms"], clock_.now());
  evaluate();
  alerts = get("/api/v1/alerts")["alerts"];
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["state"], "acknowledged");  // until it closes

  // Frames again: the episode closes.
  commit(id, {{clock_.now(), 2, 310, 11}});
  clock_.advance(3 * kSecondMs);
  evaluate();
  EXPECT_TRUE(get("/api/v1/alerts")["alerts"].empty());
  alerts = get("/api/v1/alerts?state=closed")["alerts"];
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["id"], alert_id);
  EXPECT_EQ(alerts[0]["closed_ms"], clock_.now());

  // A new silence is a new episode.
  clock_.advance(5 * kMinuteMs);
  evaluate();
  alerts = get("/api/v1/alerts")["alerts"];
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(alerts[0]["id"], alert_id);
  EXPECT_EQ(get("/api/v1/alerts?state=all")["alerts"].size(), 2u);
}

TEST_F(InsightsApi, APairedSensorThatNeverSentIsSilentFromItsCreation) {
  add_sensor("New", 6);
  analytics::AlertOptions o;
  o.silent_after_ms = 5 * kSecondMs;
  analytics::AlertEvaluator quick(*store_, *insights_, *calendar_, data_dir_, o);
  const TimeMs created = store_->sensor(6)->created;
  ASSERT_TRUE(quick.run(created + 4 * kSecondMs).is_ok());
  EXPECT_TRUE(get("/api/v1/alerts")["alerts"].empty());
  ASSERT_TRUE(quick.run(created + 5 * kSecondMs).is_ok());
  json alerts = get("/api/v1/alerts")["alerts"];
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["params"]["since_ms"], created);
}

TEST_F(InsightsApi, LowBatteryAndNearSubscribedPower) {
  const SensorId id = add_sensor("Meter", 2);
  const TimeMs t0 = clock_.now() - 2 * kMinuteMs;
  // 5600 W (93 % of 6 kVA) every 10 s for 2 minutes, the low-battery flag on the last frame.
  std::vector<Sample> s;
  for (int k = 0; k <= 12; ++k)
    s.push_back({t0 + k * 10 * kSecondMs, std::uint32_t(k + 1), 5600, k});
  commit(id, s, 0x08);
  evaluate();
  json alerts = get("/api/v1/alerts")["alerts"];
  std::map<std::string, json> by_kind;
  for (const auto& a : alerts) by_kind[a["kind"]] = a;
  ASSERT_EQ(by_kind.size(), 2u) << alerts.dump();
  EXPECT_EQ(by_kind["near_subscribed_power"]["params"],
            (json{{"sensor", 2}, {"power_w", 5600}, {"limit_w", 6000}, {"kva", 6}}));
  EXPECT_EQ(by_kind["battery_low"]["params"]["supply_mv"], 3000);
  EXPECT_EQ(by_kind["battery_low"]["message"],
            "The battery of sensor 'Meter' is low (3.00 V): replace it soon");
}

TEST_F(InsightsApi, AckNeedsWriteAnOpenAlertAndAKnownId) {
  const SensorId id = add_sensor("Hall", 4);
  commit(id, {{clock_.now() - kHourMs, 1, 300, 10}});
  evaluate();
  const std::int64_t alert_id = get("/api/v1/alerts")["alerts"][0]["id"];
  expect_error(ack(alert_id, read_), 403, "insufficient_scope");
  expect_error(ack(987654), 404, "not_found");
  ASSERT_EQ(ack(alert_id)->status, 200);
  expect_error(ack(alert_id), 409, "not_open");
  expect_error(client()->Get("/api/v1/alerts?state=sleeping", bearer(token_)), 400,
               "invalid_argument");
  expect_error(client()->Get("/api/v1/alerts?limit=0", bearer(token_)), 400, "invalid_argument");
  expect_error(client()->Get("/api/v1/alerts"), 401, "unauthenticated");
  EXPECT_EQ(get("/api/v1/alerts?state=acknowledged&limit=1")["alerts"].size(), 1u);
}

TEST_F(InsightsApi, TargetIsSetReplacedRemovedAndABadBodyChangesNothing) {
  add_test_data();
  json t = get("/api/v1/target");
  EXPECT_TRUE(t["target"].is_null());
  EXPECT_EQ(t["status"], "none");
  auto r = put_target(R"({"unit": "eur", "amount": "45.00"})");
  ASSERT_EQ(r->status, 200) << r->body;
  t = get("/api/v1/target");
  EXPECT_EQ(t["target"], (json{{"unit", "eur"}, {"amount", "45.00"}}));
  EXPECT_EQ(t["month"], "2024-04");
  EXPECT_DOUBLE_EQ(t["so_far"]["kwh"].get<double>(), 3.6);
  // 3.6 kWh × 0.2516 € + 14 hours of April's 12.60 € subscription (0.245 €).
  EXPECT_EQ(t["so_far"]["cost"]["micros"], 905760 + 245000);
  EXPECT_NEAR(t["share"].get<double>(), 1.15076 / 45, 0.001);
  for (const char* bad : {R"({"unit": "eur", "amount": 45})", R"({"unit": "eur", "amount": "-3"})",
                          R"({"unit": "usd", "amount": "45"})", R"({"unit": "eur"})", R"([1, 2])",
                          "not json", R"({"target": 3})", R"({"unit": "kwh", "amount": "1e3"})"}) {
    expect_error(put_target(bad), 400, "invalid_argument");
  }
  EXPECT_EQ(get("/api/v1/target")["target"]["amount"], "45.00");  // unchanged
  expect_error(put_target(R"({"unit": "kwh", "amount": "300"})", read_), 403, "insufficient_scope");
  // A session needs a same-origin request to write.
  const std::string session = admin_session();
  expect_error(client()->Put("/api/v1/target", {{"Cookie", "cw_session=" + session}},
                             R"({"unit": "kwh", "amount": "300"})", "application/json"),
               403, "csrf_rejected");
  r = client()->Put("/api/v1/target", browser(session),
                    R"({"target": {"unit": "kwh", "amount": "300"}})", "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body_json(r)["target"], (json{{"unit", "kwh"}, {"amount", "300.00"}}));
  EXPECT_EQ(body_json(r)["status"], "at_risk");  // the forecast says ~2545 kWh
  r = put_target(R"({"target": null})");
  ASSERT_EQ(r->status, 200);
  EXPECT_TRUE(body_json(r)["target"].is_null());
  EXPECT_EQ(body_json(r)["status"], "none");
}

TEST_F(InsightsApi, TargetAtRiskOpensWhenTheProjectionPassesItAndClosesWhenItIsRaised) {
  const SensorId id = add_sensor("Home", 1);
  // 1000 W from 1 April (local) to the 9th, 14:00: 206 kWh, about 720 kWh by the month's end.
  const TimeMs from = *parse_instant("2024-03-31T22:00:00Z");
  clock_.set(*parse_instant("2024-04-09T12:00:00Z"));
  commit(id, samples_of(from, clock_.now(), kMinuteMs, [](TimeMs) { return 1000.0; }));
  evaluate();
  ASSERT_EQ(put_target(R"({"unit": "kwh", "amount": "300"})")->status, 200);
  ASSERT_EQ(get("/api/v1/target")["projection"]["confidence"], "medium");  // 8 days of history
  evaluate();  // a new target is judged at once, not at the next 10-minute round
  json risk;
  const json open = get("/api/v1/alerts");  // alive while iterated
  for (const auto& a : open["alerts"])
    if (a["kind"] == "target_at_risk") risk = a;
  ASSERT_TRUE(risk.is_object());
  EXPECT_TRUE(risk["sensor"].is_null());
  EXPECT_EQ(risk["params"]["unit"], "kwh");
  EXPECT_EQ(risk["params"]["target"], 300.0);
  EXPECT_EQ(risk["params"]["month"], "2024-04");
  EXPECT_NEAR(risk["params"]["projection"].get<double>(),
              get("/api/v1/target")["projection"]["kwh"].get<double>(), 0.05);
  EXPECT_EQ(risk["message"].get<std::string>().rfind("This month (2024-04) is heading for ", 0),
            0u);
  ASSERT_EQ(put_target(R"({"unit": "kwh", "amount": "5000"})")->status, 200);
  evaluate();
  const json after = get("/api/v1/alerts");
  for (const auto& a : after["alerts"]) EXPECT_NE(a["kind"], "target_at_risk");
  const json closed = get("/api/v1/alerts?state=closed");
  ASSERT_EQ(closed["alerts"].size(), 1u);
  EXPECT_EQ(closed["alerts"][0]["id"], risk["id"]);
}

TEST_F(InsightsApi, BaseloadOfAWeekOfNights) {
  const SensorId id = add_sensor("Home", 1);
  // 1 April 22:00Z (the 2nd, 00:00 local) to 9 April 12:00Z: 130 W at night, 700 W by day.
  const TimeMs from = *parse_instant("2024-04-01T22:00:00Z");
  const TimeMs to = *parse_instant("2024-04-09T12:00:00Z");
  commit(id, samples_of(from, to, kMinuteMs, [&](TimeMs t) {
           return analytics::local_clock(*calendar_, t).minute < 300 ? 130.0 : 700.0;
         }));
  clock_.set(to);
  const json b = get("/api/v1/baseload");
  EXPECT_EQ(b["watts"], 130.0);
  EXPECT_EQ(b["nights"], 7);
  EXPECT_EQ(b["confidence"], "high");
  EXPECT_DOUBLE_EQ(b["yearly_kwh"].get<double>(), 130 * 8.766);
  EXPECT_EQ(b["yearly_cost"]["micros"],
            analytics::round_to_micros(analytics::energy_cost(251600, 130 * 8766 * 1000)));
  EXPECT_EQ(b["price_kwh"], "0.2516");
  EXPECT_EQ(b["per_night"].size(), 7u);
  EXPECT_EQ(b["per_night"][6],
            (json{{"night", "2024-04-09"}, {"watts", 130.0}, {"coverage", 1.0}}));
  EXPECT_EQ(b["previous_nights"], 1);  // only the night of the 2nd, in the week before
  EXPECT_EQ(b["previous_w"], 130.0);
  EXPECT_EQ(b["change_w"], 0.0);
}

TEST_F(InsightsApi, ChallengesShowTheWeekTheHistoryTheStreakAndBadges) {
  const SensorId id = add_sensor("Home", 1);
  // Four weeks at 600 W from Monday 4 March 2024, then the week of 1 April at 450 W.
  const TimeMs w0 = *parse_instant("2024-03-03T23:00:00Z");
  const TimeMs w4 = *parse_instant("2024-03-31T22:00:00Z"), w5 = w4 + 7 * kDayMs;
  commit(id, samples_of(w0, w5, kMinuteMs, [&](TimeMs t) { return t <= w4 ? 600.0 : 450.0; }));
  clock_.set(w4 + 3 * kDayMs);
  json c = get("/api/v1/challenges");
  ASSERT_FALSE(c["current"].is_null()) << c.dump();  // chosen on the fly, before any ledger run
  EXPECT_EQ(c["current"]["week_start"], "2024-04-01T00:00:00+02:00");
  EXPECT_EQ(c["current"]["status"], "on_track");
  EXPECT_TRUE(c["history"].empty());
  analytics::ChallengeLedger ledger(*store_, *insights_, *calendar_, data_dir_);
  ASSERT_TRUE(ledger.run(clock_.now()).is_ok());
  const json begun = get("/api/v1/challenges")["current"];
  EXPECT_EQ(begun["kind"], c["current"]["kind"]);  // the recorded plan is the one shown

  clock_.set(w5 + kHourMs);
  ASSERT_TRUE(ledger.run(clock_.now()).is_ok());
  c = get("/api/v1/challenges?sensor=1");
  ASSERT_EQ(c["history"].size(), 1u) << c.dump();
  EXPECT_EQ(c["history"][0]["won"], true);
  EXPECT_EQ(c["history"][0]["result"], "won");
  EXPECT_EQ(c["history"][0]["week_start"], "2024-04-01T00:00:00+02:00");
  EXPECT_FALSE(c["history"][0]["message"].get<std::string>().empty());
  EXPECT_EQ(c["streak"], 1);
  ASSERT_EQ(c["badges"].size(), 1u);
  EXPECT_EQ(c["badges"][0], (json{{"id", "first_win"}, {"earned_ms", w5}}));
  EXPECT_EQ(c["current"]["week_start"], "2024-04-08T00:00:00+02:00");
}

TEST_F(InsightsApi, TipsAreCostedAndMostValuableFirst) {
  const SensorId id = add_sensor("Home", 1);
  const TimeMs from = *parse_instant("2024-03-24T23:00:00Z");  // 25 March 00:00 local
  const TimeMs to = *parse_instant("2024-04-20T12:00:00Z");
  commit(id, samples_of(from, to, kMinuteMs, [&](TimeMs t) {
           return analytics::local_clock(*calendar_, t).minute < 300 ? 220.0 : 900.0;
         }));
  clock_.set(to);
  const json r = get("/api/v1/tips?sensor=1");
  ASSERT_GE(r["tips"].size(), 2u) << r.dump();
  std::set<std::string> ids;
  std::int64_t previous = INT64_MAX;
  for (const auto& t : r["tips"]) {
    ids.insert(t["id"]);
    const std::int64_t micros = t["saving_year"]["micros"];
    EXPECT_LE(micros, previous) << "tips are sorted by yearly value";
    EXPECT_GT(micros, 0);
    EXPECT_DOUBLE_EQ(t["saving_year"]["eur"].get<double>(), double(micros) / 1e6);
    EXPECT_FALSE(t["message"].get<std::string>().empty());
    previous = micros;
  }
  EXPECT_TRUE(ids.count("high_baseload"));
  EXPECT_TRUE(ids.count("switch_option"));  // Tempo in spring beats Base for this home
  for (const auto& t : r["tips"]) {
    if (t["id"] != "high_baseload") continue;
    EXPECT_EQ(t["params"]["watts"], 220.0);
    EXPECT_DOUBLE_EQ(t["saving_kwh_year"].get<double>(), 1490.2);  // 170 W × 8766 h
  }
}

TEST_F(InsightsApi, UnknownOrMissingSensors) {
  for (const char* path : {"/api/v1/baseload", "/api/v1/challenges", "/api/v1/tips"})
    expect_error(client()->Get(path, bearer(token_)), 404, "not_found");
  // The target stands without a sensor; it has nothing to be measured against yet.
  ASSERT_EQ(put_target(R"({"unit": "kwh", "amount": "250"})")->status, 200);
  const json t = get("/api/v1/target");
  EXPECT_EQ(t["target"]["amount"], "250.00");
  EXPECT_EQ(t["status"], "none");
  add_test_data();
  for (const char* path : {"/api/v1/baseload?sensor=9", "/api/v1/challenges?sensor=9",
                           "/api/v1/tips?sensor=9", "/api/v1/target?sensor=9"})
    expect_error(client()->Get(path, bearer(token_)), 404, "not_found");
  expect_error(client()->Get("/api/v1/baseload?sensor=x", bearer(token_)), 400, "invalid_argument");
}

TEST_F(InsightsApi, WithoutAnInsightStoreTheRoutesSayUnavailable) {
  WebServer bare(WebContext{*store_, *accounts_, hub_, *calendar_, clock_, nullptr, "x", ""});
  ASSERT_TRUE(bare.listen("127.0.0.1", 0).is_ok());
  httplib::Client c("127.0.0.1", bare.port());
  expect_error(c.Get("/api/v1/alerts", bearer(token_)), 503, "unavailable");
  bare.stop();
}

}  // namespace
}  // namespace cw::web::testing
