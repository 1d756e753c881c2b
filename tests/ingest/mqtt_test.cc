// MQTT against a real mosquitto started by the test: Home Assistant discovery (validated against
// a JSON schema written from HA's docs, and read back retained from the broker), live states, the
// Tasmota / Shelly / ESPHome inputs, and reconnection after the broker restarts.
#include <gtest/gtest.h>

#include <fstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "ingest/ha_discovery.h"
#include "ingest/mqtt_bridge.h"
#include "input_fixture.h"
#include "mosquitto_broker.h"

namespace cw::ingest {
namespace {

using nlohmann::json;

// Errors of `doc` against the HA schema, "" when it validates.
std::string schema_errors(const json& doc) {
  std::ifstream in(std::string(CW_SOURCE_DIR) + "/tests/ingest/data/ha_mqtt_sensor.schema.json");
  json schema_doc = json::parse(in);
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  if (validator.validate(schema, target, &results)) return "";
  std::string out;
  valijson::ValidationResults::Error e;
  while (results.popError(e)) out += e.description + "; ";
  return out.empty() ? "invalid" : out;
}

TEST(HaDiscovery, ConfigsFollowHomeAssistantsSchemaAndTheSchemaBites) {
  store::Sensor clamp;
  clamp.id = 3;
  clamp.name = "Kitchen";
  store::Sensor linky;
  linky.id = 4;
  linky.name = "Linky 8497";
  linky.kind = store::SensorKind::kTic;
  linky.state.flags = 0x04;  // apparent power
  DiscoveryNames n;
  n.version = "0.1.0";
  auto c = discovery_configs(n, clamp);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].first, "homeassistant/sensor/citizenwatt_3/power/config");
  EXPECT_EQ(c[1].first, "homeassistant/sensor/citizenwatt_3/energy/config");
  for (const auto& [topic, doc] : c) EXPECT_EQ(schema_errors(doc), "") << topic << doc.dump();
  EXPECT_EQ(c[1].second["device_class"], "energy");
  EXPECT_EQ(c[1].second["state_class"], "total_increasing");
  EXPECT_EQ(c[1].second["unit_of_measurement"], "kWh");
  auto l = discovery_configs(n, linky);
  EXPECT_EQ(l[0].second["device_class"], "apparent_power");
  EXPECT_EQ(l[0].second["unit_of_measurement"], "VA");
  for (const auto& [topic, doc] : l) EXPECT_EQ(schema_errors(doc), "") << topic;
  auto p = discovery_configs(n, linky, true);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[2].first, "homeassistant/sensor/citizenwatt_4/period/config");
  EXPECT_EQ(p[2].second["value_template"], "{{ value_json.period }}");
  EXPECT_FALSE(p[2].second.contains("unit_of_measurement"));
  EXPECT_EQ(schema_errors(p[2].second), "") << p[2].second.dump();
  // The schema refuses what HA's Energy dashboard would refuse.
  json bad = c[1].second;
  bad["state_class"] = "measurement";
  EXPECT_NE(schema_errors(bad), "");
  bad = l[0].second;
  bad["unit_of_measurement"] = "W";
  EXPECT_NE(schema_errors(bad), "");
  bad = c[0].second;
  bad.erase("state_topic");
  EXPECT_NE(schema_errors(bad), "");
  bad = c[0].second;
  bad.erase("device_class");  // a measurement must say what it measures
  EXPECT_NE(schema_errors(bad), "");
}

