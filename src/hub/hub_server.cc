#include "hub/hub_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include "privacy/contribution.h"
#include "web/http_util.h"

namespace cw::hub {

std::string today(const HubContext& ctx) {
  return privacy::format_day(ctx.calendar, ctx.calendar.floor(ctx.clock.now(), Period::kDay));
}

bool in_window(const HubContext& ctx, const std::string& period, int extra_days) {
  auto start = privacy::parse_day(ctx.calendar, period);
  if (!start) return false;
  const TimeMs now_day = ctx.calendar.floor(ctx.clock.now(), Period::kDay);
  // Whole days apart, by noon (DST days are 23 or 25 hours long).
  const TimeMs days = (now_day + 12 * kHourMs - (*start + 12 * kHourMs)) / kDayMs;
  return days <= ctx.options.window_days && days >= 1 - extra_days;
}

HubServer::HubServer(HubContext ctx) : ctx_(std::move(ctx)) {}

HubServer::~HubServer() {
  stop();
}

Status HubServer::listen(const std::string& host, int port) {
  http_ = std::make_unique<httplib::SSLServer>(ctx_.options.cert_file.c_str(),
                                               ctx_.options.key_file.c_str());
  if (!http_->is_valid()) return invalid_argument("cannot load the TLS certificate or key");
  const int threads = ctx_.options.threads;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_payload_max_length(64 * 1024);
  // Small TLS records and delayed ACKs otherwise stall every answer by 40 ms (measured).
  http_->set_tcp_nodelay(true);
  http_->set_read_timeout(5, 0);
  http_->set_write_timeout(5, 0);
  http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  http_->set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"Strict-Transport-Security", "max-age=31536000"},
                              {"Access-Control-Allow-Origin", "*"}});
  http_->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        web::fill_error_body(res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        spdlog::error("hub: {} {} failed", req.method, req.path);
        web::send_error(res, 500, "internal", "the hub failed to answer this request");
      });
  add_hub_routes(*http_, ctx_);
  add_open_routes(*http_, ctx_);
  const int bound =
      port == 0 ? http_->bind_to_any_port(host) : (http_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0)
    return Status(Code::kUnavailable, "cannot listen on " + host + ":" + std::to_string(port));
  port_ = bound;
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  while (!http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  publisher_ = std::thread([this] { publish_loop(); });
  return Status::ok();
}

void HubServer::publish_loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    auto n = ctx_.publisher.publish_dirty();
    if (!n)
      spdlog::warn("hub: publication failed: {}", n.status().to_string());
    else if (*n)
      spdlog::info("hub: {} days republished", *n);
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(ctx_.options.publish_interval_ms),
                 [this] { return stop_; });
  }
}

void HubServer::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (publisher_.joinable()) publisher_.join();
  if (thread_.joinable()) {
    http_->stop();
    thread_.join();
  }
}

}  // namespace cw::hub
