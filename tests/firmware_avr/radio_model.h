// The sensor's nRF24L01+ as the firmware sees it over SPI, register-level (Product
// Specification v1.0): W/R_REGISTER, W_TX_PAYLOAD, FLUSH_TX, NOP, STATUS flags cleared by
// writing ones. A rising CE with PWR_UP set, PRIM_RX clear and a payload in the TX FIFO "sends"
// it: the packet is recorded with the radio settings it went out with, and TX_DS is raised
// (the base acknowledged it), or, while the base is made deaf (lose_next), MAX_RT (every
// retry went unanswered).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace cw::firmware::testing {

struct SentPacket {
  std::uint8_t channel;
  std::uint8_t rf_setup;
  std::uint8_t config;
  std::uint8_t feature, dynpd, en_aa;
  std::array<std::uint8_t, 5> address;  // most significant byte first
  std::vector<std::uint8_t> payload;
  double at_s;  // simulated time
  bool acked;   // the base received it (false: lost on the air, MAX_RT)
};

class RadioModel {
 public:
  RadioModel();
  // One SPI byte while CSN is low; returns the byte shifted back.
  std::uint8_t transfer(std::uint8_t mosi);
  void csn(bool high);
  void ce(bool high, double now_s);

  // The next n transmissions go unacknowledged: lost on the air.
  void lose_next(int n) { lose_ = n; }

  // Every transmission, acknowledged or not.
  const std::vector<SentPacket>& sent() const { return sent_; }
  // The acknowledged ones: what the base received.
  std::vector<SentPacket> received() const;
  std::size_t received_count() const { return acked_; }
  std::uint8_t reg(std::uint8_t r) const { return regs_[r]; }

 private:
  std::uint8_t status() const;
  std::array<std::uint8_t, 0x20> regs_{};
  std::array<std::uint8_t, 5> tx_addr_{};
  std::vector<std::uint8_t> tx_fifo_;
  std::vector<std::uint8_t> building_;
  std::uint8_t cmd_ = 0;
  int index_ = -1;  // byte index within the command; -1 = CSN high
  bool ce_ = false;
  std::uint8_t flags_ = 0;  // TX_DS | MAX_RT | RX_DR
  std::vector<SentPacket> sent_;
  int lose_ = 0;
  std::size_t acked_ = 0;
};

}  // namespace cw::firmware::testing
