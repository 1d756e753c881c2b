#include "app/provision_link.h"

#include <openssl/crypto.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "protocol/provision_line.h"

namespace cw::app {

namespace {

namespace pv = protocol::provision;
using Clock = std::chrono::steady_clock;

constexpr int kAttempts = 3;  // per command, when a line arrives damaged in either direction
// HELLOs before giving up on a silent sensor: opening the port resets an Arduino (DTR), whose
// bootloader eats what arrives in its first second.
constexpr int kHelloAttempts = 3;

}  // namespace

ProvisionLink::~ProvisionLink() {
  OPENSSL_cleanse(buf_.data(), buf_.size());
}

Status ProvisionLink::write_all(const char* data, std::size_t n) {
  auto deadline = Clock::now() + timeout_;
  while (n > 0) {
    ssize_t w = ::write(fd_.get(), data, n);
    if (w > 0) {
      data += w;
      n -= static_cast<std::size_t>(w);
      continue;
    }
    if (w < 0 && errno != EAGAIN && errno != EINTR)
      return Status(Code::kUnavailable, "cannot write to " + port_ + ": " + std::strerror(errno));
    if (Clock::now() > deadline)
      return Status(Code::kUnavailable, "cannot write to " + port_ + ": the line is blocked");
    pollfd p{fd_.get(), POLLOUT, 0};
    ::poll(&p, 1, 50);
  }
  return Status::ok();
}

Result<std::string> ProvisionLink::read_line(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto nl = buf_.find('\n'); nl != std::string::npos) {
      std::string line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      if (!line.empty() && line != "\r") return line;
      continue;
    }
    // A reply longer than any the protocol allows is noise: drop it, keep waiting for a line.
    if (buf_.size() > 4 * pv::kMaxReplyLine) buf_.clear();
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd_.get(), POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno != EINTR)
      return Status(Code::kUnavailable, "cannot read " + port_ + ": " + std::strerror(errno));
    if (r <= 0) continue;
    char chunk[256];
    ssize_t n = ::read(fd_.get(), chunk, sizeof chunk);
    if (n > 0)
      buf_.append(chunk, static_cast<std::size_t>(n));
    else if (n < 0 && errno != EAGAIN && errno != EINTR)
      return Status(Code::kUnavailable, "cannot read " + port_ + ": " + std::strerror(errno));
    else if (p.revents & POLLHUP)
      return Status(Code::kUnavailable, "the sensor on " + port_ + " went away");
  }
  timed_out_ = true;
  return Status(Code::kUnavailable, "no answer from a sensor on " + port_ + " within " +
                                        std::to_string(timeout.count()) +
                                        " ms (is it plugged in, powered, in provisioning mode?)");
}

Result<std::string> ProvisionLink::exchange(const std::string& body, const std::string& label,
                                            const std::string& expect,
                                            std::chrono::milliseconds timeout) {
  timeout = std::max(timeout, timeout_);
  timed_out_ = false;
  std::string out(pv::kMaxCommandLine + 1, '\0');
  pv::LineWriter w(out.data(), out.size());
  std::size_t n = w.str(body.c_str()).finish();
  int damaged = 0;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Status sent = n ? write_all(out.data(), n) : internal_error(label + " does not fit a line");
    if (!sent) {
      OPENSSL_cleanse(out.data(), out.size());
      return sent;
    }
    auto line = read_line(timeout);
    if (!line) {
      OPENSSL_cleanse(out.data(), out.size());
      return line.status();
    }
    std::size_t len = 0;
    bool intact = pv::check_line(line->data(), line->size(), &len) == pv::LineCheck::kOk;
    std::string reply = intact ? line->substr(0, len) : "";
    // ERR 1: the sensor received our line damaged. Either way, sending again is safe: every
    // command is idempotent.
    if (!intact || reply.rfind("ERR 1 ", 0) == 0) {
      ++damaged;
      continue;
    }
    OPENSSL_cleanse(out.data(), out.size());
    if (reply.rfind("ERR ", 0) == 0)
      return internal_error("the sensor refused " + label + ": " + reply);
    if (reply.rfind(expect, 0) != 0)
      return internal_error("unexpected answer to " + label + ": \"" + reply + "\"");
    return reply;
  }
  OPENSSL_cleanse(out.data(), out.size());
  return Status(Code::kUnavailable,
                "the serial line to " + port_ + " is unreliable: " + std::to_string(damaged) +
                    " damaged lines in " + std::to_string(kAttempts) + " attempts of " + label);
}

Result<std::unique_ptr<ProvisionLink>> open_provision_link(const std::string& port,
                                                           double timeout_s) {
  auto fd = ingest::open_serial_port(port, 115200);
  if (!fd) return fd.status();
  auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(timeout_s * 1000));
  return std::make_unique<ProvisionLink>(std::move(*fd), port, timeout);
}

Status greet(ProvisionLink& link) {
  Result<std::string> reply = Status(Code::kUnavailable, "no attempt");
  for (int attempt = 0; attempt < kHelloAttempts; ++attempt) {
    CW_RETURN_IF_ERROR(link.write_all("\n", 1));  // ends whatever partial line the sensor holds
    reply = link.exchange("HELLO", "HELLO", "OK HELLO ");
    if (reply || !link.timed_out()) break;
  }
  if (!reply) return reply.status();
  std::uint8_t proto = 0;
  std::uint16_t fw = 0;
  if (!pv::parse_hello(reply->data(), reply->size(), &proto, &fw))
    return internal_error("malformed HELLO from the sensor: \"" + *reply + "\"");
  if (proto != pv::kProtocolVersion)
    return internal_error("the sensor speaks provisioning protocol " + std::to_string(proto) +
                          "; this base speaks " + std::to_string(pv::kProtocolVersion));
  return Status::ok();
}

Result<pv::Info> read_info(ProvisionLink& link) {
  auto reply = link.exchange("INFO", "INFO", "OK INFO ");
  if (!reply) return reply.status();
  pv::Info info;
  if (!pv::parse_info(reply->data(), reply->size(), &info))
    return internal_error("malformed INFO from the sensor: \"" + *reply + "\"");
  return info;
}

}  // namespace cw::app
