#include "ingest/mqtt_bridge.h"

#include <mosquitto.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace cw::ingest {

namespace {

std::once_flag lib_once;

Status mosq_error(int rc, const std::string& what) {
  return Status(Code::kUnavailable, "mqtt: " + what + ": " + mosquitto_strerror(rc));
}

}  // namespace

MqttBridge::MqttBridge(MqttOptions options, InputBinder& binder, LiveHub& live, std::string version,
                       PeriodFn period)
    : options_(std::move(options)), binder_(binder), period_(std::move(period)), live_(live) {
  names_.discovery_prefix = options_.discovery_prefix;
  names_.base_topic = options_.base_topic;
  names_.base_id = options_.base_id;
  names_.version = std::move(version);
}

MqttBridge::~MqttBridge() {
  stop();
}

MqttCounters MqttBridge::counters() const {
  return {connected_, connects_, published_, configs_, received_, measurements_, bad_, subscribed_};
}

Status MqttBridge::start() {
  if (mosq_) return Status::ok();
  std::call_once(lib_once, [] { mosquitto_lib_init(); });
  const std::string client_id = options_.base_id + "-" + std::to_string(clock_.now() % 100000);
  mosq_ = mosquitto_new(client_id.c_str(), true, this);
  if (!mosq_) return Status(Code::kResourceExhausted, "mqtt: cannot create a client");
  mosquitto_connect_callback_set(mosq_, &MqttBridge::on_connect);
  mosquitto_disconnect_callback_set(mosq_, &MqttBridge::on_disconnect);
  mosquitto_message_callback_set(mosq_, &MqttBridge::on_message);
  mosquitto_subscribe_callback_set(mosq_, &MqttBridge::on_subscribe);
  mosquitto_reconnect_delay_set(mosq_, 1, 60, true);
  const std::string will = availability_topic(names_);
  int rc = mosquitto_will_set(mosq_, will.c_str(), 7, "offline", 1, true);
  if (rc != MOSQ_ERR_SUCCESS) return mosq_error(rc, "will");
  if (!options_.username.empty()) {
    rc = mosquitto_username_pw_set(mosq_, options_.username.c_str(),
                                   options_.password.empty() ? nullptr : options_.password.c_str());
    if (rc != MOSQ_ERR_SUCCESS) return mosq_error(rc, "credentials");
  }
  if (options_.tls) {
    rc = mosquitto_tls_set(mosq_, options_.cafile.empty() ? nullptr : options_.cafile.c_str(),
                           options_.cafile.empty() ? "/etc/ssl/certs" : nullptr, nullptr, nullptr,
                           nullptr);
    if (rc != MOSQ_ERR_SUCCESS) return mosq_error(rc, "TLS");
  }
  rc = mosquitto_loop_start(mosq_);
  if (rc != MOSQ_ERR_SUCCESS) return mosq_error(rc, "network thread");
  rc = mosquitto_connect_async(mosq_, options_.host.c_str(), options_.port, options_.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS)  // the loop thread keeps retrying
    spdlog::warn("mqtt: {} not reachable yet ({}); retrying", options_.text,
                 mosquitto_strerror(rc));
  publisher_ = std::thread([this] { publisher_loop(); });
  spdlog::info("mqtt: connecting to {}", options_.text);
  return Status::ok();
}

void MqttBridge::stop() {
  if (!mosq_) return;
  stopping_ = true;
  if (publisher_.joinable()) publisher_.join();
  if (connected_) {
    const std::string topic = availability_topic(names_);
    mosquitto_publish(mosq_, nullptr, topic.c_str(), 7, "offline", 1, true);
  }
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, false);
  mosquitto_destroy(mosq_);
  mosq_ = nullptr;
  connected_ = false;
}

bool MqttBridge::publish(const std::string& topic, const std::string& payload, bool retain) {
  int rc = mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                             payload.data(), 1, retain);
  if (rc != MOSQ_ERR_SUCCESS) {
    log_.warn("mqtt-publish", std::string("mqtt: publish failed: ") + mosquitto_strerror(rc));
    return false;
  }
  return true;
}

