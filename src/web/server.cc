#include "web/server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>

#include "web/auth.h"
#include "web/http_util.h"
#include "web/metrics.h"
#include "web/routes.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;

// Every route passes through here: the route's access level is checked before its handler runs.
httplib::Server::Handler guarded(ServerState& s, Route route) {
  return [&s, route = std::move(route)](const Request& req, Response& res) {
    auto who = authorize(s, req, route.access);
    if (auto* d = std::get_if<Denial>(&who)) {
      send_error(res, d->http_status, d->code, d->message);
      if (s.ctx.metrics) s.ctx.metrics->count(route.pattern, route.method, res.status);
      return;
    }
    route.handler(req, res, std::get<Principal>(who));
    if (s.ctx.metrics) s.ctx.metrics->count(route.pattern, route.method, res.status);
  };
}

void add_route(httplib::Server& http, ServerState& s, Route r) {
  const std::string pattern = r.pattern;
  if (r.method == "GET")
    http.Get(pattern, guarded(s, std::move(r)));
  else if (r.method == "POST")
    http.Post(pattern, guarded(s, std::move(r)));
  else if (r.method == "PUT")
    http.Put(pattern, guarded(s, std::move(r)));
  else if (r.method == "DELETE")
    http.Delete(pattern, guarded(s, std::move(r)));
  else if (r.method == "PATCH")
    http.Patch(pattern, guarded(s, std::move(r)));
}

void configure(httplib::Server& http, ServerState& s) {
  const WebOptions& o = s.options;
  const std::size_t threads = o.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(o.max_body_bytes);
  http.set_keep_alive_max_count(o.keep_alive_max_count);
  http.set_keep_alive_timeout(o.keep_alive_timeout_s);
  http.set_read_timeout(o.read_timeout_s, 0);
  http.set_write_timeout(o.write_timeout_s, 0);
  // httplib's default adds SO_REUSEPORT, which lets a second server share a taken port
  // silently; REUSEADDR alone still allows a quick restart.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                            {"X-Frame-Options", "DENY"},
                            {"Referrer-Policy", "same-origin"}});
  // httplib calls this for every status >= 400: fill in only the bodies it made up itself.
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const Request&, Response& res) {
    if (!res.body.empty() || res.content_provider_)
      return httplib::Server::HandlerResponse::Unhandled;
    fill_error_body(res);
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([](const Request& req, Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("web: {} {} failed: {}", req.method, req.path, what);
    send_error(res, 500, "internal", "the server failed to answer this request");
  });
}

void add_routes(httplib::Server& http, ServerState& s) {
  for (auto* make : {account_routes, data_routes, stream_routes, money_routes, forecast_routes,
                     insight_routes, input_routes, meter_routes, metrics_routes, privacy_routes})
    for (Route& r : make(s)) add_route(http, s, std::move(r));
  auto unknown = [](const Request&, Response& res) {
    send_error(res, 404, "not_found", "no such API route");
  };
  http.Get(R"(/api/.*)", unknown);
  http.Post(R"(/api/.*)", unknown);
  http.Put(R"(/api/.*)", unknown);
  http.Delete(R"(/api/.*)", unknown);
  http.Patch(R"(/api/.*)", unknown);
  http.Get(R"(.*)", [&s](const Request& req, Response& res) { serve_static(s, req, res); });
}

}  // namespace

WebServer::WebServer(WebContext ctx, WebOptions options)
    : state_(new ServerState{std::move(ctx), options}), http_(new httplib::Server) {
  state_->started = state_->ctx.clock.now();
  configure(*http_, *state_);
  add_routes(*http_, *state_);
}

WebServer::~WebServer() {
  stop();
}

Status WebServer::listen(const std::string& host, int port) {
  if (thread_.joinable()) return invalid_argument("the web server is already listening");
  if (port < 0 || port > 65535) return invalid_argument("port must be 0 to 65535");
  int bound =
      port == 0 ? http_->bind_to_any_port(host) : (http_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0)
    return Status(Code::kUnavailable, "cannot listen on " + host + ":" + std::to_string(port) +
                                          " (address in use or not available)");
  port_ = bound;
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // stop() only works once the accept loop runs: wait for it (it starts at once).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!http_->is_running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  spdlog::info("web: listening on {}:{}", host, port_);
  return Status::ok();
}

void WebServer::stop() {
  state_->stopping = true;
  if (!thread_.joinable()) return;
  http_->stop();
  thread_.join();
}

}  // namespace cw::web
