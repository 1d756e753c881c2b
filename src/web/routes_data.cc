// Health, sensors (and their pairing by an admin), chart series and energy per local period.
#include <sodium.h>

#include "analytics/energy.h"
#include "analytics/series.h"
#include "ingest/input_measurement.h"
#include "protocol/frame.h"
#include "store/inputs.h"
#include "web/http_util.h"
#include "web/params.h"
#include "web/routes.h"
#include "web/sensor_body.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

json iso_or_null(TimeMs t) {
  return t ? json(format_iso_utc(t)) : json(nullptr);
}

json frames_json(const FrameStats& f) {
  json out = json::object();
  for (std::size_t i = 0; i < kVerdictCount; ++i)
    out[std::string(verdict_name(static_cast<Verdict>(i)))] = f.by_verdict[i];
  out["lost"] = f.lost;
  return out;
}

json store_stats_json(const store::StoreStats& st) {
  return {{"raw_samples", st.raw_samples},
          {"raw_blocks", st.raw_blocks},
          {"rollup_records", st.rollup_records},
          {"file_bytes", st.file_bytes},
          {"oldest_raw", iso_or_null(st.oldest_raw)},
          {"unattributed", frames_json(st.unattributed)}};
}

void get_health(ServerState& s, const Request&, Response& res, const Principal&) {
  bool ok = true;
  json body = {{"version", s.ctx.version},
               {"uptime_s", (s.ctx.clock.now() - s.started) / 1000},
               {"time_zone", s.ctx.calendar.zone_name()}};
  if (auto st = s.ctx.store.stats()) {
    body["store"] = store_stats_json(*st);
  } else {
    ok = false;
    body["store"] = {{"error", st.status().to_string()}};
  }
  body["ingest"] = nullptr;
  if (s.ctx.ingest_stats) {
    try {
      body["ingest"] = s.ctx.ingest_stats();
    } catch (const std::exception& e) {
      ok = false;
      body["ingest"] = {{"error", e.what()}};
    }
  }
  body["status"] = ok ? "ok" : "degraded";
  send_json(res, 200, body);
}

json sensor_json(ServerState& s, const store::Sensor& x) {
  const auto& st = x.state;
  const bool input = store::is_input_kind(x.kind);
  const bool apparent = (st.flags & protocol::kFlagApparentOnly) != 0;
  const char* energy_source = x.kind == store::SensorKind::kLegacy       ? "estimated"
                              : !input                                   ? "sensor"
                              : (st.flags & ingest::kInputFlagEstimated) ? "estimated"
                                                                         : "meter";
  const std::uint64_t accepted = st.frames[Verdict::kAccepted];
  const std::uint64_t expected = accepted + st.frames.lost;
  return {
      {"id", x.id},
      {"name", x.name},
      {"kind", store::sensor_kind_name(x.kind)},
      {"secure", x.kind != store::SensorKind::kLegacy},
      {"created", iso_or_null(x.created)},
      {"last_seen", iso_or_null(st.last_seen)},
      {"last_power_w", st.last_seen ? json(st.last_power_w) : json(nullptr)},
      {"energy_wh", st.last_raw_energy_wh + st.energy_offset_wh},
      {"voltage_v", st.voltage_dv ? json(st.voltage_dv / 10.0) : json(nullptr)},
      {"supply_v", st.supply_mv ? json(st.supply_mv / 1000.0) : json(nullptr)},
      {"flags",
       {{"raw", st.flags},
        {"reboot", (st.flags & protocol::kFlagReboot) != 0},
        {"clamp_missing", (st.flags & protocol::kFlagClampMissing) != 0},
        {"apparent_only", (st.flags & protocol::kFlagApparentOnly) != 0},
        {"low_battery", (st.flags & protocol::kFlagLowBattery) != 0}}},
      {"frames", frames_json(st.frames)},
      {"loss_ratio", expected ? json(double(st.frames.lost) / double(expected)) : json(nullptr)},
      {"power_unit", apparent ? "VA" : "W"},
      {"energy_source", energy_source},
      {"meter", input ? meter_json(s, x) : json(nullptr)},
  };
}

