#include "uart_bridge.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace cw::firmware::testing {

namespace {
constexpr double kByteS = 100e-6;  // a byte on a 115200 baud 8N1 line takes 87 us
constexpr double kSliceS = 0.001;  // simulated time between two looks at the pty
}  // namespace

UartBridge::UartBridge(AvrSensor& sensor) : sensor_(sensor) {
  master_ = posix_openpt(O_RDWR | O_NOCTTY);
  if (master_ < 0 || grantpt(master_) != 0 || unlockpt(master_) != 0)
    throw std::runtime_error("no pseudo-terminal");
  path_ = ptsname(master_);
  // Held open so the master never sees a hang-up between the host's open and close.
  slave_ = open(path_.c_str(), O_RDWR | O_NOCTTY);
  termios t{};
  tcgetattr(slave_, &t);
  cfmakeraw(&t);
  tcsetattr(slave_, TCSANOW, &t);
  fcntl(master_, F_SETFL, O_NONBLOCK);
}

UartBridge::~UartBridge() {
  close(slave_);
  close(master_);
}

void UartBridge::from_host() {
  char buf[256];
  ssize_t n;
  while ((n = read(master_, buf, sizeof buf)) > 0) to_avr_.insert(to_avr_.end(), buf, buf + n);
}

void UartBridge::to_host() {
  std::string& out = sensor_.uart_received();
  while (!out.empty()) {
    ssize_t w = write(master_, out.data(), out.size());
    if (w > 0) {
      out.erase(0, static_cast<std::size_t>(w));
      continue;
    }
    pollfd p{master_, POLLOUT, 0};
    poll(&p, 1, 10);
  }
}

bool UartBridge::pump(const std::function<bool()>& done, double speed,
                      std::chrono::milliseconds max_real) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  double sim_start = sensor_.now_s();
  while (!done()) {
    auto real = Clock::now() - start;
    if (real > max_real) return false;
    from_host();
    to_host();
    double allowed = sim_start + speed * std::chrono::duration<double>(real).count();
    if (sensor_.now_s() >= allowed) {
      std::this_thread::sleep_for(std::chrono::microseconds(500));
      continue;
    }
    double until = sensor_.now_s() + kSliceS;
    sensor_.run_until(
        [&] {
          double now = sensor_.now_s();
          if (!to_avr_.empty() && now >= next_byte_s_) {
            sensor_.uart_send(std::string(1, to_avr_.front()));
            to_avr_.pop_front();
            next_byte_s_ = now + kByteS;
          }
          return now >= until || sensor_.uart_received().find('\n') != std::string::npos;
        },
        kSliceS * 2);
  }
  to_host();
  return true;
}

}  // namespace cw::firmware::testing