void MqttBridge::on_connect(mosquitto*, void* self, int rc) {
  auto* b = static_cast<MqttBridge*>(self);
  if (rc != 0) {
    b->log_.warn("mqtt-connect",
                 std::string("mqtt: connection refused: ") + mosquitto_connack_string(rc));
    return;
  }
  b->connected_ = true;
  b->connects_++;
  spdlog::info("mqtt: connected to {}", b->options_.text);
  b->publish(availability_topic(b->names_), "online", true);
  {
    std::lock_guard lock(b->mu_);
    b->announced_.clear();  // a new broker session: say it all again
  }
  b->announce_all();
  for (const auto& filter : b->options_.subscribe)
    mosquitto_subscribe(b->mosq_, nullptr, filter.c_str(), 1);
}

void MqttBridge::on_subscribe(mosquitto*, void* self, int, int, const int*) {
  static_cast<MqttBridge*>(self)->subscribed_++;
}

void MqttBridge::on_disconnect(mosquitto*, void* self, int rc) {
  auto* b = static_cast<MqttBridge*>(self);
  b->connected_ = false;
  if (rc != 0 && !b->stopping_) b->log_.warn("mqtt-lost", "mqtt: connection lost; reconnecting");
}

void MqttBridge::on_message(mosquitto*, void* self, const mosquitto_message* m) {
  auto* b = static_cast<MqttBridge*>(self);
  b->received_++;
  b->handle(m->topic, std::string(static_cast<const char*>(m->payload),
                                  static_cast<std::size_t>(m->payloadlen)));
}

void MqttBridge::handle(const std::string& topic, const std::string& payload) {
  auto mapped = map_mqtt_message(topic, payload, esphome_);
  if (!mapped) {
    bad_++;
    log_.warn("mqtt-payload", "mqtt: " + topic + ": " + mapped.status().message());
    return;
  }
  if (!*mapped) return;
  const DeviceMeasurement& d = **mapped;
  auto sensor = binder_.sensor_for(store::SensorKind::kMqtt, d.address, d.name);
  if (!sensor) {
    log_.warn("mqtt-bind", "mqtt: cannot bind " + d.address + ": " + sensor.status().message());
    return;
  }
  InputMeasurement in;
  in.sensor = *sensor;
  in.power = d.power_w;
  in.energy_wh = d.energy_wh;
  in.voltage_dv = d.voltage_dv;
  if (binder_.pipeline().submit_input(in) == Verdict::kAccepted) measurements_++;
}

void MqttBridge::announce(const store::Sensor& s) {
  if (options_.discovery_prefix.empty()) return;
  {
    std::lock_guard lock(mu_);
    if (!announced_.insert(s.id).second) return;
  }
  const bool with_period = !period_of(s.id, clock_.now()).empty();
  for (const auto& [topic, payload] : discovery_configs(names_, s, with_period))
    if (publish(topic, payload.dump(), true)) configs_++;
}

void MqttBridge::announce_all() {
  auto list = binder_.store().sensors();
  if (!list) return;
  for (const auto& s : *list) announce(s);
}

std::string MqttBridge::period_of(SensorId id, TimeMs t) {
  if (auto status = binder_.inputs().meter_status(id); status && !status->empty()) {
    auto j = nlohmann::json::parse(*status, nullptr, false);
    if (j.is_object() && j.contains("period") && j["period"].is_string() &&
        !j["period"].get<std::string>().empty())
      return j["period"];
  }
  return period_ ? period_(id, t) : "";
}

void MqttBridge::publisher_loop() {
  std::uint64_t seq = live_.last_seq();
  while (!stopping_) {
    LiveRead r = live_.read_after(seq, std::chrono::milliseconds(200));
    if (r.closed) return;
    for (const auto& e : r.events) {
      seq = e.seq;
      if (!connected_) continue;  // states are live: a missed one is superseded by the next
      auto s = binder_.store().sensor(e.sensor);
      if (!s) continue;
      announce(*s);
      const std::string period = period_of(e.sensor, e.sample.t);
      if (publish(state_topic(names_, e.sensor), state_payload(*s, e.sample, period).dump(), true))
        published_++;
    }
  }
}

}  // namespace cw::ingest
