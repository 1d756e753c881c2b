#include "ingest/udp_source.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

namespace cw::ingest {

UdpSource::UdpSource(UdpEndpoint endpoint, Pipeline& pipeline)
    : endpoint_(std::move(endpoint)), pipeline_(pipeline) {}

UdpSource::~UdpSource() { stop(); }

Status UdpSource::start() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(endpoint_.port);
  int rc = getaddrinfo(endpoint_.host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0)
    return invalid_argument("udp source: cannot resolve '" + endpoint_.host + "': " +
                            gai_strerror(rc));
  fd_ = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || bind(fd_, res->ai_addr, res->ai_addrlen) != 0) {
    std::string why = std::strerror(errno);
    freeaddrinfo(res);
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    return Status(Code::kUnavailable, "udp source: cannot bind " + endpoint_.host + ":" + port +
                                          ": " + why);
  }
  freeaddrinfo(res);
  int rcvbuf = 1 << 20;  // absorb bursts while the pipeline holds its lock
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  wake_fd_ = eventfd(0, EFD_CLOEXEC);
  thread_ = std::thread([this] { loop(); });
  spdlog::info("ingest: listening for frames on udp://{}:{}", endpoint_.host, port_);
  return Status::ok();
}

std::string UdpSource::describe() const {
  return "udp://" + endpoint_.host + ":" + std::to_string(port_);
}

void UdpSource::stop() {
  if (thread_.joinable()) {
    std::uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
    thread_.join();
  }
  if (fd_ >= 0) close(fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
  fd_ = wake_fd_ = -1;
}

void UdpSource::loop() {
  std::uint8_t buf[512];
  pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  for (;;) {
    int n = poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (fds[1].revents & POLLIN)) return;
    // Drain what is queued before polling again.
    for (;;) {
      ssize_t got = recv(fd_, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC);
      if (got < 0) break;
      datagrams_++;
      std::size_t len = std::min<std::size_t>(static_cast<std::size_t>(got), sizeof buf);
      // An over-long datagram is passed on truncated to 512 bytes: still far too long for a
      // frame, so the pipeline counts it as malformed.
      pipeline_.submit(std::span<const std::uint8_t>(buf, len));
    }
  }
}

}  // namespace cw::ingest
