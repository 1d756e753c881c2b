#include "ingest/pipeline.h"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "protocol/host/legacy_openssl.h"
#include "protocol/host/openssl_aead.h"

namespace cw::ingest {

namespace {

Verdict verdict_of(protocol::FrameError e) {
  switch (e) {
    case protocol::FrameError::kOk:
      return Verdict::kAccepted;
    case protocol::FrameError::kWrongVersion:
    case protocol::FrameError::kUnknownType:
      return Verdict::kWrongVersion;
    case protocol::FrameError::kBadTag:
      return Verdict::kForged;
    default:
      return Verdict::kMalformed;
  }
}

}  // namespace

struct Pipeline::Taken {
  store::CommitBatch batch;
  std::vector<std::vector<TimeMs>> received;  // per sensor batch
};

void LatencyHistogram::observe(TimeMs ms) {
  count++;
  sum_ms += ms;
  for (std::size_t i = 0; i < kLatencyBounds.size(); ++i) {
    if (double(ms) <= kLatencyBounds[i] * 1000.0) {
      buckets[i]++;
      return;
    }
  }
}

Pipeline::Pipeline(store::Store& store, const Clock& clock, LiveHub& live, PipelineOptions options)
    : store_(store), clock_(clock), live_(live), options_(options), log_(clock) {}

Pipeline::~Pipeline() {
  stop();
}

Status Pipeline::start() {
  CW_RETURN_IF_ERROR(reload_sensors());
  std::lock_guard lock(mu_);
  if (running_) return Status::ok();
  running_ = true;
  writer_ = std::thread([this] { writer_loop(); });
  return Status::ok();
}

void Pipeline::stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    running_ = false;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  Status s = flush();
  if (!s)
    spdlog::error("ingest: final commit failed, {} samples lost: {}", stats().pending,
                  s.to_string());
}

Status Pipeline::reload_sensors() {
  auto list = store_.sensors();
  if (!list) return list.status();
  std::lock_guard lock(mu_);
  std::map<SensorId, Entry> next;
  for (auto& s : *list) {
    auto it = entries_.find(s.id);
    if (it != entries_.end()) {
      Entry e = std::move(it->second);
      e.sensor.name = s.name;  // keep the live state and pending samples; take the new key
      e.sensor.key = s.key;
      e.sensor.kind = s.kind;
      e.sensor.max_gap_ms = s.max_gap_ms;
      next.emplace(s.id, std::move(e));
    } else {
      Entry e;
      e.sensor = s;
      auto last = store_.last_sample(s.id);
      if (last && last->has_value()) e.last_t = (*last)->t;
      next.emplace(s.id, std::move(e));
    }
  }
  entries_ = std::move(next);
  return Status::ok();
}

Verdict Pipeline::submit(std::span<const std::uint8_t> frame) {
  const TimeMs now = clock_.now();
  std::lock_guard lock(mu_);
  Verdict v = judge(frame, now);
  stats_.frames[v]++;
  return v;
}

Verdict Pipeline::reject(Entry* e, Verdict v, const char* why) {
  if (e) {
    e->sensor.state.frames[v]++;
    e->dirty = true;
    log_.warn(std::string(verdict_name(v)) + std::to_string(e->sensor.id),
              fmt::format("ingest: sensor {} frame rejected ({}): {}", e->sensor.id,
                          verdict_name(v), why));
  } else {
    unattributed_[v]++;
    log_.warn(std::string(verdict_name(v)),
              fmt::format("ingest: frame rejected ({}): {}", verdict_name(v), why));
  }
  return v;
}

