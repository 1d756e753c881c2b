// Opening a serial line (a USB CDC/FTDI radio gateway) in raw mode: 8 data bits, no parity,
// 1 stop bit, no flow control, no line editing, the given baud rate.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace cw::ingest {

// Owns a file descriptor; closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

// Character framing: 8N1 for radio gateways; 7E1 for a meter's TIC port.
enum class SerialFraming { k8N1, k7E1 };

// Opens path non-blocking and exclusive (TIOCEXCL: a second reader would steal bytes), and sets
// raw mode with the framing at baud. Errors name the path and the reason (missing, permission,
// not a tty).
Result<UniqueFd> open_serial_port(const std::string& path, std::uint32_t baud,
                                  SerialFraming framing = SerialFraming::k8N1);

// "1200 7E1", read back from the line's settings (what the kernel really applied).
std::string describe_line(int fd);

}  // namespace cw::ingest
