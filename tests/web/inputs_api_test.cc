// emoncms-compatible inputs with the request shapes real uploaders send (emoncms's own input API
// documentation, emonESP, IoTaWatt's bulk uploader, Tasmota/ESPHome http posts), the ingest
// scope, the meter registers route and /metrics.
#include <regex>
#include <sstream>

#include "web_fixture.h"

namespace cw::web::testing {
namespace {

class InputsApiTest : public WebTest {
 protected:
  std::vector<Sample> samples_of(const std::string& name) {
    EXPECT_TRUE(pipeline_->flush().is_ok());
    auto list = store_->sensors();
    for (const auto& s : *list) {
      if (s.name != name) continue;
      std::vector<Sample> out;
      (void)store_->scan_raw(s.id, 0, INT64_MAX, [&](std::span<const Sample> xs) {
        out.insert(out.end(), xs.begin(), xs.end());
        return true;
      });
      return out;
    }
    ADD_FAILURE() << "no sensor named " << name;
    return {};
  }
  std::optional<store::Sensor> sensor_named(const std::string& name) {
    auto list = store_->sensors();
    for (const auto& s : *list)
      if (s.name == name) return s;
    return std::nullopt;
  }
};

TEST_F(InputsApiTest, EmonEspGetWithApikeyAndFulljson) {
  const std::string key = token(store::TokenScope::kIngest);
  auto c = client();
  // emonESP: GET /input/post?node=emonesp&fulljson={...}&apikey=KEY
  auto r = c->Get(
      "/input/post?node=emonesp&apikey=" + key + "&fulljson=" +
      httplib::detail::encode_query_param(R"({"power1":100,"E1":5230,"vrms":231.5,"temp1":19.2})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, "ok");
  auto got = samples_of("emonesp power1");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].power_w, 100);
  EXPECT_EQ(got[0].energy_wh, 5230);
  auto s = sensor_named("emonesp power1");
  EXPECT_EQ(s->kind, store::SensorKind::kHttp);
  EXPECT_EQ(s->state.voltage_dv, 2315);
  EXPECT_EQ(store_->sensors()->size(), 1u);  // temp1 is no sensor
}

TEST_F(InputsApiTest, LegacyJsonCsvNodeInPathTimeAndBearer) {
  const std::string key = token(store::TokenScope::kIngest);
  auto c = client();
  const TimeMs t = kT0;  // an uploader's buffered reading, with its own time
  auto r = c->Post("/emoncms/input/post.json?node=10&time=" + std::to_string(t / 1000) +
                       "&json={power1:200,power2:300}",
                   bearer(key), "", "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "ok");
  auto p1 = samples_of("10 power1");
  ASSERT_EQ(p1.size(), 1u);
  EXPECT_EQ(p1[0].t, t);
  EXPECT_EQ(samples_of("10 power2").at(0).power_w, 300);
  // Form-encoded body, node in the path, csv values.
  r = c->Post("/input/post/emontx", bearer(key), "csv=100,250",
              "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "ok") << r->body;
  EXPECT_EQ(samples_of("emontx 2").at(0).power_w, 250);
  // A replay of the same timestamped reading adds nothing.
  r = c->Post(
      "/input/post.json?node=10&time=" + std::to_string(t / 1000) + "&json={power1:200,power2:300}",
      bearer(key), "", "application/x-www-form-urlencoded");
  EXPECT_EQ(samples_of("10 power1").size(), 1u);
  EXPECT_EQ(sensor_named("10 power1")->state.frames[Verdict::kReplayed], 1u);
}

TEST_F(InputsApiTest, IotawattStyleBulkWithTimeReference) {
  const std::string key = token(store::TokenScope::kIngest);
  auto c = client();
  const std::string body = "data=" +
                           httplib::detail::encode_query_param(
                               "[[0,\"iotawatt\",{\"Mains\":1200},{\"Solar\":-300}],"
                               "[10,\"iotawatt\",{\"Mains\":1300},{\"Solar\":-250}],"
                               "[20,\"iotawatt\",{\"Mains\":1250}]]") +
                           "&time=" + std::to_string(kT0 / 1000);
  auto r = c->Post("/input/bulk.json?apikey=" + key, body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  auto mains = samples_of("iotawatt Mains");
  ASSERT_EQ(mains.size(), 3u);
  EXPECT_EQ(mains[1].t, kT0 + 10 * kSecondMs);
  EXPECT_EQ(mains[2].power_w, 1250);
  EXPECT_EQ(mains[2].energy_wh, 7);  // integrated (trapezoid): 25,250 W·s
  EXPECT_EQ(samples_of("iotawatt Solar").size(), 2u);
  auto sensors = body_json(c->Get("/api/v1/sensors", bearer(token(store::TokenScope::kRead))));
  bool seen = false;
  for (const auto& s : sensors["sensors"]) {
    if (s["name"] != "iotawatt Mains") continue;
    seen = true;
    EXPECT_EQ(s["kind"], "http");
    EXPECT_EQ(s["energy_source"], "estimated");
    EXPECT_EQ(s["power_unit"], "W");
  }
  EXPECT_TRUE(seen);
  // emoncms's legacy bulk: node ids and bare values, offsets relative to the last item.
  r = c->Get(
      "/input/bulk?apikey=" + key + "&data=" +
      httplib::detail::encode_query_param("[[0,16,1137],[2,17,1437,3164],[4,19,1412,3077]]"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(samples_of("17 2").at(0).power_w, 3164);
}

// IoTaWatt's emoncms uploader: GET /input/get?node= with a Bearer key at start ("Node does not
// exist" or the last times), then GET /input/bulk.json?time=T&data=[[0,"node",v1,null,v3],...]
// &apikey=KEY with values by position, expecting a body that starts with "ok".
TEST_F(InputsApiTest, IotawattStartsPostsAndResumes) {
  const std::string key = token(store::TokenScope::kIngest);
  auto c = client();
  auto r = c->Get("/input/get?node=IotaWatt", bearer(key));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body.rfind("\"Node does not exist\"", 0), 0u) << r->body;
  const std::string t = std::to_string(kT0 / 1000);
  r = c->Get("/input/bulk.json?time=" + t + "&data=" +
             httplib::detail::encode_query_param(
                 "[[0,\"IotaWatt\",1200,null,300],[10,\"IotaWatt\",1300,null,250]]") +
             "&apikey=" + key);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.rfind("ok", 0), 0u) << r->body;
  EXPECT_EQ(samples_of("IotaWatt 1").size(), 2u);
  EXPECT_EQ(samples_of("IotaWatt 3").at(1).power_w, 250);
  auto last = body_json(c->Get("/input/get?node=IotaWatt", bearer(key)));
  EXPECT_EQ(last["1"]["time"], kT0 / 1000 + 10) << last.dump();
  EXPECT_EQ(last["3"]["value"], 250);
  EXPECT_FALSE(last.contains("2"));  // a null position is no input
}

TEST_F(InputsApiTest, BadRequestsChangeNothingAndScopesHold) {
  const std::string ingest = token(store::TokenScope::kIngest);
  auto c = client();
  expect_error(c->Get("/input/post?node=x&fulljson=%7Bnot%20json&apikey=" + ingest), 400,
               "invalid_argument");
  expect_error(c->Get("/input/post?node=x&apikey=" + ingest), 400, "invalid_argument");
  expect_error(c->Get("/input/post?node=x&json={power1:abc}&apikey=" + ingest), 400);
  expect_error(c->Get("/input/bulk?data=[[0,1,100],[\"x\"]]&apikey=" + ingest), 400);
  // A bad value anywhere in a bulk refuses all of it.
  expect_error(c->Get("/input/bulk?apikey=" + ingest + "&data=" +
                      httplib::detail::encode_query_param("[[0,5,100],[1,5,{\"power1\":1e12}]]")),
               400);
  EXPECT_TRUE(store_->sensors()->empty());
  expect_error(c->Get("/input/post?node=x&csv=1"), 401, "unauthenticated");
  expect_error(c->Get("/input/post?node=x&csv=1&apikey=cwt_nope"), 401, "unauthenticated");
  expect_error(c->Get("/input/post?node=x&csv=1", bearer(token(store::TokenScope::kRead))), 403,
               "insufficient_scope");
  // An ingest token reads nothing and changes no setting.
  expect_error(c->Get("/api/v1/sensors", bearer(ingest)), 403, "insufficient_scope");
  expect_error(c->Get("/metrics", bearer(ingest)), 403, "insufficient_scope");
  // A browser's session is no key for inputs (a cross-site <img> could post with it).
  expect_error(c->Get("/input/post?node=x&csv=1", browser(admin_session())), 403,
               "insufficient_scope");
  // A write token may post inputs too.
  auto r = c->Get("/input/post?node=w&csv=5", bearer(token(store::TokenScope::kWrite)));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "ok");
}

TEST_F(InputsApiTest, MetricsAreTextExpositionWithRequestsAndLatency) {
  const std::string ingest = token(store::TokenScope::kIngest);
  auto c = client();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c->Get("/input/post?node=m&csv=42&apikey=" + ingest));
  ASSERT_TRUE(pipeline_->flush().is_ok());
  auto r = c->Get("/metrics", bearer(token(store::TokenScope::kRead)));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = r->body;
  EXPECT_NE(m.find("# TYPE cw_ingest_latency_seconds histogram"), std::string::npos);
  EXPECT_NE(m.find("cw_ingest_latency_seconds_count 3\n"), std::string::npos) << m;
  EXPECT_NE(m.find("cw_frames_total{verdict=\"accepted\"} 3\n"), std::string::npos);
  EXPECT_NE(m.find("cw_frames_total{verdict=\"replayed\"} 0\n"), std::string::npos);
  EXPECT_NE(m.find("cw_sensor_last_seen_seconds{sensor=\"1\",kind=\"http\",name=\"m 1\"}"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("cw_store_file_bytes "), std::string::npos);
  EXPECT_NE(m.find(R"(cw_http_requests_total{route="(?:/emoncms)?/input/post(?:\\.json)?)"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find(",method=\"GET\",status=\"200\"} 3\n"), std::string::npos);
  EXPECT_EQ(m.find(ingest), std::string::npos);  // never a secret
  // Every line is a comment or "name{labels} value".
  std::istringstream lines(m);
  for (std::string l; std::getline(lines, l);)
    if (l[0] != '#')
      EXPECT_TRUE(std::regex_match(l, std::regex(R"([a-z_]+(\{.*\})? [-0-9.e+]+)"))) << l;
  expect_error(c->Get("/metrics"), 401);
}

TEST_F(InputsApiTest, MeterRegistersGiveEnergyPerPeriod) {
  auto id = binder_->sensor_for(store::SensorKind::kTic, "tic:1", "Linky 0001");
  ASSERT_TRUE(id.is_ok());
  std::vector<store::RegisterReading> r = {{"HCHC", "hc", kT0, 1000},
                                           {"HCHP", "hp", kT0, 5000},
                                           {"HCHC", "hc", kT0 + kHourMs, 1600},
                                           {"HCHP", "hp", kT0 + 2 * kHourMs, 5400}};
  ASSERT_TRUE(inputs_->add_readings(*id, r).is_ok());
  ASSERT_TRUE(inputs_->set_meter_status(*id, R"({"period":"hp","tomorrow":"red"})", kT0).is_ok());
  auto c = client();
  const std::string read = token(store::TokenScope::kRead);
  auto j = body_json(c->Get("/api/v1/sensors/" + std::to_string(*id) +
                                "/registers?from=2024-04-01T10:30:00Z&to=2024-04-01T12:00:00Z",
                            bearer(read)));
  EXPECT_DOUBLE_EQ(j["by_period_wh"]["hc"].get<double>(), 300);  // half of HCHC's hour
  EXPECT_DOUBLE_EQ(j["by_period_wh"]["hp"].get<double>(), 300);  // 1.5 h of 2 h at 200 Wh/h
  EXPECT_DOUBLE_EQ(j["total_wh"].get<double>(), 600);
  auto list = body_json(c->Get("/api/v1/sensors", bearer(read)));
  const auto& meter = list["sensors"][0]["meter"];
  EXPECT_EQ(meter["period"], "hp");
  EXPECT_EQ(meter["tomorrow"], "red");
  ASSERT_EQ(meter["registers"].size(), 2u);
  EXPECT_EQ(meter["registers"][0]["wh"], 1600);
  expect_error(c->Get("/api/v1/sensors/77/registers", bearer(read)), 404);
}

}  // namespace
}  // namespace cw::web::testing