Verdict Pipeline::judge(std::span<const std::uint8_t> frame, TimeMs now) {
  if (frame.size() == protocol::kLegacyFrame) return judge_legacy(frame, now);
  protocol::Header h{};
  auto err = protocol::parse_header(frame.data(), frame.size(), &h);
  if (err != protocol::FrameError::kOk)
    return reject(nullptr, verdict_of(err), protocol::frame_error_name(err));
  auto it = entries_.find(h.sensor_id);
  if (it == entries_.end()) return reject(nullptr, Verdict::kUnknownSensor, "sensor not paired");
  Entry& e = it->second;
  if (e.sensor.kind != store::SensorKind::kV2)
    return reject(&e, Verdict::kWrongVersion, "v2 frame for a sensor paired as legacy");
  const auto& aead = protocol::openssl_aead();
  if (h.type == protocol::FrameType::kHello) {
    protocol::Hello hello{};
    err = protocol::open_hello(frame.data(), frame.size(), e.sensor.key.data(), aead, &hello);
    if (err != protocol::FrameError::kOk)
      return reject(&e, verdict_of(err), protocol::frame_error_name(err));
    auto& st = e.sensor.state;
    if (st.has_counter && h.counter <= st.last_counter)
      return reject(&e, Verdict::kReplayed, "frame counter not above the last accepted one");
    st.has_counter = true;
    st.last_counter = h.counter;
    st.frames[Verdict::kAccepted]++;
    e.dirty = true;
    spdlog::info("ingest: sensor {} says hello (firmware {}, period {} s)", e.sensor.id,
                 hello.firmware_version, hello.period_s);
    return Verdict::kAccepted;
  }
  protocol::Measurement m{};
  err = protocol::open_measurement(frame.data(), frame.size(), e.sensor.key.data(), aead, &m);
  if (err != protocol::FrameError::kOk)
    return reject(&e, verdict_of(err), protocol::frame_error_name(err));
  return accept_measurement(e, h.counter, m, now);
}

Verdict Pipeline::accept_measurement(Entry& e, std::uint32_t counter,
                                     const protocol::Measurement& m, TimeMs now) {
  auto& st = e.sensor.state;
  if (st.has_counter && counter <= st.last_counter)
    return reject(&e, Verdict::kReplayed, "frame counter not above the last accepted one");
  if (std::abs(static_cast<std::int64_t>(m.power_w)) > options_.max_power_w)
    return reject(&e, Verdict::kOutOfRange, "power beyond the plausible range");
  const bool has_prev = e.last_t > 0;
  const std::int64_t raw = m.energy_wh;
  std::int64_t offset = st.energy_offset_wh;
  if (has_prev && raw < st.last_raw_energy_wh) {
    // The register went back: the sensor was replaced or reflashed. Its new register says nothing
    // of the energy used meanwhile, so the continuous energy carries on from where it was: never
    // negative, never counted twice.
    offset = st.energy_offset_wh + st.last_raw_energy_wh - raw;
    spdlog::warn("ingest: sensor {} energy register went back from {} to {} Wh: counter reset",
                 e.sensor.id, st.last_raw_energy_wh, raw);
  } else if (has_prev) {
    // Frames can arrive in a burst (a gateway's queue, Wi-Fi back after an outage), so the time
    // allowed is at least a minute per frame the counter says was sent meanwhile.
    const std::int64_t frames = st.has_counter ? std::int64_t(counter) - st.last_counter : 1;
    const TimeMs dt = std::max<TimeMs>(now - e.last_t, frames * kMinuteMs);
    const std::int64_t max_gain = options_.max_energy_rate_w * dt / kHourMs + 2;
    if (raw - st.last_raw_energy_wh > max_gain)
      return reject(&e, Verdict::kOutOfRange, "energy register grew faster than possible");
  }
  TimeMs t = now;
  if (t <= e.last_t) {
    // Bursts faster than one frame per ms run ahead of the clock by design; only a real jump
    // back of the base's clock is worth a warning.
    if (e.last_t - t > kSecondMs)
      log_.warn("clock" + std::to_string(e.sensor.id),
                fmt::format("ingest: base clock went back ({} ms) for sensor {}; keeping order",
                            e.last_t - t, e.sensor.id));
    t = e.last_t + 1;  // two frames in the same millisecond, or a clock jump: keep them ordered
  }
  if (st.has_counter && counter > st.last_counter + 1 && !(m.flags & protocol::kFlagReboot))
    st.frames.lost += counter - st.last_counter - 1;
  if (!store_keeping_up())
    return reject(&e, Verdict::kStoreFailed, "store is not keeping up: too many pending samples");

  st.energy_offset_wh = offset;
  st.last_raw_energy_wh = raw;
  st.has_counter = true;
  st.last_counter = counter;
  st.last_seen = t;
  st.last_power_w = m.power_w;
  st.voltage_dv = m.voltage_dv;
  st.supply_mv = m.supply_mv;
  st.flags = m.flags;
  st.frames[Verdict::kAccepted]++;
  e.pending.push_back(Sample{t, counter, m.power_w, offset + raw});
  e.received.push_back(now);
  e.last_t = t;
  e.dirty = true;
  return Verdict::kAccepted;
}

