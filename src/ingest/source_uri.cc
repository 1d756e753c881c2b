#include "ingest/source_uri.h"

#include <charconv>

namespace cw::ingest {

Result<UdpEndpoint> parse_host_port(const std::string& text) {
  auto bad = [&] {
    return invalid_argument("expected HOST:PORT (e.g. 127.0.0.1:8080), got '" + text + "'");
  };
  std::string host;
  std::string port;
  if (!text.empty() && text[0] == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return bad();
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return bad();
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5) return bad();
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535) return bad();
  return UdpEndpoint{host, static_cast<std::uint16_t>(value)};
}

Result<SourceUri> parse_source_uri(const std::string& text) {
  const std::string udp = "udp://";
  if (text.rfind(udp, 0) == 0) {
    auto ep = parse_host_port(text.substr(udp.size()));
    if (!ep) return ep.status();
    SourceUri s;
    s.kind = SourceUri::Kind::kUdp;
    s.udp = *ep;
    s.text = text;
    return s;
  }
  return invalid_argument("unknown source '" + text + "' (supported: udp://HOST:PORT)");
}

}  // namespace cw::ingest
