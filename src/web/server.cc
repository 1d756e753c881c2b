#include "web/server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>

#include "web/access_policy.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/connection_pool.h"
#include "web/http_util.h"
#include "web/metrics.h"
#include "web/routes.h"
#include "web/security_headers.h"
#include "web/tls_cert.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;

// Before any route: refuse at once what is over a limit, whatever the route.
httplib::Server::HandlerResponse screen(const WebOptions& o, const Request& req, Response& res) {
  using R = httplib::Server::HandlerResponse;
  if (ConnectionPool::overloaded()) {
    res.set_header("Retry-After", "1");
    res.set_header("Connection", "close");
    send_error(res, 503, "overloaded", "too many connections: try again in a moment");
    return R::Handled;
  }
  std::size_t bytes = 0;
  for (const auto& [name, value] : req.headers) bytes += name.size() + value.size() + 4;
  if (req.headers.size() > o.max_header_count || bytes > o.max_header_bytes) {
    res.set_header("Connection", "close");
    send_error(res, 431, "headers_too_large", "the request headers are too many or too large");
    return R::Handled;
  }
  return R::Unhandled;
}

// The rate is counted on a monotonic clock of its own: the household clock may be set by hand.
bool rate_allowed(ServerState& s, const Request& req, Response& res) {
  const auto mono = std::chrono::steady_clock::now().time_since_epoch();
  const TimeMs now = std::chrono::duration_cast<std::chrono::milliseconds>(mono).count();
  const TimeMs wait = s.api_rate.take(req.remote_addr, now);
  if (wait == 0) return true;
  res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
  send_error(res, 429, "rate_limited", "too many requests from this address: slow down");
  return false;
}

// Every route passes through here: the client's rate, then the route's access level, are checked
// before its handler runs; a state change that was let through is written to the audit log.
httplib::Server::Handler guarded(ServerState& s, Route route) {
  return [&s, route = std::move(route)](const Request& req, Response& res) {
    auto count = [&] {
      if (s.ctx.metrics) s.ctx.metrics->count(route.pattern, route.method, res.status);
    };
    if (!rate_allowed(s, req, res)) return count();
    auto who = authorize(s, req, route.access);
    if (auto* d = std::get_if<Denial>(&who)) {
      send_error(res, d->http_status, d->code, d->message);
      return count();
    }
    route.handler(req, res, std::get<Principal>(who));
    audit_change(s, req, res, route, std::get<Principal>(who));
    count();
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
  const std::size_t threads = o.threads, waiting = o.max_waiting_connections;
  http.new_task_queue = [threads, waiting] { return new ConnectionPool(threads, waiting); };
  http.set_pre_routing_handler(
      [&o](const Request& req, Response& res) { return screen(o, req, res); });
  http.set_payload_max_length(o.max_body_bytes);
  http.set_tcp_nodelay(true);  // small JSON replies, and TLS records, go out at once
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
  httplib::Headers headers = {{"X-Content-Type-Options", "nosniff"},
                              {"X-Frame-Options", "DENY"},
                              {"Referrer-Policy", "same-origin"}};
  for (auto& h : security_headers(o.tls)) headers.insert(h);
  http.set_default_headers(headers);
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

}  // namespace

std::vector<Route> all_routes(ServerState& s) {
  std::vector<Route> out;
  for (auto* make :
       {account_routes, data_routes, stream_routes, money_routes, forecast_routes, insight_routes,
        input_routes, meter_routes, metrics_routes, privacy_routes, security_routes})
    for (Route& r : make(s)) out.push_back(std::move(r));
  return out;
}

namespace {

void add_routes(httplib::Server& http, ServerState& s) {
  for (Route& r : all_routes(s)) add_route(http, s, std::move(r));
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

// TLS 1.2 and 1.3 only, ECDHE and AEAD only, no compression, no renegotiation.
std::unique_ptr<httplib::Server> make_http(const WebOptions& o) {
  if (!o.tls) return std::make_unique<httplib::Server>();
  return std::make_unique<httplib::SSLServer>([&o](SSL_CTX& ctx) {
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(
        &ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    return SSL_CTX_set_cipher_list(&ctx, kTls12Ciphers) == 1 &&
           SSL_CTX_use_certificate_chain_file(&ctx, o.tls_cert_file.c_str()) == 1 &&
           SSL_CTX_use_PrivateKey_file(&ctx, o.tls_key_file.c_str(), SSL_FILETYPE_PEM) == 1 &&
           SSL_CTX_check_private_key(&ctx) == 1;
  });
}

WebOptions with_tls_facts(WebOptions o) {
  o.tls = !o.tls_cert_file.empty() && !o.tls_key_file.empty();
  if (o.tls) {
    auto fp = cert_fingerprint(o.tls_cert_file);
    o.tls_fingerprint = fp ? *fp : "";
  }
  return o;
}

}  // namespace

WebServer::WebServer(WebContext ctx, WebOptions options)
    : state_(new ServerState{std::move(ctx), with_tls_facts(std::move(options))}),
      http_(make_http(state_->options)) {
  state_->started = state_->ctx.clock.now();
  configure(*http_, *state_);
  for (const Route& r : all_routes(*state_))
    routes_.push_back({r.method, r.pattern, access_name(r.access)});
  add_routes(*http_, *state_);
}

WebServer::~WebServer() {
  stop();
}

Status WebServer::listen(const std::string& host, int port) {
  if (thread_.joinable()) return invalid_argument("the web server is already listening");
  if (port < 0 || port > 65535) return invalid_argument("port must be 0 to 65535");
  if (!http_->is_valid())
    return invalid_argument("cannot load the TLS certificate or key (" +
                            state_->options.tls_cert_file + ", " + state_->options.tls_key_file +
                            ")");
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
  spdlog::info("web: listening on {}://{}:{}", state_->options.tls ? "https" : "http", host, port_);
  return Status::ok();
}

void WebServer::stop() {
  state_->stopping = true;
  if (!thread_.joinable()) return;
  http_->stop();
  thread_.join();
}

}  // namespace cw::web
