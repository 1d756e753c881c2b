// Reads a Linky (or older electronic) meter's customer port (TIC) through a USB TIC dongle:
// serial 7E1 at 1200 baud (historique) or 9600 baud (standard), decoded by protocol/tic.h,
// interpreted by tic_reading.h, and handed on as:
//   - a measurement of the meter's sensor (kind tic, bound to its ADCO/ADSC, created on first
//     sight): apparent power (VA) and the total energy register, at most one per interval;
//   - the per-period registers worth keeping (register_recorder.h) and the meter's status
//     (period, tomorrow's colour, subscribed power, overload, phases) in the InputStore.
//
// mode=auto starts at 1200 baud and switches to 9600 (and back) while no frame decodes within a
// few frame times; the mode itself is then the one the groups' separators say. The device is
// reopened with backoff when it goes away, as SerialSource does. Counters are readable from any
// thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "ingest/input_binder.h"
#include "ingest/log_limiter.h"
#include "ingest/register_recorder.h"
#include "ingest/serial_port.h"
#include "ingest/source.h"
#include "protocol/tic.h"

namespace cw::ingest {

struct TicSourceCounters {
  std::uint64_t bytes = 0;
  std::uint64_t frames = 0;        // frames decoded
  std::uint64_t bad_groups = 0;    // groups dropped (checksum, shape)
  std::uint64_t frame_errors = 0;  // frames cut (EOT, overflow, bad bytes)
  std::uint64_t submitted = 0;     // measurements handed to the pipeline
  std::uint64_t baud_switches = 0;
  std::uint64_t opens = 0;
  bool connected = false;
};

class TicSource final : public Source {
 public:
  TicSource(TicOptions options, InputBinder& binder);
  ~TicSource();
  TicSource(const TicSource&) = delete;
  TicSource& operator=(const TicSource&) = delete;

  Status start() override;
  void stop() override;
  std::string describe() const override;
  TicSourceCounters counters() const;
  // The line settings asked for ("1200 7E1"), and as the kernel applied them (a pty keeps the
  // speed but always reports 8N1; a real UART applies both), "" before the first open.
  std::string line() const;
  std::string applied_line() const;
  protocol::tic::Mode mode() const { return mode_; }
  std::uint32_t baud() const { return baud_; }

 private:
  void loop();
  bool open_line();
  void use_line(UniqueFd fd);
  void switch_baud_if_silent(TimeMs now);
  void read_available(bool hangup);
  void on_frame(const protocol::tic::Frame& frame);
  void publish(SensorId sensor, const TicReading& r, TimeMs now);

  const TicOptions options_;
  InputBinder& binder_;
  SystemClock clock_;
  LogLimiter log_{clock_};
  UniqueFd fd_;
  UniqueFd wake_;
  protocol::tic::Decoder decoder_;
  RegisterRecorder recorder_;
  std::thread thread_;
  TimeMs last_sample_ = 0;
  TimeMs last_status_ = 0;
  TimeMs last_good_ = 0;  // last decoded frame, or when the current baud was tried
  std::string last_status_json_;

  mutable std::mutex line_mu_;
  std::string line_;     // guarded by line_mu_
  std::string applied_;  // guarded by line_mu_
  std::atomic<std::uint32_t> baud_{1200};
  std::atomic<protocol::tic::Mode> mode_{protocol::tic::Mode::kUnknown};
  std::atomic<std::uint64_t> bytes_{0}, frames_{0}, bad_groups_{0}, frame_errors_{0}, submitted_{0},
      switches_{0}, opens_{0};
  std::atomic<bool> connected_{false};
};

}  // namespace cw::ingest
