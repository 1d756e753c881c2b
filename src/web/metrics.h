// Prometheus metrics of a base station (text exposition format 0.0.4), served at GET /metrics
// to a read token or a session: frames and measurements by verdict, each sensor's last sample
// time and frame counters, the store's size, the ingest latency (receipt to durable commit) and
// HTTP requests by route pattern, method and status. docs/ecosystem.md lists them.
//
// Thread-safety: count() and render() may be called from any thread.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "ingest/pipeline.h"
#include "store/store.h"

namespace cw::web {

class Metrics {
 public:
  // The pipeline's statistics, when one runs in this process.
  explicit Metrics(std::function<ingest::PipelineStats()> pipeline = {})
      : pipeline_(std::move(pipeline)) {}

  // One answered request; route is the route's pattern (never the path: no ids, no secrets).
  void count(const std::string& route, const std::string& method, int status);

  // The whole exposition.
  std::string render(store::Store& store) const;

 private:
  std::function<ingest::PipelineStats()> pipeline_;
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // guarded by mu_
};

// Escapes a label value: backslash, double quote and newline (exposition format 0.0.4).
std::string prometheus_label(const std::string& v);

}  // namespace cw::web
