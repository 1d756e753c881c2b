// Long responses: the live stream (Server-Sent Events) and the raw export. Each holds a pool
// thread while it runs, so both count against WebOptions::max_streams.
#include <chrono>

#include "web/http_util.h"
#include "web/params.h"
#include "web/routes.h"

namespace cw::web {

namespace {

using httplib::DataSink;
using httplib::Request;
using httplib::Response;
using nlohmann::json;
using SteadyTime = std::chrono::steady_clock::time_point;

// Takes a stream slot, or answers 503. The slot is given back when the response is destroyed.
bool take_slot(ServerState& s, Response& res) {
  if (s.streams.fetch_add(1) >= s.options.max_streams) {
    s.streams.fetch_sub(1);
    send_error(res, 503, "too_many_streams", "too many live streams or exports: try again later");
    return false;
  }
  return true;
}

std::string sse_event(const ingest::LiveEvent& e) {
  json data = {{"sensor", e.sensor},
               {"t", format_iso_utc(e.sample.t)},
               {"t_ms", e.sample.t},
               {"power_w", e.sample.power_w},
               {"energy_wh", e.sample.energy_wh},
               {"counter", e.sample.counter}};
  return "id: " + std::to_string(e.seq) + "\nevent: sample\ndata: " + data.dump() + "\n\n";
}

struct LiveCursor {
  std::uint64_t after = 0;
  std::optional<SensorId> sensor;
  bool greeted = false;
  SteadyTime last_write;
};

// One step of a live stream: waits up to live_poll_ms for events, writes what came (or a
// heartbeat), and ends the stream cleanly when the server or the hub shuts down.
bool live_step(ServerState& s, LiveCursor& c, DataSink& sink) {
  std::string out;
  if (!c.greeted) {
    out = "retry: 3000\n: connected\n\n";
    c.greeted = true;
  } else {
    if (s.stopping) return sink.done(), true;
    auto r = s.ctx.live.read_after(c.after, std::chrono::milliseconds(s.options.live_poll_ms));
    if (r.closed || s.stopping) return sink.done(), true;
    if (r.missed) out += "event: missed\ndata: {}\n\n";
    for (const auto& e : r.events) {
      c.after = e.seq;
      if (!c.sensor || *c.sensor == e.sensor) out += sse_event(e);
    }
    const auto now = std::chrono::steady_clock::now();
    if (out.empty() && now - c.last_write >= std::chrono::milliseconds(s.options.heartbeat_ms))
      out = ": heartbeat\n\n";
  }
  if (out.empty()) return true;
  c.last_write = std::chrono::steady_clock::now();
  return sink.write(out.data(), out.size());  // false: the client left, end the stream
}

void get_live(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto c = std::make_shared<LiveCursor>();
  if (auto f = param(req.params, "sensor")) {
    auto id = parse_sensor_id(*f);
    if (!id) return send_status(res, id.status());
    c->sensor = *id;
  }
  c->after = s.ctx.live.last_seq();
  if (std::string last = req.get_header_value("Last-Event-ID"); !last.empty()) {
    auto v = parse_bounded(last, 0, INT64_MAX, "Last-Event-ID");
    if (!v) return send_status(res, v.status());
    c->after = std::min<std::uint64_t>(*v, c->after);
  }
  if (!take_slot(s, res)) return;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream", [&s, c](std::size_t, DataSink& sink) { return live_step(s, *c, sink); },
      [&s](bool) { s.streams.fetch_sub(1); });
}

struct ExportJob {
  SensorId sensor;
  TimeRange range;
  ExportFormat format;
};

void append_sample(std::string& out, const Sample& x, ExportFormat f, bool first) {
  if (f == ExportFormat::kCsv) {
    out += format_iso_utc(x.t) + ',' + std::to_string(x.t) + ',' + std::to_string(x.counter) + ',' +
           std::to_string(x.power_w) + ',' + std::to_string(x.energy_wh) + '\n';
    return;
  }
  if (!first) out += ',';
  out += json{{"t", format_iso_utc(x.t)},
              {"t_ms", x.t},
              {"counter", x.counter},
              {"power_w", x.power_w},
              {"energy_wh", x.energy_wh}}
             .dump();
}

// Streams the whole export in one provider call, flushing every ~64 KiB. On a store error the
// chunked body is cut without its final chunk, so the client sees a truncated download rather
// than a silently short file.
bool export_all(ServerState& s, const ExportJob& job, DataSink& sink) {
  constexpr std::size_t kFlush = 64 * 1024;
  std::string buf;
  if (job.format == ExportFormat::kCsv) {
    buf = "time,t_ms,counter,power_w,energy_wh\n";
  } else {
    buf = json{{"sensor", job.sensor},
               {"from", format_iso_utc(job.range.from)},
               {"to", format_iso_utc(job.range.to)}}
              .dump();
    buf.pop_back();  // reopen the object to append the samples array
    buf += ",\"samples\":[";
  }
  bool first = true, client_ok = true;
  Status st = s.ctx.store.scan_raw(job.sensor, job.range.from, job.range.to,
                                   [&](std::span<const Sample> chunk) {
                                     for (const Sample& x : chunk) {
                                       append_sample(buf, x, job.format, first);
                                       first = false;
                                     }
                                     if (buf.size() >= kFlush) {
                                       client_ok = sink.write(buf.data(), buf.size());
                                       buf.clear();
                                     }
                                     return client_ok && !s.stopping;
                                   });
  if (!st || !client_ok || s.stopping) return false;
  if (job.format == ExportFormat::kJson) buf += "]}";
  if (!buf.empty() && !sink.write(buf.data(), buf.size())) return false;
  sink.done();
  return true;
}

void get_export(ServerState& s, const Request& req, Response& res, const Principal&) {
  auto sensor_text = param(req.params, "sensor");
  if (!sensor_text) return send_error(res, 400, "invalid_argument", "sensor is required");
  auto id = parse_sensor_id(*sensor_text);
  if (!id) return send_status(res, id.status());
  auto range = parse_range(req.params, s.ctx.clock.now(), kDayMs);
  if (!range) return send_status(res, range.status());
  auto format = parse_export_format(req.params);
  if (!format) return send_status(res, format.status());
  if (auto sensor = s.ctx.store.sensor(*id); !sensor) return send_status(res, sensor.status());
  if (!take_slot(s, res)) return;
  const bool csv = *format == ExportFormat::kCsv;
  res.set_header("Content-Disposition",
                 "attachment; filename=\"citizenwatt-sensor-" + std::to_string(*id) + "-" +
                     std::to_string(range->from) + "-" + std::to_string(range->to) +
                     (csv ? ".csv\"" : ".json\""));
  ExportJob job{*id, *range, *format};
  res.set_chunked_content_provider(
      csv ? "text/csv; charset=utf-8" : kJsonType,
      [&s, job](std::size_t, DataSink& sink) { return export_all(s, job, sink); },
      [&s](bool) { s.streams.fetch_sub(1); });
}

}  // namespace

std::vector<Route> stream_routes(ServerState& s) {
  auto bind = [&s](auto fn) -> RouteHandler {
    return [&s, fn](const Request& q, Response& r, const Principal& p) { fn(s, q, r, p); };
  };
  return {
      {"GET", "/api/v1/live", Access::kRead, bind(get_live)},
      {"GET", "/api/v1/export", Access::kRead, bind(get_export)},
  };
}

}  // namespace cw::web