TEST(MqttPayloads, TasmotaShellyEsphomeAndGarbage) {
  EsphomeMemo memo;
  auto t = map_mqtt_message(
      "tele/plug1/SENSOR",
      R"({"Time":"2024-04-01T12:00:00","ENERGY":{"TotalStartTime":"2023-01-01T00:00:00","Total":12.345,"Yesterday":1.2,"Today":0.4,"Power":153,"ApparentPower":170,"ReactivePower":74,"Factor":0.9,"Voltage":231,"Current":0.74}})",
      memo);
  ASSERT_TRUE(t.is_ok() && t->has_value());
  EXPECT_EQ((*t)->address, "tasmota:plug1");
  EXPECT_EQ((*t)->power_w, 153);
  EXPECT_EQ((*t)->energy_wh, 12345);
  EXPECT_EQ((*t)->voltage_dv, 2310);
  auto s = map_mqtt_message(
      "shellyplus1pm-a8032ab12345/status/switch:0",
      R"({"id":0,"source":"init","output":true,"apower":1203.5,"voltage":229.9,"current":5.3,"aenergy":{"total":98765.432,"by_minute":[0,0,0],"minute_ts":1711972800},"temperature":{"tC":41.2}})",
      memo);
  ASSERT_TRUE(s.is_ok() && s->has_value());
  EXPECT_EQ((*s)->address, "shelly:shellyplus1pm-a8032ab12345/switch:0");
  EXPECT_EQ((*s)->power_w, 1204);
  EXPECT_EQ((*s)->energy_wh, 98765);
  EXPECT_FALSE(
      map_mqtt_message("esphome-dryer/sensor/dryer_energy/state", "5432.1", memo)->has_value());
  auto e = map_mqtt_message("esphome-dryer/sensor/dryer_power/state", "812.4", memo);
  ASSERT_TRUE(e.is_ok() && e->has_value());
  EXPECT_EQ((*e)->address, "esphome:esphome-dryer");
  EXPECT_EQ((*e)->energy_wh, 5432);
  EXPECT_FALSE(map_mqtt_message("tele/plug1/LWT", "Online", memo)->has_value());
  EXPECT_FALSE(
      map_mqtt_message("tele/plug1/SENSOR", R"({"AM2301":{"Temperature":20}})", memo)->has_value());
  EXPECT_FALSE(map_mqtt_message("tele/plug1/SENSOR", "{not json", memo).is_ok());
  EXPECT_FALSE(map_mqtt_message("tele/plug1/SENSOR", R"({"ENERGY":{"Power":"x"}})", memo).is_ok());
  EXPECT_FALSE(map_mqtt_message("x/status/switch:0", R"({"apower":1e12})", memo).is_ok());
  EXPECT_FALSE(map_mqtt_message("n/sensor/power/state", "12abc", memo).is_ok());
  EXPECT_FALSE(parse_mqtt_uri("mqtt://u:secret@host").is_ok());  // password in a file only
  EXPECT_FALSE(parse_mqtt_uri("mqtt://host?color=red").is_ok());
  auto o =
      parse_mqtt_uri("mqtts://ha@broker.lan?subscribe=tele/+/SENSOR,a/status/switch:0&id=home");
  ASSERT_TRUE(o.is_ok()) << o.status().to_string();
  EXPECT_TRUE(o->tls);
  EXPECT_EQ(o->port, 8883);
  EXPECT_EQ(o->username, "ha");
  EXPECT_EQ(o->subscribe.size(), 2u);
}

class MqttTest : public testing::InputFixture {
 protected:
  MqttOptions options() {
    auto o =
        parse_mqtt_uri("mqtt://127.0.0.1:" + std::to_string(broker_.port()) +
                       "?subscribe=tele/+/SENSOR,+/status/switch:0,+/sensor/+/state&id=testbase");
    EXPECT_TRUE(o.is_ok()) << o.status().to_string();
    return *o;
  }
  testing::Mosquitto broker_;
};

TEST_F(MqttTest, InputsBecomeSensorsAndSensorsAppearInHomeAssistantRetained) {
  // The household's tariff says "hp" now; a meter's own period wins over it.
  MqttBridge bridge(options(), *binder_, live_, "0.1.0", [](SensorId, TimeMs) { return "hp"; });
  ASSERT_TRUE(bridge.start().is_ok());
  // Messages published before the broker acknowledged the subscriptions would not reach it.
  ASSERT_TRUE(eventually([&] { return bridge.counters().subscribed == 3; }));
  testing::Client plug(broker_.port());
  plug.publish("tele/plug1/SENSOR", R"({"ENERGY":{"Total":1.5,"Power":100,"Voltage":230}})");
  plug.publish("shellyplus1pm-a1/status/switch:0", R"({"apower":50.2,"aenergy":{"total":777.7}})");
  ASSERT_TRUE(eventually([&] { return bridge.counters().measurements == 2; }));
  auto list = store_->sensors();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].kind, store::SensorKind::kMqtt);
  EXPECT_EQ((*list)[0].name, "Tasmota plug1");
  ASSERT_TRUE(inputs_->set_meter_status((*list)[1].id, R"({"period":"tempo_red_hp"})", 0).is_ok());
  auto samples = stored((*list)[0].id);  // commits, so the states get published
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].energy_wh, 1500);
  ASSERT_TRUE(eventually([&] { return bridge.counters().published == 2; }));

  // Publishing is asynchronous: once a first client has seen everything, the broker holds it.
  {
    testing::Client first(broker_.port(), {"homeassistant/#", "citizenwatt/#"});
    ASSERT_TRUE(eventually([&] { return first.received().size() >= 9; }));
  }
  // A client arriving later gets the configs and states retained, as HA does after a restart.
  testing::Client ha(broker_.port(), {"homeassistant/#", "citizenwatt/#"});
  std::map<std::string, std::vector<testing::Client::Msg>> got;
  ASSERT_TRUE(eventually([&] {
    got = ha.received();
    return got.size() >= 9;  // 2 sensors × (3 configs + 1 state) + availability
  }));
  const std::string power = "homeassistant/sensor/testbase_1/power/config";
  ASSERT_TRUE(got.count(power));
  EXPECT_TRUE(got[power][0].retained);
  json config = json::parse(got[power][0].payload);
  EXPECT_EQ(schema_errors(config), "") << config.dump();
  EXPECT_EQ(config["state_topic"], "citizenwatt/sensor/1/state");
  EXPECT_EQ(config["device"]["name"], "Tasmota plug1");
  json energy = json::parse(got["homeassistant/sensor/testbase_2/energy/config"].at(0).payload);
  EXPECT_EQ(schema_errors(energy), "");
  EXPECT_EQ(got["citizenwatt/status"].at(0).payload, "online");
  json state = json::parse(got["citizenwatt/sensor/2/state"].at(0).payload);
  EXPECT_EQ(state["period"], "tempo_red_hp");
  EXPECT_EQ(json::parse(got["citizenwatt/sensor/1/state"].at(0).payload)["period"], "hp");
  EXPECT_EQ(schema_errors(
                json::parse(got["homeassistant/sensor/testbase_1/period/config"].at(0).payload)),
            "");
  EXPECT_EQ(state["power"], 50);
  EXPECT_DOUBLE_EQ(state["energy_kwh"].get<double>(), 0.777);
  bridge.stop();
  testing::Client after(broker_.port(), {"citizenwatt/status"});
  ASSERT_TRUE(eventually([&] { return after.received().count("citizenwatt/status") == 1; }));
  EXPECT_EQ(after.received()["citizenwatt/status"][0].payload, "offline");
}

