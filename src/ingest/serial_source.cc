#include "ingest/serial_source.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace cw::ingest {

namespace {
constexpr TimeMs kMinBackoffMs = 100;
constexpr TimeMs kMaxBackoffMs = 5 * kSecondMs;
}  // namespace

SerialSource::SerialSource(SerialOptions options, Pipeline& pipeline)
    : options_(std::move(options)), pipeline_(pipeline) {}

SerialSource::~SerialSource() {
  stop();
}

std::string SerialSource::describe() const {
  return "serial:" + options_.device + "?baud=" + std::to_string(options_.baud);
}

Status SerialSource::start() {
  if (thread_.joinable()) return Status::ok();
  auto fd = open_serial_port(options_.device, options_.baud);
  if (!fd) return fd.status();
  UniqueFd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake.valid())
    return Status(Code::kResourceExhausted,
                  std::string("serial: eventfd: ") + std::strerror(errno));
  fd_ = std::move(*fd);
  wake_ = std::move(wake);
  decoder_ = GatewayDecoder{};
  opens_++;
  connected_ = true;
  thread_ = std::thread([this] { loop(); });
  spdlog::info("ingest: reading radio gateway frames from {}", describe());
  return Status::ok();
}

void SerialSource::stop() {
  if (thread_.joinable()) {
    std::uint64_t one = 1;
    (void)!write(wake_.get(), &one, sizeof one);
    thread_.join();
  }
  fd_.reset();
  wake_.reset();
  connected_ = false;
}

SerialSourceCounters SerialSource::counters() const {
  SerialSourceCounters c;
  c.bytes = bytes_;
  c.frames = frames_;
  for (std::size_t i = 0; i < c.errors.size(); ++i) c.errors[i] = errors_[i];
  c.opens = opens_;
  c.losses = losses_;
  c.connected = connected_;
  return c;
}

bool SerialSource::wait_for_stop(TimeMs ms) {
  pollfd p{wake_.get(), POLLIN, 0};
  for (;;) {
    int n = poll(&p, 1, static_cast<int>(ms));
    if (n < 0 && errno == EINTR) continue;  // a signal; the backoff merely restarts
    return n != 0;
  }
}

void SerialSource::loop() {
  TimeMs backoff = kMinBackoffMs;
  for (;;) {
    if (!fd_.valid()) {
      if (wait_for_stop(backoff)) return;
      auto fd = open_serial_port(options_.device, options_.baud);
      if (!fd) {
        log_.warn("serial-open:" + options_.device,
                  fd.status().message() + "; retrying every " +
                      std::to_string(std::min(2 * backoff, kMaxBackoffMs)) + " ms at most");
        backoff = std::min(2 * backoff, kMaxBackoffMs);
        continue;
      }
      fd_ = std::move(*fd);
      decoder_ = GatewayDecoder{};  // bytes of a frame cut by the loss must not join the next
      backoff = kMinBackoffMs;
      opens_++;
      connected_ = true;
      spdlog::info("ingest: radio gateway {} is back", options_.device);
    }
    pollfd fds[2] = {{fd_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    int n = poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      spdlog::error("ingest: serial {}: poll: {}", options_.device, std::strerror(errno));
      return;
    }
    if (fds[1].revents & POLLIN) return;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
      read_available((fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0);
  }
}

void SerialSource::read_available(bool hangup) {
  std::uint8_t buf[512];
  for (;;) {
    ssize_t got = read(fd_.get(), buf, sizeof buf);
    if (got > 0) {
      feed(buf, static_cast<std::size_t>(got));
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && errno == EAGAIN && !hangup) return;
    // 0 bytes after poll() said readable is end of file (hang-up); EIO is how a tty reports a
    // vanished USB device or a closed pty master.
    lose_device(got == 0 || errno == EAGAIN ? "hang-up" : std::strerror(errno));
    return;
  }
}

void SerialSource::feed(const std::uint8_t* data, std::size_t n) {
  bytes_ += n;
  for (std::size_t i = 0; i < n; ++i) {
    switch (decoder_.push(data[i])) {
      case GatewayDecoder::Event::kNone:
        break;
      case GatewayDecoder::Event::kFrame:
        frames_++;
        pipeline_.submit(std::span<const std::uint8_t>(decoder_.frame(), decoder_.frame_size()));
        break;
      case GatewayDecoder::Event::kError: {
        auto kind = static_cast<std::size_t>(decoder_.error());
        std::uint64_t total = ++errors_[kind];
        log_.warn(std::string("serial-framing:") + gateway_error_name(decoder_.error()),
                  "ingest: serial " + options_.device + ": framing error " +
                      gateway_error_name(decoder_.error()) + " (" + std::to_string(total) +
                      " of this kind so far)");
        break;
      }
    }
  }
}

void SerialSource::lose_device(const std::string& why) {
  fd_.reset();
  losses_++;
  connected_ = false;
  spdlog::warn("ingest: radio gateway {} lost ({}); reopening with backoff", options_.device, why);
}

}  // namespace cw::ingest
