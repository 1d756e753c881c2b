// Runs virtual sensors against a base over UDP, on one thread, paced by a Clock.
//
// Each sensor's frames come from a FrameFeed (a synthetic household or a replayed recording).
// A frame of source time t is sent at wall time  start + (t - t0) / speed,  where t0 is the
// sensor's first reading: speed 60 plays an hour in a minute. A thread that falls behind sends
// as fast as it can and never skips a frame.
//
// Thread-safety: start/stop/wait_done from one controlling thread; the counters from any.
// stop() returns promptly (the sender waits on a condition variable, never a long sleep).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "simulate/recording.h"
#include "simulate/virtual_sensor.h"

namespace cw::simulate {

enum class SourceKind { kHousehold, kReplay };

struct SimSensor {
  std::uint16_t id = 1;
  Key key{};
  SourceKind source = SourceKind::kHousehold;
  std::uint64_t seed = 1;                      // household
  std::string replay_path;                     // replay: a dataset file or folder...
  std::shared_ptr<const Recording> recording;  // ...or a recording already loaded (wins)
  TimeMs period_ms = 0;  // 0: 10 s for the household, every recorded row for a replay
  std::uint32_t first_counter = 1;
  std::uint32_t initial_energy_wh = 0;
};

struct SimulationOptions {
  std::string target = "udp://127.0.0.1:4200";
  std::vector<SimSensor> sensors;
  double speed = 1.0;
  TimeMs start = 0;    // household time of the synthetic first sample; 0 = the clock's now
  ParseOptions parse;  // for replay files
};

inline constexpr TimeMs kDefaultHouseholdPeriodMs = 10 * kSecondMs;

class Simulation {
 public:
  Simulation(SimulationOptions options, const Clock& clock);
  ~Simulation();  // stops
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Validates the options, loads replays, opens the socket and starts sending. Once only.
  Status start();
  // Stops sending; idempotent.
  void stop();
  // Waits until every sensor's source has ended (replays only) or the timeout; true if ended.
  bool wait_done(TimeMs timeout_ms);

  std::uint64_t frames_sent() const { return frames_sent_.load(); }
  std::uint64_t send_errors() const { return send_errors_.load(); }

 private:
  struct Runner;
  Status build_runners();
  void run();
  bool send_due(Runner& r);

  SimulationOptions options_;
  const Clock& clock_;
  std::vector<std::unique_ptr<Runner>> runners_;
  std::unique_ptr<class UdpSender> sender_;
  TimeMs wall0_ = 0;
  bool started_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;   // guarded by mu_
  bool done_ = false;   // the sending thread has finished; guarded by mu_
  bool ended_ = false;  // ... because every source ended; guarded by mu_
  std::atomic<std::uint64_t> frames_sent_{0};
  std::atomic<std::uint64_t> send_errors_{0};
  std::thread thread_;
};

}  // namespace cw::simulate
