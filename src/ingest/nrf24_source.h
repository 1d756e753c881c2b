// Receives radio frames straight from an nRF24L01+ on the base's SPI bus and hands each payload
// to the pipeline.
//
// One thread polls the radio every poll_ms (waiting on an eventfd, so stop() is prompt). Every
// 5 s it checks that the radio still holds its configuration and reconfigures it if a supply
// glitch reset it; SPI errors are logged (rate-limited) and the radio is reconfigured once a
// second until it answers again. Counters may be read from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "ingest/gpio_line.h"
#include "ingest/log_limiter.h"
#include "ingest/nrf24_radio.h"
#include "ingest/pipeline.h"
#include "ingest/serial_port.h"
#include "ingest/source.h"
#include "ingest/spi_bus.h"

namespace cw::ingest {

// The SPI bus and CE line a radio is wired to.
struct Nrf24Hardware {
  std::unique_ptr<SpiBus> spi;
  std::unique_ptr<GpioLine> ce;
};
using Nrf24Opener = std::function<Result<Nrf24Hardware>(const Nrf24Options&)>;

// Opens the Linux spidev and GPIO character device the options name.
Result<Nrf24Hardware> open_linux_nrf24_hardware(const Nrf24Options& options);

struct Nrf24SourceCounters {
  std::uint64_t payloads = 0;
  std::uint64_t bad_widths = 0;
  std::uint64_t reconfigures = 0;  // after a detected chip reset or SPI error
  std::uint64_t spi_errors = 0;
};

class Nrf24Source final : public Source {
 public:
  Nrf24Source(Nrf24Options options, Pipeline& pipeline,
              Nrf24Opener open = open_linux_nrf24_hardware);
  ~Nrf24Source();
  Nrf24Source(const Nrf24Source&) = delete;
  Nrf24Source& operator=(const Nrf24Source&) = delete;

  // Opens the bus and CE line and configures the radio; a missing device or a radio that does
  // not answer is reported here.
  Status start() override;
  void stop() override;
  std::string describe() const override;
  Nrf24SourceCounters counters() const;

 private:
  void loop();
  bool wait_for_stop(TimeMs ms);
  void poll_once(TimeMs now, TimeMs* next_check);

  const Nrf24Options options_;
  Pipeline& pipeline_;
  Nrf24Opener open_;
  SystemClock clock_;
  LogLimiter log_{clock_};
  Nrf24Hardware hw_;
  std::unique_ptr<Nrf24Radio> radio_;  // used by the thread once started
  bool healthy_ = true;                // thread only: false after an SPI error
  UniqueFd wake_;
  std::thread thread_;
  std::atomic<std::uint64_t> payloads_{0}, bad_widths_{0}, reconfigures_{0}, spi_errors_{0};
};

}  // namespace cw::ingest
