#include "simulate/simulation.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "simulate/frame_feed.h"
#include "simulate/household_model.h"
#include "simulate/replay_source.h"
#include "simulate/udp_sender.h"

namespace cw::simulate {
namespace {

// The longest single wait: bounds how late a frame can be when the clock is not the system
// clock (a ManualClock moved by a test does not wake the condition variable).
constexpr TimeMs kMaxWaitMs = 50;

}  // namespace

struct Simulation::Runner {
  std::unique_ptr<FrameFeed> feed;
  TimedFrame frame;
  bool has_frame = false;
  TimeMs deadline = 0;  // wall time of `frame`
};

Simulation::Simulation(SimulationOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

Simulation::~Simulation() {
  stop();
}

Status Simulation::build_runners() {
  std::set<std::uint16_t> ids;
  for (const SimSensor& s : options_.sensors) {
    if (!ids.insert(s.id).second)
      return invalid_argument("sensor id repeated: " + std::to_string(s.id));
    VirtualSensorConfig vc;
    vc.id = s.id;
    vc.key = s.key;
    vc.first_counter = s.first_counter;
    vc.initial_energy_wh = s.initial_energy_wh;
    std::unique_ptr<PowerSource> source;
    TimeMs period = s.period_ms;
    if (s.source == SourceKind::kHousehold) {
      if (period <= 0) period = kDefaultHouseholdPeriodMs;
      HouseholdOptions ho;
      ho.seed = s.seed;
      ho.start = options_.start != 0 ? options_.start : clock_.now();
      ho.step_ms = std::min<TimeMs>(kSecondMs, period);
      source = std::make_unique<HouseholdModel>(ho);
    } else {
      std::shared_ptr<const Recording> rec = s.recording;
      if (!rec) {
        auto loaded = load_recording(s.replay_path, options_.parse);
        if (!loaded) return loaded.status();
        rec = std::make_shared<const Recording>(std::move(*loaded));
      }
      if (rec->samples.empty()) return invalid_argument("recording has no readings");
      vc.max_gap_ms = 3 * rec->nominal_step_ms;  // longer: the logger was down, energy unknown
      source = std::make_unique<ReplaySource>(rec);
    }
    vc.period_s = static_cast<std::uint16_t>(std::clamp<TimeMs>(
        (period > 0 ? period : source->nominal_step_ms()) / kSecondMs, 1, 65535));
    auto r = std::make_unique<Runner>();
    r->feed = std::make_unique<FrameFeed>(vc, std::move(source), period);
    runners_.push_back(std::move(r));
  }
  return Status::ok();
}

Status Simulation::start() {
  // Once only: a restart would send the same counters again, which the base refuses as replays
  // and which would reuse CCM nonces under the same key.
  if (started_) return Status(Code::kAlreadyExists, "a simulation starts once");
  if (!(options_.speed > 0) || !std::isfinite(options_.speed)) {
    return invalid_argument("speed must be a positive number");
  }
  if (options_.sensors.empty()) return invalid_argument("no sensors to simulate");
  auto target = parse_udp_target(options_.target);
  if (!target) return target.status();
  auto sender = UdpSender::open(*target);
  if (!sender) return sender.status();
  sender_ = std::make_unique<UdpSender>(std::move(*sender));
  runners_.clear();
  CW_RETURN_IF_ERROR(build_runners());
  wall0_ = clock_.now();
  for (auto& r : runners_) {
    r->has_frame = r->feed->next(&r->frame);
    r->deadline = wall0_;
  }
  {
    std::lock_guard lock(mu_);
    stop_ = false;
    done_ = false;
    ended_ = false;
  }
  started_ = true;
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void Simulation::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Simulation::wait_done(TimeMs timeout_ms) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return done_; });
  return ended_;
}

// Sends r's frame and fetches its next; false when r has nothing more to send.
bool Simulation::send_due(Runner& r) {
  Status st = sender_->send(r.frame.bytes, r.frame.len);
  if (st) {
    frames_sent_.fetch_add(1);
  } else if (send_errors_.fetch_add(1) % 1000 == 0) {
    spdlog::warn("simulate: sensor {}: {}", r.feed->sensor().id(), st.message());
  }
  r.has_frame = r.feed->next(&r.frame);
  TimeMs since = r.frame.t - r.feed->start_time();
  r.deadline = wall0_ + TimeMs(std::llround(double(since) / options_.speed));
  return r.has_frame;
}

void Simulation::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    Runner* due = nullptr;
    for (auto& r : runners_) {
      if (r->has_frame && (due == nullptr || r->deadline < due->deadline)) due = r.get();
    }
    if (due == nullptr) {  // every source has ended
      ended_ = true;
      break;
    }
    TimeMs wait = due->deadline - clock_.now();
    if (wait > 0) {
      cv_.wait_for(lock, std::chrono::milliseconds(std::min(wait, kMaxWaitMs)));
      continue;
    }
    lock.unlock();
    send_due(*due);
    lock.lock();
  }
  done_ = true;
  lock.unlock();
  cv_.notify_all();
}

}  // namespace cw::simulate
