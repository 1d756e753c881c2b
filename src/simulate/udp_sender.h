// Sends datagrams to one `udp://HOST:PORT` target. Thread-compatible: one sending thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/status.h"

namespace cw::simulate {

struct UdpTarget {
  std::string host;  // name or numeric address; IPv6 in brackets in the URI
  std::uint16_t port = 0;
};

// Parses "udp://HOST:PORT" (or "udp://[::1]:PORT").
Result<UdpTarget> parse_udp_target(const std::string& uri);

class UdpSender {
 public:
  // Resolves the target and opens a socket.
  static Result<UdpSender> open(const UdpTarget& target);
  UdpSender(UdpSender&& o) noexcept;
  UdpSender& operator=(UdpSender&& o) noexcept;
  ~UdpSender();

  // One datagram. A refused or unreachable target is an error value; the caller counts it.
  Status send(const std::uint8_t* data, std::size_t len);

 private:
  explicit UdpSender(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace cw::simulate
