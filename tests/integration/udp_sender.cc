#include "udp_sender.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "protocol/host/openssl_aead.h"

namespace cw::testing {

UdpSender::UdpSender(std::uint16_t port, SensorId id, const store::Key128& key)
    : fd_(socket(AF_INET, SOCK_DGRAM, 0)), port_(port), id_(id), key_(key) {}

UdpSender::~UdpSender() { close(fd_); }

void UdpSender::send(std::int32_t power_w, std::uint32_t energy_step_wh) {
  ++counter_;
  energy_ += energy_step_wh;
  sent_[counter_] = energy_;
  std::uint8_t buf[protocol::kMaxFrame];
  protocol::Measurement m{power_w, energy_, 2310, 3300, 0};
  auto n = protocol::seal_measurement(id_, counter_, m, key_.data(), protocol::openssl_aead(), buf);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port_);
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  sendto(fd_, buf, n, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
}

store::Key128 parse_key(const std::string& hex) {
  store::Key128 k{};
  for (std::size_t i = 0; i < k.size() && 2 * i + 1 < hex.size(); ++i)
    k[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return k;
}

}  // namespace cw::testing
