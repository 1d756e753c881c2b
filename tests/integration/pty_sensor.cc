#include "pty_sensor.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>

namespace cw::testing {

namespace pv = protocol::provision;
using namespace std::chrono_literals;

PtySensor::PtySensor(Faults faults, pv::CommandHandler* extra)
    : faults_(std::move(faults)), device_(storage_, 0x0102, extra) {
  master_ = posix_openpt(O_RDWR | O_NOCTTY);
  EXPECT_GE(master_, 0);
  EXPECT_EQ(grantpt(master_), 0);
  EXPECT_EQ(unlockpt(master_), 0);
  path_ = ptsname(master_);
  // Held open so the master never sees a hang-up between the CLI's open and close.
  slave_ = open(path_.c_str(), O_RDWR | O_NOCTTY);
  EXPECT_GE(slave_, 0);
  termios t{};
  tcgetattr(slave_, &t);
  cfmakeraw(&t);
  tcsetattr(slave_, TCSANOW, &t);
  fcntl(master_, F_SETFL, O_NONBLOCK);
  thread_ = std::thread([this] { run(); });
}

PtySensor::~PtySensor() {
  stop_ = true;
  thread_.join();
  close(slave_);
  close(master_);
}

pv::testing::MemoryStorage PtySensor::storage() {
  std::lock_guard lock(mu_);
  return storage_;
}

void PtySensor::configure(const std::function<void(pv::testing::MemoryStorage&)>& fn) {
  std::lock_guard lock(mu_);
  fn(storage_);
}

void PtySensor::run() {
  while (!stop_) {
    pollfd p{master_, POLLIN, 0};
    if (poll(&p, 1, 20) <= 0) continue;
    char buf[64];
    ssize_t n = read(master_, buf, sizeof buf);
    std::lock_guard lock(mu_);
    for (ssize_t i = 0; i < n; ++i) take(static_cast<std::uint8_t>(buf[i]));
  }
}

void PtySensor::take(std::uint8_t byte) {
  if (faults_.silent) return;
  if (byte == '\n') {
    ++lines_;
  } else if (faults_.damage_commands.count(lines_) && !damaged_this_line_) {
    byte ^= 0x04;
    damaged_this_line_ = true;
  }
  if (byte == '\n') damaged_this_line_ = false;
  std::size_t n = device_.receive(byte);
  if (n) send_reply(std::string(device_.reply(), n));
}

void PtySensor::send_reply(std::string line) {
  int index = replies_++;
  if (faults_.damage_every_reply || faults_.damage_replies.count(index)) line[3] ^= 0x01;
  // Two writes with a pause between: the host must reassemble the line.
  std::size_t half = line.size() / 2;
  write_all(line.data(), half);
  std::this_thread::sleep_for(2ms);
  write_all(line.data() + half, line.size() - half);
}

void PtySensor::write_all(const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = write(master_, p, n);
    if (w > 0) {
      p += w;
      n -= static_cast<std::size_t>(w);
    } else {
      pollfd pf{master_, POLLOUT, 0};
      poll(&pf, 1, 20);
    }
  }
}

}  // namespace cw::testing