void get_sensors(ServerState& s, const Request&, Response& res, const Principal&) {
  auto sensors = s.ctx.store.sensors();
  if (!sensors) return send_status(res, sensors.status());
  json list = json::array();
  for (const auto& x : *sensors) list.push_back(sensor_json(s, x));
  send_json(res, 200, {{"sensors", list}});
}

// The sensor named in the path, checked to exist, or an error already sent.
std::optional<SensorId> path_sensor(ServerState& s, const Request& req, Response& res) {
  auto id = parse_sensor_id(req.matches[1].str());
  if (!id) return send_status(res, id.status()), std::nullopt;
  auto sensor = s.ctx.store.sensor(*id);
  if (!sensor) return send_status(res, sensor.status()), std::nullopt;
  return *id;
}

// Pairs a v2 sensor with a fresh random key, returned this once (like a token's secret).
void post_sensor(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto body = json_body(req);
  if (!body) return send_status(res, body.status());
  auto wanted = parse_new_sensor(*body);
  if (!wanted) return send_status(res, wanted.status());
  store::NewSensor ns;
  ns.name = wanted->name;
  ns.id = wanted->id;
  randombytes_buf(ns.key.data(), ns.key.size());
  auto created = s.ctx.store.add_sensor(ns);
  sodium_memzero(ns.key.data(), ns.key.size());
  if (!created) return send_status(res, created.status());
  std::string key(2 * created->key.size() + 1, '\0');
  sodium_bin2hex(key.data(), key.size(), created->key.data(), created->key.size());
  key.pop_back();  // the terminating NUL
  sodium_memzero(created->key.data(), created->key.size());
  res.set_header("Cache-Control", "no-store");
  send_json(res, 201,
            {{"sensor", sensor_json(s, *created)},
             {"key", key},
             {"provision", "citizenwatt sensor provision --port /dev/ttyUSB0 --id " +
                               std::to_string(created->id)}});
}

void patch_sensor(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto id = path_sensor(s, req, res);
  if (!id) return;
  auto body = json_body(req);
  if (!body) return send_status(res, body.status());
  auto name = parse_sensor_rename(*body);
  if (!name) return send_status(res, name.status());
  if (Status st = s.ctx.store.rename_sensor(*id, *name); !st) return send_status(res, st);
  auto sensor = s.ctx.store.sensor(*id);
  if (!sensor) return send_status(res, sensor.status());
  send_json(res, 200, {{"sensor", sensor_json(s, *sensor)}});
}

// Removes the sensor with all its samples and rollups (the store does it in one transaction).
void delete_sensor(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto id = path_sensor(s, req, res);
  if (!id) return;
  if (Status st = s.ctx.store.remove_sensor(*id); !st) return send_status(res, st);
  // Its meter registers and input bindings go with it (docs/ecosystem.md).
  if (s.ctx.inputs) {
    if (Status st = s.ctx.inputs->forget_sensor(*id); !st) return send_status(res, st);
  }
  send_json(res, 200, {{"ok", true}, {"removed", *id}});
}

json point_json(const analytics::SeriesPoint& p, SeriesUnit unit) {
  const json energy = (p.has_data || p.estimated) ? json(p.energy_wh) : json(nullptr);
  json j = {{"t", format_iso_utc(p.start)},
            {"t_ms", p.start},
            {"end_ms", p.end},
            {"mean", nullptr},
            {"min", nullptr},
            {"max", nullptr},
            {"energy_wh", energy},
            {"coverage", p.coverage},
            {"estimated", p.estimated}};
  if (p.has_data) {
    j["mean"] = p.mean_w;
    j["min"] = p.min_w;
    j["max"] = p.max_w;
  }
  j["value"] = unit == SeriesUnit::kWattHour ? energy : j["mean"];
  return j;
}

