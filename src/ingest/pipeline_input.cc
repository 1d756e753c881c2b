// The pipeline's second door: measurements of input sensors (docs/architecture.md, "Inputs that
// are not radio frames"). They have no frame counter nor MAC: their channel is trusted; what is
// judged here is the same as for a frame: order, plausibility, register resets.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

#include "ingest/pipeline.h"
#include "protocol/frame.h"

namespace cw::ingest {

namespace {
// A device's own clock may run ahead of the base's a little, not more.
constexpr TimeMs kMaxFutureMs = 5 * kMinuteMs;
}  // namespace

bool Pipeline::store_keeping_up() const {
  std::size_t pending_total = 0;
  for (const auto& [id, other] : entries_) pending_total += other.pending.size();
  return pending_total < options_.max_pending;
}

Verdict Pipeline::submit_input(const InputMeasurement& m) {
  const TimeMs now = clock_.now();
  std::lock_guard lock(mu_);
  Verdict v = judge_input(m, now);
  stats_.frames[v]++;
  return v;
}

Verdict Pipeline::input_energy(Entry& e, const InputMeasurement& m, TimeMs t,
                               std::int64_t* energy) {
  auto& st = e.sensor.state;
  const bool has_prev = e.last_t > 0;
  if (!m.energy_wh) {
    // No register: the base integrates power, as for legacy sensors; an estimate.
    st.last_raw_energy_wh = integrate_energy(e.legacy, st.last_raw_energy_wh, st.last_power_w,
                                             e.last_t, m.power, t, e.sensor.max_gap_ms);
    *energy = st.energy_offset_wh + st.last_raw_energy_wh;
    return Verdict::kAccepted;
  }
  const std::int64_t raw = *m.energy_wh;
  if (raw < 0) return reject(&e, Verdict::kOutOfRange, "negative energy register");
  std::int64_t offset = st.energy_offset_wh;
  if (has_prev && raw < st.last_raw_energy_wh) {
    offset = st.energy_offset_wh + st.last_raw_energy_wh - raw;  // same rule as frames
    spdlog::warn("ingest: input sensor {} register went back from {} to {} Wh: counter reset",
                 e.sensor.id, st.last_raw_energy_wh, raw);
  } else if (has_prev) {
    const TimeMs dt = std::max<TimeMs>(t - e.last_t, kMinuteMs);
    const std::int64_t max_gain = options_.max_energy_rate_w * dt / kHourMs + 2;
    if (raw - st.last_raw_energy_wh > max_gain)
      return reject(&e, Verdict::kOutOfRange, "energy register grew faster than possible");
  }
  st.energy_offset_wh = offset;
  st.last_raw_energy_wh = raw;
  *energy = offset + raw;
  return Verdict::kAccepted;
}

Verdict Pipeline::judge_input(const InputMeasurement& m, TimeMs now) {
  auto it = entries_.find(m.sensor);
  if (it == entries_.end()) return reject(nullptr, Verdict::kUnknownSensor, "no such sensor");
  Entry& e = it->second;
  if (!store::is_input_kind(e.sensor.kind))
    return reject(&e, Verdict::kWrongVersion, "a measurement for a radio sensor");
  if (std::abs(static_cast<std::int64_t>(m.power)) > options_.max_power_w)
    return reject(&e, Verdict::kOutOfRange, "power beyond the plausible range");
  TimeMs t = m.t;
  if (t == 0) {
    t = std::max(now, e.last_t + 1);  // stamped on receipt, kept ordered as frames are
  } else if (t > now + kMaxFutureMs) {
    return reject(&e, Verdict::kOutOfRange, "time in the future");
  } else if (t <= e.last_t) {
    return reject(&e, Verdict::kReplayed, "time not after the last accepted measurement");
  }
  if (!store_keeping_up())
    return reject(&e, Verdict::kStoreFailed, "store is not keeping up: too many pending samples");
  auto& st = e.sensor.state;
  std::int64_t energy = 0;
  if (Verdict v = input_energy(e, m, t, &energy); v != Verdict::kAccepted) return v;
  const std::uint32_t seq = st.has_counter ? st.last_counter + 1 : 1;  // the base's own sequence
  st.has_counter = true;
  st.last_counter = seq;
  st.last_seen = t;
  st.last_power_w = m.power;
  st.voltage_dv = m.voltage_dv;
  st.flags = static_cast<std::uint8_t>((m.apparent ? protocol::kFlagApparentOnly : 0) |
                                       (m.energy_wh ? 0 : kInputFlagEstimated));
  st.frames[Verdict::kAccepted]++;
  e.pending.push_back(Sample{t, seq, m.power, energy});
  e.received.push_back(now);
  e.last_t = t;
  e.dirty = true;
  return Verdict::kAccepted;
}

}  // namespace cw::ingest
