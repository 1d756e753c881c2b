#include "ingest/nrf24_radio.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "ingest/nrf24_regs.h"

namespace cw::ingest {

using namespace nrf24;

namespace {

std::string hex(std::uint8_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

}  // namespace

Nrf24Radio::Nrf24Radio(SpiBus& spi, GpioLine& ce, const Nrf24Options& options)
    : spi_(spi), ce_(ce), options_(options) {}

std::uint8_t Nrf24Radio::config_value() const {
  return kEnCrc | kCrco | kPwrUp | kPrimRx;
}

std::uint8_t Nrf24Radio::rf_setup_value() const {
  switch (options_.rate) {
    case Nrf24Rate::k250Kbps:
      return kRfDrLow | kRfPwr0dBm;
    case Nrf24Rate::k1Mbps:
      return kRfPwr0dBm;
    case Nrf24Rate::k2Mbps:
      return kRfDrHigh | kRfPwr0dBm;
  }
  return kRfDrLow | kRfPwr0dBm;
}

Status Nrf24Radio::command(std::uint8_t cmd, const std::uint8_t* in, std::uint8_t* out,
                           std::size_t len, std::uint8_t* status) {
  std::uint8_t tx[1 + kMaxPayload] = {cmd};
  std::uint8_t rx[1 + kMaxPayload] = {};
  if (len > kMaxPayload) return internal_error("nrf24: command too long");
  for (std::size_t i = 0; i < len; ++i) tx[1 + i] = in ? in[i] : kNop;
  CW_RETURN_IF_ERROR(spi_.transfer(tx, rx, 1 + len));
  if (out)
    for (std::size_t i = 0; i < len; ++i) out[i] = rx[1 + i];
  if (status) *status = rx[0];
  return Status::ok();
}

Status Nrf24Radio::write_reg(std::uint8_t reg, const std::uint8_t* data, std::size_t len) {
  return command(static_cast<std::uint8_t>(kWRegister | reg), data, nullptr, len);
}

Status Nrf24Radio::write_reg(std::uint8_t reg, std::uint8_t value) {
  return write_reg(reg, &value, 1);
}

Result<std::uint8_t> Nrf24Radio::read_reg(std::uint8_t reg) {
  std::uint8_t v = 0;
  CW_RETURN_IF_ERROR(command(static_cast<std::uint8_t>(kRRegister | reg), nullptr, &v, 1));
  return v;
}

// FEATURE and DYNPD exist on the nRF24L01+ at reset; the older nRF24L01 hides them until
// ACTIVATE 0x73, which the + ignores. Only send ACTIVATE if the write did not stick: sent to a
// non-plus chip that is already activated, it would deactivate the registers again.
Status Nrf24Radio::write_features() {
  const bool dynamic = options_.payload == 0;
  const std::uint8_t feature = dynamic ? kEnDpl : 0;
  CW_RETURN_IF_ERROR(write_reg(kFeature, feature));
  auto got = read_reg(kFeature);
  if (!got) return got.status();
  if (*got != feature) {
    const std::uint8_t key = kActivateKey;
    CW_RETURN_IF_ERROR(command(kActivate, &key, nullptr, 1));
    CW_RETURN_IF_ERROR(write_reg(kFeature, feature));
  }
  CW_RETURN_IF_ERROR(write_reg(kDynpd, dynamic ? 0x02 : 0x00));  // DPL_P1
  // Under DPL the width register is not used, but a zero width marks the pipe unused.
  return write_reg(kRxPwP0 + 1, dynamic ? kMaxPayload : options_.payload);
}

Status Nrf24Radio::configure() {
  // Registers may only be written in power-down or standby (8.3.1): CE low, PWR_UP cleared.
  CW_RETURN_IF_ERROR(ce_.set(false));
  CW_RETURN_IF_ERROR(write_reg(kConfig, kEnCrc | kCrco | kPrimRx));
  CW_RETURN_IF_ERROR(write_reg(kSetupAw, 0x03));  // 5-byte addresses
  CW_RETURN_IF_ERROR(write_reg(kRfCh, options_.channel));
  CW_RETURN_IF_ERROR(write_reg(kRfSetup, rf_setup_value()));
  CW_RETURN_IF_ERROR(write_reg(kEnAa, 0x02));      // auto-acknowledge on pipe 1
  CW_RETURN_IF_ERROR(write_reg(kEnRxAddr, 0x02));  // pipe 1 only
  std::uint8_t addr[5];
  for (int i = 0; i < 5; ++i) addr[i] = options_.address[4 - i];  // LSB first on the wire
  CW_RETURN_IF_ERROR(write_reg(kRxAddrP1, addr, 5));
  CW_RETURN_IF_ERROR(write_features());
  CW_RETURN_IF_ERROR(write_reg(kStatus, kRxDr | kTxDs | kMaxRt));  // clear stale flags
  CW_RETURN_IF_ERROR(command(kFlushRx, nullptr, nullptr, 0));
  CW_RETURN_IF_ERROR(command(kFlushTx, nullptr, nullptr, 0));
  CW_RETURN_IF_ERROR(verify_readback());
  CW_RETURN_IF_ERROR(write_reg(kConfig, config_value()));
  std::this_thread::sleep_for(std::chrono::microseconds(1500));  // Tpd2stby, crystal start-up
  CW_RETURN_IF_ERROR(ce_.set(true));  // standby-I → RX mode; listening 130 µs later
  return Status::ok();
}

Status Nrf24Radio::verify_readback() {
  struct Expect {
    std::uint8_t reg;
    std::uint8_t value;
    const char* name;
  };
  const Expect expect[] = {{kRfCh, options_.channel, "RF_CH"},
                           {kRfSetup, rf_setup_value(), "RF_SETUP"},
                           {kSetupAw, 0x03, "SETUP_AW"},
                           {kEnRxAddr, 0x02, "EN_RXADDR"},
                           {kConfig, kEnCrc | kCrco | kPrimRx, "CONFIG"}};
  for (const auto& e : expect) {
    auto got = read_reg(e.reg);
    if (!got) return got.status();
    if (*got != e.value)
      return Status(Code::kUnavailable, "nrf24: no nRF24L01+ answering on " + options_.spi_device +
                                            " (wrote " + e.name + "=" + hex(e.value) +
                                            ", read back " + hex(*got) +
                                            "): check wiring, CSN/CE pins and the 3.3 V supply");
  }
  return Status::ok();
}

Result<int> Nrf24Radio::drain(const std::function<void(std::span<const std::uint8_t>)>& sink) {
  int delivered = 0;
  // Bounded: the FIFO holds 3; more means frames are arriving while we read, and the next poll
  // gets them.
  for (int i = 0; i < 6; ++i) {
    std::uint8_t status = 0;
    CW_RETURN_IF_ERROR(command(kNop, nullptr, nullptr, 0, &status));
    if (status & 0x80)  // bit 7 is reserved 0: all ones means no chip is driving MISO
      return Status(Code::kUnavailable, "nrf24: STATUS reads " + hex(status) + ": radio gone?");
    if (((status & kRxPNoMask) >> kRxPNoShift) == kRxPNoEmpty) break;
    std::uint8_t width = options_.payload;
    if (width == 0) CW_RETURN_IF_ERROR(command(kRRxPlWid, nullptr, &width, 1));
    if (width == 0 || width > kMaxPayload) {
      // A corrupt width (datasheet 7.3.4: flush the RX FIFO if it reads more than 32).
      counters_.bad_widths++;
      CW_RETURN_IF_ERROR(command(kFlushRx, nullptr, nullptr, 0));
      CW_RETURN_IF_ERROR(write_reg(kStatus, kRxDr));
      break;
    }
    std::uint8_t payload[kMaxPayload];
    CW_RETURN_IF_ERROR(command(kRRxPayload, nullptr, payload, width));
    // Clear RX_DR after reading (the datasheet's order), then look at the FIFO again.
    CW_RETURN_IF_ERROR(write_reg(kStatus, kRxDr));
    counters_.payloads++;
    ++delivered;
    sink(std::span<const std::uint8_t>(payload, width));
  }
  return delivered;
}

Result<bool> Nrf24Radio::still_configured() {
  auto config = read_reg(kConfig);
  if (!config) return config.status();
  auto ch = read_reg(kRfCh);
  if (!ch) return ch.status();
  return *config == config_value() && *ch == options_.channel;
}

Status Nrf24Radio::power_down() {
  CW_RETURN_IF_ERROR(ce_.set(false));
  return write_reg(kConfig, kEnCrc | kCrco | kPrimRx);
}

}  // namespace cw::ingest
