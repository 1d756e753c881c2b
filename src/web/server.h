// The base station's HTTP server: the JSON API (docs/api.md), the live stream and the static UI.
//
// Threads: a fixed pool (WebOptions::threads) serves connections; live streams hold a thread
// each, so at most max_streams of them run at once and the rest of the pool stays for the API.
// Lifetime: everything in WebContext must outlive the server. stop() (or the destructor) ends
// live streams within about live_poll_ms and returns when every worker has finished.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "core/calendar.h"
#include "core/status.h"
#include "core/time.h"
#include "ingest/live_hub.h"
#include "store/accounts.h"
#include "store/insights.h"
#include "store/store.h"
#include "web/sessions.h"

namespace cw::privacy {
class PrivacyService;
}

namespace httplib {
class Server;
}

namespace cw::ingest {
class InputBinder;
}
namespace cw::store {
class InputStore;
}

namespace cw::web {

class Metrics;  // web/metrics.h

struct WebContext {
  store::Store& store;
  store::AccountStore& accounts;
  ingest::LiveHub& live;
  const Calendar& calendar;
  const Clock& clock;
  std::function<nlohmann::json()> ingest_stats;  // shown in /health; may be empty
  std::string version;
  std::string ui_dir;    // static files; empty = no UI
  std::string data_dir;  // the base's data folder: household settings files; empty = defaults only
  store::InsightStore* insights = nullptr;  // alerts, target, challenges; null: those routes 503
  store::InputStore* inputs = nullptr;      // meter registers and bindings; null = none shown
  ingest::InputBinder* binder = nullptr;    // emoncms-style inputs (routes_inputs.cc); null = 503
  Metrics* metrics = nullptr;               // GET /metrics and request counting; null = none
  privacy::PrivacyService* privacy = nullptr;  // consent and sharing; null = routes answer 503
};

struct WebOptions {
  std::size_t threads = 12;
  std::size_t max_streams = 8;  // concurrent /live and /export responses
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t keep_alive_max_count = 100;
  int keep_alive_timeout_s = 2;  // an idle keep-alive connection holds a pool thread
  int read_timeout_s = 5;
  int write_timeout_s = 5;
  TimeMs heartbeat_ms = 15 * kSecondMs;  // SSE comment when no event was sent for this long
  TimeMs live_poll_ms = 250;             // how often a stream checks for stop and disconnects
  SessionPolicy sessions;
};

struct ServerState;  // shared by the route files (web/routes.h)

class WebServer {
 public:
  explicit WebServer(WebContext ctx, WebOptions options = {});
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds host:port (port 0 picks a free port) and serves on a background thread. Returns an
  // error, serving nothing, when the address cannot be bound (port taken, bad host).
  Status listen(const std::string& host, int port);
  // Stops serving; idempotent.
  void stop();
  // The bound port, 0 before listen().
  int port() const { return port_; }

 private:
  std::unique_ptr<ServerState> state_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace cw::web
