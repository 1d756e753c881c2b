// The hub's HTTPS server: the hub protocol for bases (/hub/v1: keys, tokens, contributions,
// erasure) and the public read API (/open/v1), docs/hub.md. TLS by cpp-httplib's SSLServer on
// OpenSSL. A background thread recomputes the publications of changed days.
//
// Lifetime: db, publisher, calendar and clock outlive the server. stop() returns when every
// request and the publisher thread have finished.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/calendar.h"
#include "core/time.h"
#include "hub/hub_db.h"
#include "hub/publisher.h"

namespace httplib {
class SSLServer;
class Server;
}  // namespace httplib

namespace cw::hub {

struct HubServerOptions {
  std::string cert_file, key_file;  // PEM
  int window_days = 40;             // contributions accepted for days up to this old
  int threads = 8;
  TimeMs publish_interval_ms = 5 * kSecondMs;
};

struct HubContext {
  HubDb& db;
  Publisher& publisher;
  const Calendar& calendar;
  const Clock& clock;
  HubServerOptions options;
};

// Route registration (hub_routes.cc, open_api.cc).
void add_hub_routes(httplib::Server& http, HubContext& ctx);
void add_open_routes(httplib::Server& http, HubContext& ctx);
// The local day of now, and whether a period is within [today - window, today - 1 + extra].
std::string today(const HubContext& ctx);
bool in_window(const HubContext& ctx, const std::string& period, int extra_days);

class HubServer {
 public:
  explicit HubServer(HubContext ctx);
  ~HubServer();
  Status listen(const std::string& host, int port);
  void stop();
  int port() const { return port_; }

 private:
  void publish_loop();
  HubContext ctx_;
  std::unique_ptr<httplib::SSLServer> http_;
  std::thread thread_, publisher_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  int port_ = 0;
};

}  // namespace cw::hub
