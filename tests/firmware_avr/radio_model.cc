#include "radio_model.h"

#include "protocol/nrf24_regs.h"

namespace cw::firmware::testing {

using namespace protocol::nrf24;

RadioModel::RadioModel() {
  regs_[kConfig] = 0x08;  // reset values (9.1)
  regs_[kEnAa] = 0x3F;
  regs_[kEnRxAddr] = 0x03;
  regs_[kSetupAw] = 0x03;
  regs_[kSetupRetr] = 0x03;
  regs_[kRfCh] = 0x02;
  regs_[kRfSetup] = 0x0E;
}

std::uint8_t RadioModel::status() const {
  return static_cast<std::uint8_t>(flags_ | (kRxPNoEmpty << kRxPNoShift) |
                                   (tx_fifo_.empty() ? 0 : 0));
}

void RadioModel::csn(bool high) {
  if (!high) {
    index_ = 0;
    building_.clear();
    return;
  }
  if (index_ > 0 && cmd_ == kWTxPayload) tx_fifo_ = building_;
  if (index_ > 1 && (cmd_ & 0xE0) == kWRegister && (cmd_ & kRegisterMask) == kTxAddr)
    for (int i = 0; i < 5 && i < static_cast<int>(building_.size()); ++i)
      tx_addr_[4 - i] = building_[i];  // sent LSB first
  index_ = -1;
}

std::uint8_t RadioModel::transfer(std::uint8_t mosi) {
  if (index_ < 0) return 0xFF;  // not selected: MISO floats high
  int i = index_++;
  if (i == 0) {
    cmd_ = mosi;
    if (cmd_ == kFlushTx) tx_fifo_.clear();
    return status();
  }
  std::uint8_t r = cmd_ & kRegisterMask;
  if ((cmd_ & 0xE0) == kRRegister) {
    if (r == kStatus) return status();
    if (r == kTxAddr) return tx_addr_[4 - (i - 1) % 5];
    return regs_[r];
  }
  if ((cmd_ & 0xE0) == kWRegister) {
    building_.push_back(mosi);
    if (r == kStatus)
      flags_ &= static_cast<std::uint8_t>(~(mosi & (kRxDr | kTxDs | kMaxRt)));
    else if (i == 1 && r != kTxAddr && r != kRxAddrP0 && r != kRxAddrP1)
      regs_[r] = mosi;
    return 0;
  }
  if (cmd_ == kWTxPayload) building_.push_back(mosi);
  return 0;
}

void RadioModel::ce(bool high, double now_s) {
  bool rising = high && !ce_;
  ce_ = high;
  if (!rising || !(regs_[kConfig] & kPwrUp) || (regs_[kConfig] & kPrimRx) || tx_fifo_.empty())
    return;
  bool acked = lose_ == 0;
  if (!acked) --lose_;
  if (acked) ++acked_;
  sent_.push_back({regs_[kRfCh], regs_[kRfSetup], regs_[kConfig], regs_[kFeature], regs_[kDynpd],
                   regs_[kEnAa], tx_addr_, tx_fifo_, now_s, acked});
  // Unacknowledged, the payload stays in the TX FIFO (the firmware flushes it).
  if (acked) tx_fifo_.clear();
  flags_ |= acked ? kTxDs : kMaxRt;
}

std::vector<SentPacket> RadioModel::received() const {
  std::vector<SentPacket> out;
  for (const auto& p : sent_)
    if (p.acked) out.push_back(p);
  return out;
}

}  // namespace cw::firmware::testing
