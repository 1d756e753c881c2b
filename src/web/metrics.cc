#include "web/metrics.h"

#include <fmt/format.h>

namespace cw::web {

namespace {

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void sensors_part(std::string& out, store::Store& store) {
  auto sensors = store.sensors();
  if (!sensors) return;
  family(out, "cw_sensor_last_seen_seconds", "gauge",
         "UNIX time of the last accepted sample of each sensor (0: never)");
  for (const auto& s : *sensors)
    out +=
        fmt::format("cw_sensor_last_seen_seconds{{sensor=\"{}\",kind=\"{}\",name=\"{}\"}} {:.3f}\n",
                    s.id, store::sensor_kind_name(s.kind), prometheus_label(s.name),
                    double(s.state.last_seen) / 1000.0);
  family(out, "cw_sensor_frames_total", "counter",
         "Frames or measurements of each sensor by verdict, since it was paired");
  for (const auto& s : *sensors) {
    for (std::size_t i = 0; i < kVerdictCount; ++i)
      out += fmt::format("cw_sensor_frames_total{{sensor=\"{}\",verdict=\"{}\"}} {}\n", s.id,
                         verdict_name(static_cast<Verdict>(i)), s.state.frames.by_verdict[i]);
    out += fmt::format("cw_sensor_frames_total{{sensor=\"{}\",verdict=\"lost\"}} {}\n", s.id,
                       s.state.frames.lost);
  }
}

void store_part(std::string& out, store::Store& store) {
  auto st = store.stats();
  if (!st) return;
  family(out, "cw_store_file_bytes", "gauge", "Size of the database and its WAL on disk");
  out += fmt::format("cw_store_file_bytes {}\n", st->file_bytes);
  family(out, "cw_store_raw_samples", "gauge", "Raw samples currently kept");
  out += fmt::format("cw_store_raw_samples {}\n", st->raw_samples);
  family(out, "cw_store_rollup_records", "gauge", "Rollup buckets kept");
  out += fmt::format("cw_store_rollup_records {}\n", st->rollup_records);
}

void pipeline_part(std::string& out, const ingest::PipelineStats& p) {
  family(out, "cw_frames_total", "counter",
         "Frames and input measurements judged since start, by verdict");
  for (std::size_t i = 0; i < kVerdictCount; ++i)
    out += fmt::format("cw_frames_total{{verdict=\"{}\"}} {}\n",
                       verdict_name(static_cast<Verdict>(i)), p.frames.by_verdict[i]);
  family(out, "cw_ingest_pending_samples", "gauge", "Accepted samples not yet committed");
  out += fmt::format("cw_ingest_pending_samples {}\n", p.pending);
  family(out, "cw_ingest_commits_total", "counter", "Store commits since start");
  out += fmt::format("cw_ingest_commits_total {}\n", p.commits);
  family(out, "cw_ingest_failed_commits_total", "counter", "Store commits that failed");
  out += fmt::format("cw_ingest_failed_commits_total {}\n", p.failed_commits);
  family(out, "cw_ingest_latency_seconds", "histogram",
         "Time from a sample's receipt to its durable commit");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < ingest::kLatencyBounds.size(); ++i) {
    cumulative += p.latency.buckets[i];
    out += fmt::format("cw_ingest_latency_seconds_bucket{{le=\"{}\"}} {}\n",
                       ingest::kLatencyBounds[i], cumulative);
  }
  out += fmt::format("cw_ingest_latency_seconds_bucket{{le=\"+Inf\"}} {}\n", p.latency.count);
  out += fmt::format("cw_ingest_latency_seconds_sum {:.3f}\n", double(p.latency.sum_ms) / 1000.0);
  out += fmt::format("cw_ingest_latency_seconds_count {}\n", p.latency.count);
}

}  // namespace

std::string prometheus_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void Metrics::count(const std::string& route, const std::string& method, int status) {
  std::lock_guard lock(mu_);
  requests_[{route, method, status}]++;
}

std::string Metrics::render(store::Store& store) const {
  std::string out;
  if (pipeline_) pipeline_part(out, pipeline_());
  sensors_part(out, store);
  store_part(out, store);
  family(out, "cw_http_requests_total", "counter", "HTTP requests answered, by route and status");
  std::lock_guard lock(mu_);
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("cw_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       prometheus_label(route), method, status, n);
  }
  return out;
}

}  // namespace cw::web