Verdict Pipeline::judge_legacy(std::span<const std::uint8_t> frame, TimeMs now) {
  // No sensor id on the wire: try each legacy sensor's key. A wrong key decrypts to noise, which
  // the shape check refuses ~91% of the time; among several candidates, the one whose timer
  // carries on is preferred.
  Entry* best = nullptr;
  bool best_continues = false;
  protocol::LegacyReading best_r{};
  std::uint8_t best_plain[protocol::kLegacyFrame] = {};
  bool any_legacy = false;
  for (auto& [id, e] : entries_) {
    if (e.sensor.kind != store::SensorKind::kLegacy) continue;
    any_legacy = true;
    protocol::LegacyReading r{};
    std::uint8_t plain[protocol::kLegacyFrame];
    if (!protocol::open_legacy_v1(frame.data(), frame.size(), e.sensor.key.data(), &r, plain) ||
        !legacy_shape_ok(r))
      continue;
    const bool continues = e.legacy.has_prev && r.timer_ms > e.legacy.last_timer_ms &&
                           r.timer_ms - e.legacy.last_timer_ms <= kHourMs;
    if (best == nullptr || (continues && !best_continues)) {
      best = &e, best_continues = continues, best_r = r;
      std::memcpy(best_plain, plain, sizeof plain);
    }
  }
  if (!any_legacy) return reject(nullptr, Verdict::kMalformed, "16 bytes, no legacy sensor paired");
  if (best == nullptr)
    return reject(nullptr, Verdict::kForged, "no legacy key decrypts it to a plausible reading");
  Verdict v = accept_legacy(*best, best_r, best_plain, now);
  OPENSSL_cleanse(best_plain, sizeof best_plain);
  return v;
}

Verdict Pipeline::accept_legacy(Entry& e, const protocol::LegacyReading& r,
                                const std::uint8_t plain[protocol::kLegacyFrame], TimeMs now) {
  auto& st = e.sensor.state;
  const LegacyTimer timer = classify_timer(e.legacy, plain, r.timer_ms);
  if (timer == LegacyTimer::kDuplicate)
    return reject(&e, Verdict::kReplayed, "legacy frame identical to the last one");
  if (timer == LegacyTimer::kBack) return reject(&e, Verdict::kReplayed, "legacy timer went back");
  if (r.power_w > options_.max_legacy_power_w)
    return reject(&e, Verdict::kOutOfRange, "legacy power beyond the plausible range");
  if (st.has_counter && st.last_counter == UINT32_MAX)
    return reject(&e, Verdict::kOutOfRange, "legacy sequence exhausted");
  if (!store_keeping_up())
    return reject(&e, Verdict::kStoreFailed, "store is not keeping up: too many pending samples");

  const TimeMs t = std::max(now, e.last_t + 1);  // keep samples ordered, as for v2
  const std::int32_t power = r.power_w;
  // The base builds the energy register: it is an estimate (docs/protocol.md).
  st.last_raw_energy_wh = integrate_energy(e.legacy, st.last_raw_energy_wh, st.last_power_w,
                                           e.last_t, power, t, e.sensor.max_gap_ms);
  const std::uint32_t seq = st.has_counter ? st.last_counter + 1 : 1;  // the base's own sequence
  st.has_counter = true;
  st.last_counter = seq;
  st.last_seen = t;
  st.last_power_w = power;
  st.voltage_dv = r.voltage_v <= 6553 ? static_cast<std::uint16_t>(r.voltage_v * 10) : 0;
  st.supply_mv = r.battery_mv;
  st.flags = static_cast<std::uint8_t>(
      protocol::kFlagApparentOnly | (timer == LegacyTimer::kRestart ? protocol::kFlagReboot : 0));
  st.frames[Verdict::kAccepted]++;
  e.legacy.has_prev = true;
  e.legacy.last_timer_ms = r.timer_ms;
  std::memcpy(e.legacy.last_plain.data(), plain, protocol::kLegacyFrame);
  e.pending.push_back(Sample{t, seq, power, st.energy_offset_wh + st.last_raw_energy_wh});
  e.received.push_back(now);
  e.last_t = t;
  e.dirty = true;
  return Verdict::kAccepted;
}

