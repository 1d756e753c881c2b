#include "nrf24_emulator.h"

#include <algorithm>

namespace cw::ingest::testing {

using namespace nrf24;

void Nrf24Emulator::power_on_reset() {
  std::lock_guard lock(mu_);
  regs_.fill(0);
  regs_[kConfig] = 0x08;
  regs_[kEnAa] = 0x3F;
  regs_[kEnRxAddr] = 0x03;
  regs_[kSetupAw] = 0x03;
  regs_[kSetupRetr] = 0x03;
  regs_[kRfCh] = 0x02;
  regs_[kRfSetup] = 0x0E;
  regs_[0x0C] = 0xC3;  // RX_ADDR_P2..P5: least significant byte only
  regs_[0x0D] = 0xC4;
  regs_[0x0E] = 0xC5;
  regs_[0x0F] = 0xC6;
  addr_p01_[0].fill(0xE7);
  addr_p01_[1].fill(0xC2);
  tx_addr_.fill(0xE7);
  status_flags_ = 0;
  rx_fifo_.clear();
  tx_fifo_.clear();
  activated_ = false;
}

void Nrf24Emulator::set_needs_activate(bool v) {
  std::lock_guard lock(mu_);
  needs_activate_ = v;
}

void Nrf24Emulator::set_ce(bool high) {
  std::lock_guard lock(mu_);
  ce_ = high;
}

bool Nrf24Emulator::ce() const {
  std::lock_guard lock(mu_);
  return ce_;
}

std::uint8_t Nrf24Emulator::reg(std::uint8_t r) const {
  std::lock_guard lock(mu_);
  auto v = read_register(r);
  return v.empty() ? 0 : v[0];
}

std::array<std::uint8_t, 5> Nrf24Emulator::rx_addr_p1() const {
  std::lock_guard lock(mu_);
  return addr_p01_[1];
}

std::size_t Nrf24Emulator::rx_fifo_size() const {
  std::lock_guard lock(mu_);
  return rx_fifo_.size();
}

int Nrf24Emulator::refused_writes() const {
  std::lock_guard lock(mu_);
  return refused_writes_;
}

int Nrf24Emulator::flush_rx_count() const {
  std::lock_guard lock(mu_);
  return flush_rx_;
}

std::uint8_t Nrf24Emulator::status() const {
  std::uint8_t pipe = rx_fifo_.empty() ? kRxPNoEmpty : rx_fifo_.front().pipe;
  return static_cast<std::uint8_t>(status_flags_ | (pipe << kRxPNoShift) |
                                   (tx_fifo_.size() == 3 ? kStatusTxFull : 0));
}

std::uint8_t Nrf24Emulator::fifo_status() const {
  std::uint8_t v = 0;
  if (tx_fifo_.size() == 3) v |= kFifoTxFull;
  if (tx_fifo_.empty()) v |= kTxEmpty;
  if (rx_fifo_.size() == 3) v |= kRxFull;
  if (rx_fifo_.empty()) v |= kRxEmpty;
  return v;
}

std::vector<std::uint8_t> Nrf24Emulator::read_register(std::uint8_t r) const {
  const bool hidden = needs_activate_ && !activated_;
  switch (r) {
    case kStatus:
      return {status()};
    case kFifoStatus:
      return {fifo_status()};
    case kRxAddrP0:
    case kRxAddrP1: {
      const auto& a = addr_p01_[r - kRxAddrP0];
      return {a.begin(), a.begin() + addr_width()};
    }
    case kTxAddr:
      return {tx_addr_.begin(), tx_addr_.begin() + addr_width()};
    case kDynpd:
    case kFeature:
      return {hidden ? std::uint8_t{0} : regs_[r]};
    default:
      return {r < 0x18 ? regs_[r] : std::uint8_t{0}};  // 0x18..0x1B are reserved
  }
}

void Nrf24Emulator::write_register(std::uint8_t r, const std::uint8_t* d, std::size_t len) {
  if (len == 0) return;
  // Writable bits of each single-byte register; reserved bits stay 0.
  static constexpr std::uint8_t kMask[0x1E] = {
      0x7F, 0x3F, 0x3F, 0x03, 0xFF, 0x7F, 0xBE, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
      0xFF, 0x00, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3F, 0x07};
  switch (r) {
    case kStatus:
      status_flags_ &= static_cast<std::uint8_t>(~(d[0] & (kRxDr | kTxDs | kMaxRt)));
      return;
    case kRxAddrP0:
    case kRxAddrP1:
    case kTxAddr: {
      auto& a = r == kTxAddr ? tx_addr_ : addr_p01_[r - kRxAddrP0];
      std::copy_n(d, std::min(len, addr_width()), a.begin());
      return;
    }
    case kDynpd:
    case kFeature:
      if (needs_activate_ && !activated_) return;
      break;
    default:
      break;
  }
  if (r < sizeof kMask) regs_[r] = d[0] & kMask[r];
}

Status Nrf24Emulator::transfer(const std::uint8_t* tx, std::uint8_t* rx, std::size_t len) {
  if (len == 0) return invalid_argument("emulator: empty SPI transfer");
  std::lock_guard lock(mu_);
  const std::uint8_t cmd = tx[0];
  const std::uint8_t* in = tx + 1;
  const std::size_t n = len - 1;
  std::fill(rx, rx + len, 0);
  rx[0] = status();  // STATUS is shifted out during every command byte
  auto fill = [&](const std::vector<std::uint8_t>& v) {
    std::copy_n(v.begin(), std::min(n, v.size()), rx + 1);
  };
  if ((cmd & 0xE0) == kRRegister) {
    fill(read_register(cmd & kRegisterMask));
  } else if ((cmd & 0xE0) == kWRegister) {
    const std::uint8_t r = cmd & kRegisterMask;
    // W_REGISTER is executable in power-down or standby only (table 20). Clearing STATUS flags
    // is the exception every receiver relies on (and the datasheet's RX_DR procedure does in
    // RX mode), so it stays allowed.
    const bool active = (regs_[kConfig] & kPwrUp) && ce_;
    if (active && r != kStatus)
      ++refused_writes_;
    else
      write_register(r, in, n);
  } else if (cmd == kRRxPayload) {
    if (!rx_fifo_.empty()) {
      fill(rx_fifo_.front().data);
      rx_fifo_.pop_front();
    }
  } else if (cmd == kRRxPlWid) {
    if (n >= 1 && !rx_fifo_.empty()) rx[1] = rx_fifo_.front().width;
  } else if (cmd == kWTxPayload || cmd == kWTxPayloadNoAck) {
    if (tx_fifo_.size() < 3 && n >= 1 && n <= kMaxPayload) tx_fifo_.emplace_back(in, in + n);
  } else if (cmd == kFlushTx) {
    tx_fifo_.clear();
  } else if (cmd == kFlushRx) {
    rx_fifo_.clear();
    ++flush_rx_;
  } else if (cmd == kActivate) {
    if (n >= 1 && in[0] == kActivateKey && needs_activate_) activated_ = !activated_;
  }
  // NOP, REUSE_TX_PL, W_ACK_PAYLOAD and unknown commands: only STATUS comes back.
  return Status::ok();
}

bool Nrf24Emulator::listening() const {
  return (regs_[kConfig] & kPwrUp) && (regs_[kConfig] & kPrimRx) && ce_;
}

bool Nrf24Emulator::rf_matches(const AirPacket& p) const {
  const std::uint8_t setup = regs_[kRfSetup];
  Nrf24Rate rate = (setup & kRfDrLow)    ? Nrf24Rate::k250Kbps
                   : (setup & kRfDrHigh) ? Nrf24Rate::k2Mbps
                                         : Nrf24Rate::k1Mbps;
  // Auto-acknowledge on any pipe forces the CRC on (register 00, EN_CRC).
  const bool crc_on = (regs_[kConfig] & kEnCrc) || (regs_[kEnAa] & 0x3F);
  const int crc = crc_on ? ((regs_[kConfig] & kCrco) ? 2 : 1) : 0;
  return regs_[kRfCh] == p.channel && rate == p.rate && crc == p.crc_bytes &&
         addr_width() == p.address.size();
}

int Nrf24Emulator::matching_pipe(const AirPacket& p) const {
  std::array<std::uint8_t, 5> lsb_first;
  std::reverse_copy(p.address.begin(), p.address.end(), lsb_first.begin());
  for (int pipe = 0; pipe < 6; ++pipe) {
    if (!(regs_[kEnRxAddr] & (1 << pipe))) continue;
    std::array<std::uint8_t, 5> a = addr_p01_[pipe == 0 ? 0 : 1];
    if (pipe >= 2) a[0] = regs_[kRxAddrP0 + pipe];
    if (a == lsb_first) return pipe;
  }
  return -1;
}

Nrf24Emulator::Injected Nrf24Emulator::inject(const AirPacket& p) {
  std::lock_guard lock(mu_);
  if (!listening()) return Injected::kNotListening;
  if (!rf_matches(p) || p.payload.empty() || p.payload.size() > kMaxPayload)
    return Injected::kMismatch;
  const int pipe = matching_pipe(p);
  if (pipe < 0) return Injected::kMismatch;
  const std::uint8_t bit = static_cast<std::uint8_t>(1 << pipe);
  const bool dpl = (regs_[kFeature] & kEnDpl) && (regs_[kDynpd] & bit) && (regs_[kEnAa] & bit);
  if (dpl != p.dynamic) return Injected::kMismatch;
  std::uint8_t width = static_cast<std::uint8_t>(p.payload.size());
  if (!dpl && regs_[kRxPwP0 + pipe] != width) return Injected::kMismatch;
  if (rx_fifo_.size() == 3) return Injected::kFifoFull;
  push_rx({static_cast<std::uint8_t>(pipe), p.payload, width});
  return Injected::kReceived;
}

void Nrf24Emulator::inject_corrupt_width() {
  std::lock_guard lock(mu_);
  if (rx_fifo_.size() < 3) push_rx({1, std::vector<std::uint8_t>(32, 0xEE), 33});
}

void Nrf24Emulator::push_rx(RxEntry e) {
  rx_fifo_.push_back(std::move(e));
  status_flags_ |= kRxDr;
}

}  // namespace cw::ingest::testing
