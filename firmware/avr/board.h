// Pins of the reference board (docs/hardware.md): an Arduino Uno or Nano (ATmega328P, 16 MHz).
//
//   A0  PC0  current: the clamp's burden on the bias divider (a jack switch grounds it unplugged)
//   A1  PC1  voltage: the AC-AC adapter's divider on the bias divider (optional)
//   D9  PB1  nRF24L01+ CE        D10 PB2  nRF24L01+ CSN
//   D11 PB3  MOSI   D12 PB4  MISO   D13 PB5  SCK
//   D6  PD6  green LED (sent)    D7  PD7  red LED (error, provisioning)
#pragma once

#include <avr/io.h>

namespace cw {
namespace avr {

constexpr uint8_t kAdcCurrent = 0;
constexpr uint8_t kAdcVoltage = 1;
constexpr uint8_t kAdcBandgap = 0x0E;  // the 1.1 V reference, to measure the supply

constexpr uint8_t kCePin = PB1;
constexpr uint8_t kCsnPin = PB2;
constexpr uint8_t kLedGreen = PD6;
constexpr uint8_t kLedRed = PD7;

}  // namespace avr
}  // namespace cw
