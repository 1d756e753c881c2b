// Receives radio frames from a USB serial radio gateway (a microcontroller with the radio, which
// forwards every payload it receives, framed as in gateway_framing.h) and hands each frame to
// the pipeline.
//
// One thread: poll() on the tty and on an eventfd, so stop() is prompt. If the device goes away
// (unplugged, gateway reset), the loss is logged and the source reopens the same path with
// exponential backoff (100 ms doubling to 5 s) until it is back or the source is stopped.
// Framing errors (line noise, a gateway reset mid-frame) are counted per kind and logged at
// most once per 10 s. Counters may be read from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <thread>

#include "ingest/gateway_framing.h"
#include "ingest/log_limiter.h"
#include "ingest/pipeline.h"
#include "ingest/serial_port.h"
#include "ingest/source.h"
#include "ingest/source_uri.h"

namespace cw::ingest {

struct SerialSourceCounters {
  std::uint64_t bytes = 0;
  std::uint64_t frames = 0;                                   // passed to the pipeline
  std::array<std::uint64_t, kGatewayErrorKinds> errors = {};  // indexed by GatewayError
  std::uint64_t opens = 0;   // successful opens, the first included
  std::uint64_t losses = 0;  // times the device went away
  bool connected = false;
  std::uint64_t framing_errors() const {
    std::uint64_t n = 0;
    for (auto e : errors) n += e;
    return n;
  }
};

class SerialSource final : public Source {
 public:
  SerialSource(SerialOptions options, Pipeline& pipeline);
  ~SerialSource();
  SerialSource(const SerialSource&) = delete;
  SerialSource& operator=(const SerialSource&) = delete;

  // Opens the device now: a wrong path or baud is reported here rather than retried forever.
  Status start() override;
  void stop() override;
  std::string describe() const override;
  SerialSourceCounters counters() const;

 private:
  void loop();
  bool wait_for_stop(TimeMs ms);     // true if stop() was asked within ms
  void read_available(bool hangup);  // drains the tty; closes it if the device is gone
  void feed(const std::uint8_t* data, std::size_t n);
  void lose_device(const std::string& why);

  const SerialOptions options_;
  Pipeline& pipeline_;
  SystemClock clock_;
  LogLimiter log_{clock_};
  UniqueFd fd_;    // owned by the thread once started
  UniqueFd wake_;  // eventfd that interrupts poll() on stop
  GatewayDecoder decoder_;
  std::thread thread_;

  std::atomic<std::uint64_t> bytes_{0}, frames_{0}, opens_{0}, losses_{0};
  std::array<std::atomic<std::uint64_t>, kGatewayErrorKinds> errors_{};
  std::atomic<bool> connected_{false};
};

}  // namespace cw::ingest
