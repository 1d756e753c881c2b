#include "radio.h"

#include <avr/io.h>
#include <util/delay.h>

#include "board.h"
#include "protocol/nrf24_regs.h"

namespace cw {
namespace avr {

namespace {

using namespace protocol::nrf24;

constexpr uint8_t kRetries = 0x35;     // SETUP_RETR: 1000 us between tries (250 kbps), 5 tries
constexpr uint16_t kTxTimeoutMs = 40;  // 6 tries x (1 ms + 2 ms on air) with margin

void csn(bool high) {
  if (high)
    PORTB |= _BV(kCsnPin);
  else
    PORTB &= static_cast<uint8_t>(~_BV(kCsnPin));
}

void ce(bool high) {
  if (high)
    PORTB |= _BV(kCePin);
  else
    PORTB &= static_cast<uint8_t>(~_BV(kCePin));
}

uint8_t spi(uint8_t b) {
  SPDR = b;
  while (!(SPSR & _BV(SPIF))) {
  }
  return SPDR;
}

}  // namespace

uint8_t Radio::command(uint8_t cmd, const uint8_t* in, uint8_t* out, uint8_t len) {
  csn(false);
  uint8_t status = spi(cmd);
  for (uint8_t i = 0; i < len; ++i) {
    uint8_t r = spi(in ? in[i] : kNop);
    if (out) out[i] = r;
  }
  csn(true);
  return status;
}

void Radio::write_reg(uint8_t reg, uint8_t value) {
  command(kWRegister | reg, &value, nullptr, 1);
}

void Radio::write_reg(uint8_t reg, const uint8_t* data, uint8_t len) {
  command(kWRegister | reg, data, nullptr, len);
}

uint8_t Radio::read_reg(uint8_t reg) {
  uint8_t v = 0;
  command(kRRegister | reg, nullptr, &v, 1);
  return v;
}

bool Radio::configure(const uint8_t address_msb_first[5]) {
  PRR &= static_cast<uint8_t>(~_BV(PRSPI));
  DDRB |= _BV(kCePin) | _BV(kCsnPin) | _BV(PB3) | _BV(PB5);  // CE, CSN (= SS), MOSI, SCK
  csn(true);
  ce(false);
  SPCR = _BV(SPE) | _BV(MSTR) | _BV(SPR0);  // mode 0, MSB first, 16 MHz / 16
  _delay_ms(5);
  uint8_t addr[5];
  for (uint8_t i = 0; i < 5; ++i) addr[i] = address_msb_first[4 - i];  // sent LSB first
  config_ = kEnCrc | kCrco | kMaskRxDr;  // PTX, powered down; TX_DS and MAX_RT polled
  write_reg(kConfig, config_);
  write_reg(kSetupAw, kAddressWidth5);
  write_reg(kRfCh, kChannel);
  write_reg(kRfSetup, kRfSetup250k);
  write_reg(kSetupRetr, kRetries);
  write_reg(kEnAa, 0x01);  // the acknowledgement comes back on pipe 0
  write_reg(kEnRxAddr, 0x01);
  write_reg(kTxAddr, addr, 5);
  write_reg(kRxAddrP0, addr, 5);
  write_reg(kFeature, kEnDpl);
  if (read_reg(kFeature) != kEnDpl) {  // an nRF24L01 (non-plus) hides FEATURE until ACTIVATE
    uint8_t key = kActivateKey;
    command(kActivate, &key, nullptr, 1);
    write_reg(kFeature, kEnDpl);
  }
  write_reg(kDynpd, 0x01);  // DPL_P0
  write_reg(kStatus, kRxDr | kTxDs | kMaxRt);
  command(kFlushTx, nullptr, nullptr, 0);
  return read_reg(kRfCh) == kChannel && read_reg(kRfSetup) == kRfSetup250k &&
         read_reg(kConfig) == config_ && read_reg(kFeature) == kEnDpl;
}

bool Radio::send(const uint8_t* payload, uint8_t len) {
  if (len == 0 || len > kMaxPayload) return false;
  write_reg(kConfig, config_ | kPwrUp);
  _delay_us(1500);  // Tpd2stby
  command(kFlushTx, nullptr, nullptr, 0);
  write_reg(kStatus, kRxDr | kTxDs | kMaxRt);
  command(kWTxPayload, payload, nullptr, len);
  ce(true);
  _delay_us(15);  // a pulse over 10 us starts one transmission
  ce(false);
  uint8_t status = 0;
  for (uint16_t ms = 0; ms < kTxTimeoutMs; ++ms) {
    status = command(kNop, nullptr, nullptr, 0);
    if (status & (kTxDs | kMaxRt)) break;
    _delay_ms(1);
  }
  write_reg(kStatus, kRxDr | kTxDs | kMaxRt);
  if (!(status & kTxDs)) command(kFlushTx, nullptr, nullptr, 0);
  power_down();
  return status & kTxDs;
}

void Radio::power_down() {
  write_reg(kConfig, config_);
}

}  // namespace avr
}  // namespace cw
