// A meter's registers (TIC, Enedis index imports): its status and energy per tariff period.
#include "analytics/meter_energy.h"
#include "store/inputs.h"
#include "web/http_util.h"
#include "web/params.h"
#include "web/routes.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

void get_registers(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto id = parse_sensor_id(req.matches[1].str());
  if (!id) return send_status(res, id.status());
  auto sensor = s.ctx.store.sensor(*id);
  if (!sensor) return send_status(res, sensor.status());
  if (!s.ctx.inputs) return send_error(res, 404, "not_found", "this base keeps no meter registers");
  auto range = parse_range(req.params, s.ctx.clock.now(), kDayMs);
  if (!range) return send_status(res, range.status());
  auto e = analytics::meter_energy(*s.ctx.inputs, *id, range->from, range->to);
  if (!e) return send_status(res, e.status());
  json regs = json::array();
  for (const auto& r : e->registers)
    regs.push_back({{"name", r.name},
                    {"period", r.period.empty() ? json(nullptr) : json(r.period)},
                    {"start_wh", r.start_wh},
                    {"end_wh", r.end_wh},
                    {"energy_wh", double(r.energy_mwh) / 1000.0},
                    {"covered", r.covered}});
  json periods = json::object();
  for (const auto& [p, mwh] : e->by_period_mwh) periods[p] = double(mwh) / 1000.0;
  send_json(res, 200,
            {{"sensor", *id},
             {"from", format_iso_utc(range->from)},
             {"to", format_iso_utc(range->to)},
             {"registers", regs},
             {"by_period_wh", periods},
             {"total_wh", double(e->total_mwh) / 1000.0}});
}

}  // namespace

json meter_json(ServerState& s, const store::Sensor& x) {
  if (!s.ctx.inputs) return nullptr;
  auto status = s.ctx.inputs->meter_status(x.id);
  auto last = s.ctx.inputs->last_readings(x.id);
  if (!status || !last || (status->empty() && last->empty())) return nullptr;
  json out = status->empty() ? json::object() : json::parse(*status, nullptr, false);
  if (out.is_discarded()) out = json::object();
  json regs = json::array();
  for (const auto& r : *last)
    regs.push_back({{"name", r.name},
                    {"period", r.period.empty() ? json(nullptr) : json(r.period)},
                    {"wh", r.wh},
                    {"t", format_iso_utc(r.t)}});
  out["registers"] = regs;
  return out;
}

std::vector<Route> meter_routes(ServerState& s) {
  auto bind = [&s](auto fn) -> RouteHandler {
    return [&s, fn](const Request& q, Response& r, const Principal& p) { fn(s, q, r, p); };
  };
  return {{"GET", R"(/api/v1/sensors/(\d{1,9})/registers)", Access::kRead, bind(get_registers)}};
}

}  // namespace cw::web
