// GET /metrics: Prometheus text exposition (web/metrics.h), for a read token or a session.
#include "web/http_util.h"
#include "web/metrics.h"
#include "web/routes.h"

namespace cw::web {

std::vector<Route> metrics_routes(ServerState& s) {
  auto get = [&s](const httplib::Request&, httplib::Response& res, const Principal&) {
    if (!s.ctx.metrics) return send_error(res, 404, "not_found", "this base exports no metrics");
    res.status = 200;
    res.set_content(s.ctx.metrics->render(s.ctx.store), "text/plain; version=0.0.4; charset=utf-8");
  };
  return {{"GET", "/metrics", Access::kRead, get}};
}

}  // namespace cw::web
