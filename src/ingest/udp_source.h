// Receives radio frames as UDP datagrams (Wi-Fi sensors, the simulator) and hands each to the
// pipeline. One thread; stops promptly on stop().
#pragma once

#include <atomic>
#include <thread>

#include "ingest/pipeline.h"
#include "ingest/source.h"
#include "ingest/source_uri.h"

namespace cw::ingest {

class UdpSource final : public Source {
 public:
  UdpSource(UdpEndpoint endpoint, Pipeline& pipeline);
  ~UdpSource();
  UdpSource(const UdpSource&) = delete;
  UdpSource& operator=(const UdpSource&) = delete;

  // Binds (port 0 picks a free port) and starts receiving.
  Status start() override;
  void stop() override;
  std::string describe() const override;
  std::uint16_t port() const { return port_; }
  std::uint64_t datagrams() const { return datagrams_.load(); }

 private:
  void loop();

  UdpEndpoint endpoint_;
  Pipeline& pipeline_;
  int fd_ = -1;
  int wake_fd_ = -1;  // eventfd that interrupts poll() on stop
  std::uint16_t port_ = 0;
  std::atomic<std::uint64_t> datagrams_{0};
  std::thread thread_;
};

}  // namespace cw::ingest
