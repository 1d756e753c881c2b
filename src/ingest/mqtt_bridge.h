// The base on an MQTT broker (libmosquitto): publishes each committed sample and, for Home
// Assistant, the retained discovery configs of every sensor (ha_discovery.h) and an availability
// topic (online, with "offline" as the will); subscribes to the configured input topics and hands
// Tasmota / Shelly / ESPHome payloads (mqtt_payloads.h) to the pipeline as measurements of
// sensors of kind mqtt.
//
// Connection: asynchronous, so a broker that is down never stops the base; libmosquitto's own
// thread reconnects with exponential backoff (1 s doubling to 60 s), and every (re)connection
// publishes the configs again and re-subscribes. TLS and a user/password as the options say.
// Threads: libmosquitto's network thread (callbacks) and one publisher thread reading the
// LiveHub. Counters are readable from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "ingest/ha_discovery.h"
#include "ingest/input_binder.h"
#include "ingest/live_hub.h"
#include "ingest/log_limiter.h"
#include "ingest/mqtt_options.h"
#include "ingest/mqtt_payloads.h"

struct mosquitto;
struct mosquitto_message;

namespace cw::ingest {

struct MqttCounters {
  bool connected = false;
  std::uint64_t connects = 0;
  std::uint64_t published = 0;  // state messages
  std::uint64_t configs = 0;    // discovery configs
  std::uint64_t received = 0;   // input messages
  std::uint64_t measurements = 0;
  std::uint64_t bad_payloads = 0;
  std::uint64_t subscribed = 0;  // subscriptions the broker acknowledged (all sessions)
};

// The tariff period in force for a sensor at t ("hc", "tempo_red_hp"...), "" when unknown. A
// meter's own period (its status in the InputStore) is used first.
using PeriodFn = std::function<std::string(SensorId, TimeMs)>;

class MqttBridge {
 public:
  MqttBridge(MqttOptions options, InputBinder& binder, LiveHub& live, std::string version,
             PeriodFn period = {});
  ~MqttBridge();
  MqttBridge(const MqttBridge&) = delete;
  MqttBridge& operator=(const MqttBridge&) = delete;

  Status start();
  // Publishes "offline", disconnects and joins the threads; idempotent.
  void stop();
  MqttCounters counters() const;

 private:
  static void on_connect(mosquitto*, void* self, int rc);
  static void on_disconnect(mosquitto*, void* self, int rc);
  static void on_message(mosquitto*, void* self, const mosquitto_message* m);
  static void on_subscribe(mosquitto*, void* self, int mid, int qos_count, const int* granted);
  void announce_all();
  void announce(const store::Sensor& s);
  void handle(const std::string& topic, const std::string& payload);
  void publisher_loop();
  std::string period_of(SensorId id, TimeMs t);
  bool publish(const std::string& topic, const std::string& payload, bool retain);

  const MqttOptions options_;
  InputBinder& binder_;
  PeriodFn period_;
  LiveHub& live_;
  DiscoveryNames names_;
  SystemClock clock_;
  LogLimiter log_{clock_};
  mosquitto* mosq_ = nullptr;
  std::thread publisher_;
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  std::set<SensorId> announced_;  // guarded by mu_
  EsphomeMemo esphome_;           // network thread only

  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> subscribed_{0};
  std::atomic<std::uint64_t> connects_{0}, published_{0}, configs_{0}, received_{0},
      measurements_{0}, bad_{0};
};

}  // namespace cw::ingest
