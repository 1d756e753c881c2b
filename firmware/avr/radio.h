// The nRF24L01+ as a primary transmitter with the base's settings (protocol/nrf24_regs.h,
// docs/protocol.md "Radio inputs"): channel 0x4c, 250 kbps, 2-byte CRC, auto-acknowledge with
// retries, 5-byte address, dynamic payload length. SPI mode 0 at 1 MHz. Between frames the
// radio is powered down (900 nA).
#pragma once

#include <stdint.h>

namespace cw {
namespace avr {

class Radio {
 public:
  // Writes every register powered down and reads the key ones back: false when no radio
  // answers as written (absent, unpowered, miswired).
  bool configure(const uint8_t address_msb_first[5]);
  // Sends one payload (1..32 bytes) and waits for its acknowledgement. False when the base did
  // not acknowledge it after the retries, or the radio did not answer.
  bool send(const uint8_t* payload, uint8_t len);
  void power_down();

 private:
  uint8_t command(uint8_t cmd, const uint8_t* in, uint8_t* out, uint8_t len);
  void write_reg(uint8_t reg, uint8_t value);
  void write_reg(uint8_t reg, const uint8_t* data, uint8_t len);
  uint8_t read_reg(uint8_t reg);
  uint8_t config_ = 0;
};

}  // namespace avr
}  // namespace cw