// A TIC meter gives apparent power: its series is in VA, never called W.
const char* apparent_unit(ServerState& s, SensorId id) {
  auto x = s.ctx.store.sensor(id);
  const bool va =
      x && store::is_input_kind(x->kind) && (x->state.flags & protocol::kFlagApparentOnly) != 0;
  return va ? "VA" : "W";
}

void get_series(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto range = parse_range(req.params, s.ctx.clock.now(), kDayMs);
  if (!range) return send_status(res, range.status());
  auto points = parse_points(req.params);
  if (!points) return send_status(res, points.status());
  auto unit = parse_unit(req.params);
  if (!unit) return send_status(res, unit.status());
  auto id = path_sensor(s, req, res);
  if (!id) return;
  auto series =
      analytics::query_series(s.ctx.store, s.ctx.calendar, {*id, range->from, range->to, *points});
  if (!series) return send_status(res, series.status());
  json list = json::array();
  for (const auto& p : series->points) list.push_back(point_json(p, *unit));
  send_json(res, 200,
            {{"sensor", *id},
             {"from", format_iso_utc(range->from)},
             {"to", format_iso_utc(range->to)},
             {"unit", *unit == SeriesUnit::kWattHour ? "Wh" : apparent_unit(s, *id)},
             {"level", level_name(series->level)},
             {"step_s", series->step_ms / 1000.0},
             {"points", list}});
}

TimeMs default_energy_span(Period by) {
  switch (by) {
    case Period::kHour:
      return kDayMs;
    case Period::kMonth:
      return 365 * kDayMs;
    default:
      return 30 * kDayMs;
  }
}

const char* period_name(Period p) {
  return p == Period::kHour ? "hour" : p == Period::kMonth ? "month" : "day";
}

void get_energy(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto by = parse_energy_period(req.params);
  if (!by) return send_status(res, by.status());
  auto range = parse_range(req.params, s.ctx.clock.now(), default_energy_span(*by));
  if (!range) return send_status(res, range.status());
  auto id = path_sensor(s, req, res);
  if (!id) return;
  auto buckets =
      analytics::energy_by(s.ctx.store, s.ctx.calendar, *id, range->from, range->to, *by);
  if (!buckets) return send_status(res, buckets.status());
  json list = json::array();
  double total = 0;
  bool estimated = false;
  for (const auto& b : *buckets) {
    total += b.energy_wh;
    estimated = estimated || b.estimated;
    list.push_back({{"start", s.ctx.calendar.format_local(b.start)},
                    {"end", s.ctx.calendar.format_local(b.end)},
                    {"start_ms", b.start},
                    {"end_ms", b.end},
                    {"energy_wh", b.energy_wh},
                    {"estimated", b.estimated},
                    {"coverage", b.coverage}});
  }
  send_json(res, 200,
            {{"sensor", *id},
             {"by", period_name(*by)},
             {"time_zone", s.ctx.calendar.zone_name()},
             {"from", format_iso_utc(range->from)},
             {"to", format_iso_utc(range->to)},
             {"buckets", list},
             {"total_wh", total},
             {"estimated", estimated}});
}

}  // namespace

std::vector<Route> data_routes(ServerState& s) {
  auto bind = [&s](auto fn) -> RouteHandler {
    return [&s, fn](const Request& q, Response& r, const Principal& p) { fn(s, q, r, p); };
  };
  return {
      {"GET", "/api/v1/health", Access::kPublic, bind(get_health)},
      {"GET", "/api/v1/sensors", Access::kRead, bind(get_sensors)},
      {"POST", "/api/v1/sensors", Access::kAdmin, bind(post_sensor)},
      {"PATCH", R"(/api/v1/sensors/(\d{1,9}))", Access::kAdmin, bind(patch_sensor)},
      {"DELETE", R"(/api/v1/sensors/(\d{1,9}))", Access::kAdmin, bind(delete_sensor)},
      {"GET", R"(/api/v1/sensors/(\d{1,9})/series)", Access::kRead, bind(get_series)},
      {"GET", R"(/api/v1/sensors/(\d{1,9})/energy)", Access::kRead, bind(get_energy)},
  };
}

}  // namespace cw::web
