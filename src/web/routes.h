// Internal to the web layer: the route table. Each route file contributes routes; server.cc
// registers them all behind one authorisation check (auth.h), so no handler decides access.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/security_log.h"
#include "web/login_throttle.h"
#include "web/rate_limit.h"
#include "web/server.h"

namespace cw::web {

enum class Access {
  kPublic,  // anyone
  kRead,    // a session, or a token of scope read or write (an ingest token reads nothing)
  kWrite,   // a household setting: an admin's session, or a token of scope write (not a member)
  kAdmin,   // a session of an admin user (tokens never administer accounts)
  kIngest,  // a token of scope write or ingest, never a session (inputs are posted by GET too);
            // emoncms clients may also send the token as ?apikey= (routes_inputs.cc)
  kMember,  // daily use by anyone of the household: any session, or a token of scope write
  kShared,  // as kRead, and also a share link (the subset a guest may see: docs/security.md)
};
// Who may call which access level: the table in web/access_policy.h.

struct Principal {
  enum class Kind { kNone, kSession, kToken, kShare } kind = Kind::kNone;
  std::optional<store::User> user;        // kSession
  std::optional<store::ApiToken> token;   // kToken
  std::optional<store::ShareLink> share;  // kShare
  std::string session_id;                 // kSession: the clear id from the cookie
};

using RouteHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const Principal&)>;

struct Route {
  std::string method;   // "GET", "POST", "DELETE"
  std::string pattern;  // httplib regex, matched against the whole path
  Access access;
  RouteHandler handler;
};

struct ServerState {
  WebContext ctx;
  WebOptions options;
  TimeMs started = 0;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> streams{0};  // live and export responses in progress
  LoginThrottle login_throttle;         // per client address
  // Per account name: more failures are free, and an address that logged in to the account
  // before is not held back by it (a neighbour's guesses must not lock the owner out).
  LoginThrottle account_throttle{LoginThrottle::Options{.free_failures = 10}};
  RateLimit api_rate{options.rate_limit};  // per client address, /api and inputs
};

std::vector<Route> account_routes(ServerState& s);   // setup, login, logout, me, users, tokens
std::vector<Route> data_routes(ServerState& s);      // health, sensors, series, energy
std::vector<Route> stream_routes(ServerState& s);    // live (SSE), export
std::vector<Route> money_routes(ServerState& s);     // tariff settings, cost, bill
std::vector<Route> forecast_routes(ServerState& s);  // next 24 h, end of month
std::vector<Route> insight_routes(ServerState& s);   // always-on, alerts, targets, challenges, tips
std::vector<Route> privacy_routes(ServerState& s);   // consent, what is shared, comparator, hub

std::vector<Route> input_routes(ServerState& s);     // emoncms-style /input/post, /input/bulk
std::vector<Route> meter_routes(ServerState& s);     // a meter's registers and energy per period
std::vector<Route> metrics_routes(ServerState& s);   // GET /metrics (Prometheus text)
std::vector<Route> security_routes(ServerState& s);  // share links, audit log, TLS, own password

// Every route of the server, in registration order (server.cc; the attack suite iterates it).
std::vector<Route> all_routes(ServerState& s);

// What an input sensor's meter says (status, last registers), for /sensors; null when nothing.
nlohmann::json meter_json(ServerState& s, const store::Sensor& x);

// The sensor of ?sensor=, or the first one when there is no parameter (routes_money.cc).
Result<SensorId> query_sensor(ServerState& s, const httplib::Request& req);

// GET handler for everything outside /api/: files of the UI directory.
void serve_static(const ServerState& s, const httplib::Request& req, httplib::Response& res);

}  // namespace cw::web
