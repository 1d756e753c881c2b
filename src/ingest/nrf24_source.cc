#include "ingest/nrf24_source.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ingest/gpio_linux.h"
#include "ingest/spi_linux.h"

namespace cw::ingest {

namespace {
constexpr TimeMs kCheckEveryMs = 5 * kSecondMs;  // chip-reset detection period
constexpr TimeMs kRetryEveryMs = 1 * kSecondMs;  // after an SPI error
}  // namespace

Result<Nrf24Hardware> open_linux_nrf24_hardware(const Nrf24Options& options) {
  auto spi = open_linux_spi(options.spi_device, options.spi_hz);
  if (!spi) return spi.status();
  auto ce = open_linux_gpio_output(options.gpio_chip, options.ce_line, "citizenwatt-nrf24-ce");
  if (!ce) return ce.status();
  return Nrf24Hardware{std::move(*spi), std::move(*ce)};
}

Nrf24Source::Nrf24Source(Nrf24Options options, Pipeline& pipeline, Nrf24Opener open)
    : options_(std::move(options)), pipeline_(pipeline), open_(std::move(open)) {}

Nrf24Source::~Nrf24Source() {
  stop();
}

std::string Nrf24Source::describe() const {
  char ch[8];
  std::snprintf(ch, sizeof ch, "0x%02x", options_.channel);
  return "nrf24:" + options_.spi_device + " (CE " + options_.gpio_chip + ":" +
         std::to_string(options_.ce_line) + ", channel " + ch + ")";
}

Status Nrf24Source::start() {
  if (thread_.joinable()) return Status::ok();
  auto hw = open_(options_);
  if (!hw) return hw.status();
  UniqueFd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake.valid())
    return Status(Code::kResourceExhausted, std::string("nrf24: eventfd: ") + std::strerror(errno));
  auto radio = std::make_unique<Nrf24Radio>(*hw->spi, *hw->ce, options_);
  Status s = radio->configure();
  if (!s.is_ok()) {
    (void)radio->power_down();
    return s;
  }
  hw_ = std::move(*hw);
  radio_ = std::move(radio);
  wake_ = std::move(wake);
  healthy_ = true;
  thread_ = std::thread([this] { loop(); });
  spdlog::info("ingest: receiving radio frames on {}", describe());
  return Status::ok();
}

void Nrf24Source::stop() {
  if (thread_.joinable()) {
    std::uint64_t one = 1;
    (void)!write(wake_.get(), &one, sizeof one);
    thread_.join();
  }
  if (radio_) (void)radio_->power_down();  // best effort: the radio may be what failed
  radio_.reset();
  hw_ = {};
  wake_.reset();
}

Nrf24SourceCounters Nrf24Source::counters() const {
  return {payloads_, bad_widths_, reconfigures_, spi_errors_};
}

bool Nrf24Source::wait_for_stop(TimeMs ms) {
  pollfd p{wake_.get(), POLLIN, 0};
  for (;;) {
    int n = poll(&p, 1, static_cast<int>(ms));
    if (n < 0 && errno == EINTR) continue;
    return n != 0;
  }
}

void Nrf24Source::loop() {
  TimeMs next_check = clock_.now() + kCheckEveryMs;
  while (!wait_for_stop(healthy_ ? options_.poll_ms : kRetryEveryMs))
    poll_once(clock_.now(), &next_check);
}

void Nrf24Source::poll_once(TimeMs now, TimeMs* next_check) {
  auto fail = [&](const Status& s) {
    spi_errors_++;
    healthy_ = false;
    log_.warn("nrf24-spi", "ingest: " + s.message() + "; reconfiguring the radio");
  };
  if (!healthy_ || now >= *next_check) {
    *next_check = now + kCheckEveryMs;
    auto ok = radio_->still_configured();
    if (!ok) return fail(ok.status());
    if (!healthy_ || !*ok) {
      if (*ok == false)
        log_.warn("nrf24-reset",
                  "ingest: the nRF24L01+ lost its configuration "
                  "(supply glitch?); reconfiguring");
      Status s = radio_->configure();
      if (!s.is_ok()) return fail(s);
      reconfigures_++;
      healthy_ = true;
    }
  }
  const std::uint64_t bad_before = radio_->counters().bad_widths;
  auto n = radio_->drain([&](std::span<const std::uint8_t> payload) {
    payloads_++;
    pipeline_.submit(payload);
  });
  if (radio_->counters().bad_widths != bad_before) {
    bad_widths_ += radio_->counters().bad_widths - bad_before;
    log_.warn("nrf24-width", "ingest: nRF24L01+ reported a corrupt payload width; RX FIFO flushed");
  }
  if (!n) fail(n.status());
}

}  // namespace cw::ingest