TEST_F(MqttTest, ReconnectsWhenTheBrokerComesBackAndAnnouncesAgain) {
  MqttBridge bridge(options(), *binder_, live_, "0.1.0");
  ASSERT_TRUE(bridge.start().is_ok());
  ASSERT_TRUE(eventually([&] { return bridge.counters().connected; }));
  auto id = binder_->sensor_for(store::SensorKind::kMqtt, "tasmota:x", "Tasmota x");
  ASSERT_TRUE(id.is_ok());
  broker_.stop();
  ASSERT_TRUE(eventually([&] { return !bridge.counters().connected; }));
  broker_.start();  // persistence is off: the new broker has forgotten every retained message
  ASSERT_TRUE(eventually([&] { return bridge.counters().connects == 2; }));
  ASSERT_TRUE(eventually([&] { return bridge.counters().subscribed == 6; }));  // 3 per session
  testing::Client ha(broker_.port(), {"homeassistant/#"});
  ASSERT_TRUE(eventually(
      [&] { return ha.received().count("homeassistant/sensor/testbase_1/energy/config") == 1; }));
  // Garbage on an input topic is counted and changes nothing.
  testing::Client plug(broker_.port());
  plug.publish("tele/plug9/SENSOR", "{\"ENERGY\": 42");
  ASSERT_TRUE(eventually([&] { return bridge.counters().bad_payloads == 1; }));
  EXPECT_EQ(store_->sensors()->size(), 1u);
}

}  // namespace
}  // namespace cw::ingest

namespace cw::ingest {
namespace {

class MqttSecureTest : public testing::InputFixture {
 protected:
  MqttOptions options(const std::string& password) {
    const std::string pw = (dir_ / "mqtt.pw").string();
    std::ofstream(pw) << password << "\n";
    auto o = parse_mqtt_uri("mqtts://cw@127.0.0.1:" + std::to_string(broker_.port()) +
                            "?password_file=" + pw + "&cafile=" + broker_.ca() + "&id=secure");
    EXPECT_TRUE(o.is_ok()) << o.status().to_string();
    EXPECT_EQ(o->text.find(password), std::string::npos);  // never in logs
    return *o;
  }
  testing::Mosquitto broker_{true};
};

TEST_F(MqttSecureTest, TlsWithCredentialsConnectsAndAWrongPasswordIsRefused) {
  auto id = binder_->sensor_for(store::SensorKind::kMqtt, "tasmota:s", "Tasmota s");
  ASSERT_TRUE(id.is_ok());
  MqttBridge wrong(options("not-the-password"), *binder_, live_, "0.1.0");
  ASSERT_TRUE(wrong.start().is_ok());  // asynchronous: the refusal is logged, retried
  MqttBridge good(options("cw-secret"), *binder_, live_, "0.1.0");
  ASSERT_TRUE(good.start().is_ok());
  ASSERT_TRUE(eventually([&] { return good.counters().configs == 2; }));
  EXPECT_TRUE(good.counters().connected);
  EXPECT_FALSE(wrong.counters().connected);
  EXPECT_EQ(wrong.counters().connects, 0u);
  good.stop();
  wrong.stop();
}

}  // namespace
}  // namespace cw::ingest
