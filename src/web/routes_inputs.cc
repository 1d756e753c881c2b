// emoncms-compatible inputs (ingest/emoncms_input.h): POST or GET /input/post and /input/bulk,
// and GET /input/get (the last value of a node's inputs, which IoTaWatt asks for at start),
// with or without ".json" and an "/emoncms" prefix, as uploaders are configured with emoncms's
// base URL. Authorised by an API token of scope ingest (or write) as "Authorization: Bearer" or
// "apikey=" (web/auth.cc). The answer is emoncms's: "ok" as text; errors are JSON.
#include <spdlog/spdlog.h>

#include "ingest/emoncms_input.h"
#include "ingest/input_binder.h"
#include "store/inputs.h"
#include "web/http_util.h"
#include "web/routes.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;

// Binds each measurement's sensor and submits it; per-measurement verdicts are counted on the
// sensor (GET /api/v1/sensors), as for radio frames.
Status submit(ServerState& s, const ingest::EmonItem& item) {
  auto measurements = ingest::map_inputs(item);
  if (!measurements) return measurements.status();
  for (const auto& m : *measurements) {
    auto sensor =
        s.ctx.binder->sensor_for(store::SensorKind::kHttp, "emoncms:" + m.address, m.name);
    if (!sensor) return sensor.status();
    ingest::InputMeasurement in;
    in.sensor = *sensor;
    in.t = m.t;
    in.power = m.power_w;
    in.energy_wh = m.energy_wh;
    in.voltage_dv = m.voltage_dv;
    (void)s.ctx.binder->pipeline().submit_input(in);
  }
  return Status::ok();
}

void reply(Response& res, const Status& st) {
  if (!st) return send_status(res, st);
  res.status = 200;
  res.set_content("ok", "text/plain; charset=utf-8");
}

void post_input(ServerState& s, const Request& req, Response& res, const Principal&) {
  if (!s.ctx.binder) return send_error(res, 503, "unavailable", "this base takes no inputs");
  auto item = ingest::parse_input_post(req.params, req.matches[1].str());
  if (!item) return send_status(res, item.status());
  // All of a request is mapped before anything is submitted: a bad value changes nothing.
  if (auto m = ingest::map_inputs(*item); !m) return send_status(res, m.status());
  reply(res, submit(s, *item));
}

void bulk_input(ServerState& s, const Request& req, Response& res, const Principal&) {
  if (!s.ctx.binder) return send_error(res, 503, "unavailable", "this base takes no inputs");
  auto items = ingest::parse_input_bulk(req.params, s.ctx.clock.now());
  if (!items) return send_status(res, items.status());
  for (const auto& item : *items)
    if (auto m = ingest::map_inputs(item); !m) return send_status(res, m.status());
  Status st;
  for (const auto& item : *items)
    if (st = submit(s, item); !st) break;
  reply(res, st);
}

// input/get?node=NODE, as emoncms answers it: the last time and value of each of the node's inputs,
// or the JSON string "Node does not exist". IoTaWatt asks it at start to resume where it left.
void get_inputs(ServerState& s, const Request& req, Response& res, const Principal&) {
  if (!s.ctx.inputs) return send_error(res, 503, "unavailable", "this base takes no inputs");
  const std::string node = req.has_param("node") ? req.get_param_value("node") : "0";
  auto bindings = s.ctx.inputs->bindings();
  if (!bindings) return send_status(res, bindings.status());
  const std::string prefix = "emoncms:" + node + "/";
  nlohmann::json out = nlohmann::json::object();
  for (const auto& b : *bindings) {
    if (b.kind != store::SensorKind::kHttp || b.address.rfind(prefix, 0) != 0) continue;
    auto sensor = s.ctx.store.sensor(b.sensor);
    if (!sensor || !sensor->state.last_seen) continue;
    out[b.address.substr(prefix.size())] = {{"time", sensor->state.last_seen / 1000},
                                            {"value", sensor->state.last_power_w}};
  }
  if (out.empty()) return send_json(res, 200, "Node does not exist");
  send_json(res, 200, out);
}

}  // namespace

std::vector<Route> input_routes(ServerState& s) {
  auto bind = [&s](auto fn) -> RouteHandler {
    return [&s, fn](const Request& q, Response& r, const Principal& p) { fn(s, q, r, p); };
  };
  const std::string post = R"((?:/emoncms)?/input/post(?:\.json)?(?:/([A-Za-z0-9_. -]{1,64}))?)";
  const std::string bulk = R"((?:/emoncms)?/input/bulk(?:\.json)?)";
  std::vector<Route> out = {
      {"GET", R"((?:/emoncms)?/input/get(?:\.json)?/?)", Access::kIngest, bind(get_inputs)}};
  for (const char* method : {"GET", "POST"}) {
    out.push_back({method, post, Access::kIngest, bind(post_input)});
    out.push_back({method, bulk, Access::kIngest, bind(bulk_input)});
  }
  return out;
}

}  // namespace cw::web