Pipeline::Taken Pipeline::take_pending() {
  Taken taken;
  for (auto& [id, e] : entries_) {
    if (!e.dirty && e.pending.empty()) continue;
    store::SensorBatch b;
    b.sensor = id;
    b.samples = std::move(e.pending);
    e.pending.clear();
    taken.received.push_back(std::move(e.received));
    e.received.clear();
    b.state = e.sensor.state;
    e.dirty = false;
    taken.batch.sensors.push_back(std::move(b));
  }
  taken.batch.unattributed = unattributed_;
  unattributed_ = FrameStats{};
  return taken;
}

void Pipeline::restore_pending(Taken& taken) {
  for (std::size_t k = 0; k < taken.batch.sensors.size(); ++k) {
    auto& b = taken.batch.sensors[k];
    auto it = entries_.find(b.sensor);
    if (it == entries_.end()) continue;  // removed meanwhile: its data goes with it
    auto& p = it->second.pending;
    p.insert(p.begin(), b.samples.begin(), b.samples.end());
    auto& r = it->second.received;
    r.insert(r.begin(), taken.received[k].begin(), taken.received[k].end());
    it->second.dirty = true;
  }
  unattributed_.add(taken.batch.unattributed);
}

// A sensor removed while its samples were pending (`sensor remove`, DELETE /api/v1/sensors/ID)
// makes the store refuse the whole batch: forget it and commit what the other sensors sent,
// rather than hold their samples until the next periodic reload.
Status Pipeline::commit_taken(Taken& taken) {
  Status s = store_.commit(taken.batch);
  if (s.is_ok() || s.code() != Code::kInvalidArgument) return s;
  CW_RETURN_IF_ERROR(reload_sensors());
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    dropped = std::erase_if(taken.batch.sensors, [&](const store::SensorBatch& b) {
      return entries_.find(b.sensor) == entries_.end();
    });
  }
  if (dropped == 0) return s;
  spdlog::info("ingest: {} removed sensor(s) dropped from the pending batch", dropped);
  return store_.commit(taken.batch);
}

Status Pipeline::flush() {
  std::lock_guard commit_lock(commit_mu_);
  Taken taken;
  {
    std::lock_guard lock(mu_);
    taken = take_pending();
  }
  if (taken.batch.sensors.empty() && taken.batch.unattributed == FrameStats{}) return Status::ok();
  Status s = commit_taken(taken);
  std::lock_guard lock(mu_);
  if (!s) {
    restore_pending(taken);
    stats_.failed_commits++;
    log_.warn("commit", "ingest: commit failed, will retry: " + s.to_string());
    return s;
  }
  stats_.commits++;
  stats_.last_commit = clock_.now();
  for (const auto& received : taken.received)
    for (TimeMs rx : received) stats_.latency.observe(std::max<TimeMs>(0, stats_.last_commit - rx));
  for (const auto& b : taken.batch.sensors) {
    stats_.committed_samples += b.samples.size();
    if (b.state.has_counter) stats_.committed_counter[b.sensor] = b.state.last_counter;
    for (const auto& sample : b.samples) live_.publish(b.sensor, sample);
  }
  return Status::ok();
}

void Pipeline::writer_loop() {
  std::unique_lock lock(mu_);
  while (running_) {
    cv_.wait_for(lock, std::chrono::milliseconds(options_.flush_interval_ms),
                 [this] { return !running_; });
    if (!running_) break;
    lock.unlock();
    (void)flush();  // failures are logged and retried with the next flush
    lock.lock();
  }
}

PipelineStats Pipeline::stats() const {
  std::lock_guard lock(mu_);
  PipelineStats s = stats_;
  s.pending = 0;
  for (const auto& [id, e] : entries_) s.pending += e.pending.size();
  return s;
}

}  // namespace cw::ingest
