#include "simulate/udp_sender.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace cw::simulate {

Result<UdpTarget> parse_udp_target(const std::string& uri) {
  constexpr std::string_view kScheme = "udp://";
  std::string_view s = uri;
  if (!s.starts_with(kScheme)) return invalid_argument("target must be udp://HOST:PORT: " + uri);
  s.remove_prefix(kScheme.size());
  std::size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return invalid_argument("target needs HOST:PORT: " + uri);
  }
  UdpTarget t;
  std::string_view host = s.substr(0, colon), port = s.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return invalid_argument("bad IPv6 host: " + uri);
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return invalid_argument("IPv6 hosts go in brackets: " + uri);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    return invalid_argument("bad port in target: " + uri);
  }
  t.host = std::string(host);
  t.port = static_cast<std::uint16_t>(value);
  return t;
}

Result<UdpSender> UdpSender::open(const UdpTarget& target) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  std::string port = std::to_string(target.port);
  int rc = getaddrinfo(target.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    return Status(Code::kUnavailable, "cannot resolve '" + target.host + "': " + gai_strerror(rc));
  }
  std::string why = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      why = std::strerror(errno);
      continue;
    }
    // connect() fixes the peer, so send() can report a refusal (ICMP port unreachable).
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
      freeaddrinfo(found);
      return UdpSender(fd);
    }
    why = std::strerror(errno);
    ::close(fd);
  }
  freeaddrinfo(found);
  return Status(Code::kUnavailable, "cannot open UDP to " + target.host + ":" + port + ": " + why);
}

UdpSender::UdpSender(UdpSender&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}

UdpSender& UdpSender::operator=(UdpSender&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

UdpSender::~UdpSender() {
  if (fd_ >= 0) ::close(fd_);
}

Status UdpSender::send(const std::uint8_t* data, std::size_t len) {
  ssize_t n;
  do {
    n = ::send(fd_, data, len, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Status(Code::kUnavailable, std::string("UDP send: ") + std::strerror(errno));
  if (std::size_t(n) != len) return internal_error("UDP send: short datagram");
  return Status::ok();
}

}  // namespace cw::simulate
