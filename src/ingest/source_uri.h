// Source URIs name where frames come from: `udp://HOST:PORT` today; `serial:` and `nrf24:` come
// with the radio gateway work. Parsed once, at the edge, into typed values.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace cw::ingest {

struct UdpEndpoint {
  std::string host;  // numeric IPv4/IPv6 address or "localhost"
  std::uint16_t port = 0;
};

struct SourceUri {
  enum class Kind { kUdp } kind = Kind::kUdp;
  UdpEndpoint udp;
  std::string text;  // as given, for logs
};

Result<SourceUri> parse_source_uri(const std::string& text);
// "HOST:PORT" or "[v6]:PORT"
Result<UdpEndpoint> parse_host_port(const std::string& text);

}  // namespace cw::ingest
