// The host's end of a sensor's USB serial link, speaking the provisioning line protocol
// (docs/protocol.md, "Provisioning"): one command line out, one checked reply line back, with
// resends when a line is damaged either way. Shared by `citizenwatt sensor provision` and
// `citizenwatt sensor calibrate`.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/status.h"
#include "ingest/serial_port.h"
#include "protocol/provision_info.h"

namespace cw::app {

class ProvisionLink {
 public:
  ProvisionLink(ingest::UniqueFd fd, std::string port, std::chrono::milliseconds timeout)
      : fd_(std::move(fd)), port_(std::move(port)), timeout_(timeout) {}
  ~ProvisionLink();
  ProvisionLink(const ProvisionLink&) = delete;
  ProvisionLink& operator=(const ProvisionLink&) = delete;

  // Sends one command and returns the body of its OK reply (e.g. "OK ID 42"). label names the
  // command in errors instead of the line itself, which may hold the key. The reply must come
  // within the link's timeout, or `timeout` when longer (MEASURE takes a while).
  Result<std::string> exchange(const std::string& body, const std::string& label,
                               const std::string& expect,
                               std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  Status write_all(const char* data, std::size_t n);
  const std::string& port() const { return port_; }
  // True when the last exchange failed because no reply came in time.
  bool timed_out() const { return timed_out_; }

 private:
  Result<std::string> read_line(std::chrono::milliseconds timeout);

  ingest::UniqueFd fd_;
  std::string port_;
  std::chrono::milliseconds timeout_;
  std::string buf_;  // bytes received after the last line
  bool timed_out_ = false;
};

// Opens the sensor's serial port (115200 8N1, exclusive) with a reply timeout in seconds.
Result<std::unique_ptr<ProvisionLink>> open_provision_link(const std::string& port,
                                                           double timeout_s);

// Ends whatever partial line the sensor holds, then HELLO: checks it speaks our protocol.
Status greet(ProvisionLink& link);
// INFO: the sensor's persisted settings.
Result<protocol::provision::Info> read_info(ProvisionLink& link);

}  // namespace cw::app
