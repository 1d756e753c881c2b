// Test support: a virtual sensor that sends sealed v2 frames over UDP to a base.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "store/store.h"

namespace cw::testing {

class UdpSender {
 public:
  UdpSender(std::uint16_t port, SensorId id, const store::Key128& key);
  ~UdpSender();
  // Sends one measurement; the register grows by energy_step_wh.
  void send(std::int32_t power_w, std::uint32_t energy_step_wh = 1);
  std::uint32_t counter() const { return counter_; }
  std::uint32_t energy() const { return energy_; }
  // The register value sent with each counter.
  const std::map<std::uint32_t, std::uint32_t>& sent() const { return sent_; }
  void set_port(std::uint16_t port) { port_ = port; }

 private:
  int fd_ = -1;
  std::uint16_t port_;
  SensorId id_;
  store::Key128 key_;
  std::uint32_t counter_ = 0;
  std::uint32_t energy_ = 1000;
  std::map<std::uint32_t, std::uint32_t> sent_;
};

store::Key128 parse_key(const std::string& hex);

}  // namespace cw::testing
