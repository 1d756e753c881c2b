// The ingest pipeline: every source hands its raw frames here.
//
//   submit(frame) → decode + authenticate (protocol) → validate (ranges, counters, resets)
//   → de-duplicate → pending batch ── every flush_interval ──▶ Store::commit (one transaction)
//   → LiveHub::publish (live fan-out, once the samples are durable)
//
// Thread-safety: submit() may be called from any number of source threads. One internal
// writer thread commits. Verdicts are counted per sensor and persisted with the samples.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "core/frame_stats.h"
#include "core/time.h"
#include "ingest/input_measurement.h"
#include "ingest/legacy_rules.h"
#include "ingest/live_hub.h"
#include "ingest/log_limiter.h"
#include "protocol/frame.h"
#include "protocol/legacy_v1.h"
#include "store/store.h"

namespace cw::ingest {

struct PipelineOptions {
  TimeMs flush_interval_ms = 250;     // upper bound of the delay before a sample is durable
  std::size_t max_pending = 200000;   // samples waiting for commit; beyond, frames are refused
  std::int32_t max_power_w = 100000;  // |power| above this is out of range
  std::int64_t max_energy_rate_w = 100000;  // the register may not grow faster than this
  std::int32_t max_legacy_power_w = 36000;  // legacy v1 power above this is out of range
};

// Upper bounds (seconds) of the ingest latency histogram: receipt to durable commit.
inline constexpr std::array<double, 11> kLatencyBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                          0.5,   1,    2.5,   5,    10};

struct LatencyHistogram {
  std::array<std::uint64_t, kLatencyBounds.size()> buckets{};  // not cumulative; beyond the
                                                               // last bound: count - sum(buckets)
  std::uint64_t count = 0;
  std::int64_t sum_ms = 0;
  void observe(TimeMs ms);
};

struct PipelineStats {
  std::uint64_t committed_samples = 0;  // durable samples since start
  std::uint64_t commits = 0;
  std::uint64_t failed_commits = 0;
  std::uint64_t pending = 0;
  TimeMs last_commit = 0;                               // wall time of the last successful commit
  FrameStats frames;                                    // all verdicts since start, all sensors
  std::map<SensorId, std::uint32_t> committed_counter;  // highest durable frame counter per sensor
  LatencyHistogram latency;                             // of every committed sample
};

class Pipeline {
 public:
  Pipeline(store::Store& store, const Clock& clock, LiveHub& live, PipelineOptions options = {});
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Loads sensors (keys, counters, state) from the store and starts the writer thread.
  Status start();
  // Commits what is pending and stops the writer thread. Idempotent.
  void stop();

  // Judges one frame received now. Accepted samples become durable within flush_interval.
  Verdict submit(std::span<const std::uint8_t> frame);

  // Judges one measurement of an input sensor (kind tic, mqtt, http or import; pipeline_input.cc):
  // same ordering, plausibility, counter-reset and commit rules as a frame. Thread-safe.
  Verdict submit_input(const InputMeasurement& m);

  // Re-reads sensors from the store (after pairing, rekeying or removal).
  Status reload_sensors();

  // Commits pending samples now (tests, shutdown).
  Status flush();

  PipelineStats stats() const;

 private:
  struct Entry {
    store::Sensor sensor;          // as loaded; sensor.state is the live state, pending included
    std::vector<Sample> pending;   // accepted, not yet committed
    std::vector<TimeMs> received;  // receipt time of each pending sample (latency metric)
    bool dirty = false;            // state changed since the last commit
    TimeMs last_t = 0;             // time of the last accepted sample, stored or pending
    LegacyMemo legacy;             // legacy v1 sensors only (legacy_rules.h)
  };
  struct Taken;  // a batch moved out of the entries for one commit

  Verdict judge(std::span<const std::uint8_t> frame, TimeMs now);
  Verdict accept_measurement(Entry& e, std::uint32_t counter, const protocol::Measurement& m,
                             TimeMs now);
  // Legacy v1 (16-byte frames; docs/protocol.md): finds the legacy sensor whose key makes sense
  // of the frame, then applies legacy_rules.h.
  Verdict judge_legacy(std::span<const std::uint8_t> frame, TimeMs now);
  Verdict accept_legacy(Entry& e, const protocol::LegacyReading& r,
                        const std::uint8_t plain[protocol::kLegacyFrame], TimeMs now);
  Verdict reject(Entry* e, Verdict v, const char* why);
  Verdict judge_input(const InputMeasurement& m, TimeMs now);
  // The register, continuous across resets, or a reason to refuse it (pipeline_input.cc).
  Verdict input_energy(Entry& e, const InputMeasurement& m, TimeMs t, std::int64_t* energy);
  bool store_keeping_up() const;
  Taken take_pending();
  void restore_pending(Taken& taken);
  Status commit_taken(Taken& taken);
  void writer_loop();

  store::Store& store_;
  const Clock& clock_;
  LiveHub& live_;
  const PipelineOptions options_;
  LogLimiter log_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<SensorId, Entry> entries_;  // guarded by mu_
  FrameStats unattributed_;            // guarded by mu_; not yet committed
  PipelineStats stats_;                // guarded by mu_
  bool running_ = false;               // guarded by mu_
  std::mutex commit_mu_;               // one commit at a time, in order
  std::thread writer_;
};

}  // namespace cw::ingest
