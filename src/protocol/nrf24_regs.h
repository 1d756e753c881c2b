// nRF24L01+ command set and register map (Nordic nRF24L01+ Product Specification v1.0, sections
// 8.3.1 and 9), and the radio settings the sensor and the base share (docs/protocol.md, "Radio
// inputs"). One header for the base's driver, its test emulator and the sensor firmware, so all
// read the same datasheet.
//
// Portable: no heap, no exceptions, no OS. Builds for AVR.
#pragma once

#include <stdint.h>

namespace cw {
namespace protocol {
namespace nrf24 {

// SPI commands (8.3.1). Every command shifts STATUS out on MISO during its first byte.
constexpr uint8_t kRRegister = 0x00;  // | 5-bit register address
constexpr uint8_t kWRegister = 0x20;  // | 5-bit register address; standby/power-down only
constexpr uint8_t kRegisterMask = 0x1F;
constexpr uint8_t kRRxPayload = 0x61;
constexpr uint8_t kWTxPayload = 0xA0;
constexpr uint8_t kFlushTx = 0xE1;
constexpr uint8_t kFlushRx = 0xE2;
constexpr uint8_t kReuseTxPl = 0xE3;
constexpr uint8_t kActivate = 0x50;  // nRF24L01 (non-plus): followed by kActivateKey
constexpr uint8_t kActivateKey = 0x73;
constexpr uint8_t kRRxPlWid = 0x60;
constexpr uint8_t kWAckPayload = 0xA8;  // | pipe
constexpr uint8_t kWTxPayloadNoAck = 0xB0;
constexpr uint8_t kNop = 0xFF;

// Registers (9).
constexpr uint8_t kConfig = 0x00;
constexpr uint8_t kEnAa = 0x01;
constexpr uint8_t kEnRxAddr = 0x02;
constexpr uint8_t kSetupAw = 0x03;
constexpr uint8_t kSetupRetr = 0x04;
constexpr uint8_t kRfCh = 0x05;
constexpr uint8_t kRfSetup = 0x06;
constexpr uint8_t kStatus = 0x07;
constexpr uint8_t kObserveTx = 0x08;
constexpr uint8_t kRpd = 0x09;
constexpr uint8_t kRxAddrP0 = 0x0A;  // P0, P1: 5 bytes, LSB first; P2..P5: 1 byte
constexpr uint8_t kRxAddrP1 = 0x0B;
constexpr uint8_t kTxAddr = 0x10;
constexpr uint8_t kRxPwP0 = 0x11;  // .. 0x16 for P5
constexpr uint8_t kFifoStatus = 0x17;
constexpr uint8_t kDynpd = 0x1C;
constexpr uint8_t kFeature = 0x1D;

// CONFIG bits.
constexpr uint8_t kMaskRxDr = 0x40;
constexpr uint8_t kMaskTxDs = 0x20;
constexpr uint8_t kMaskMaxRt = 0x10;
constexpr uint8_t kEnCrc = 0x08;
constexpr uint8_t kCrco = 0x04;  // CRC encoding scheme: 1 = 2 bytes
constexpr uint8_t kPwrUp = 0x02;
constexpr uint8_t kPrimRx = 0x01;

// RF_SETUP bits.
constexpr uint8_t kRfDrLow = 0x20;   // 250 kbps (with RF_DR_HIGH = 0)
constexpr uint8_t kRfDrHigh = 0x08;  // 2 Mbps; neither bit: 1 Mbps
constexpr uint8_t kRfPwr0dBm = 0x06;

// STATUS bits.
constexpr uint8_t kRxDr = 0x40;
constexpr uint8_t kTxDs = 0x20;
constexpr uint8_t kMaxRt = 0x10;
constexpr uint8_t kRxPNoShift = 1;
constexpr uint8_t kRxPNoMask = 0x0E;
constexpr uint8_t kRxPNoEmpty = 7;  // RX_P_NO value meaning "RX FIFO empty"
constexpr uint8_t kStatusTxFull = 0x01;

// FIFO_STATUS bits.
constexpr uint8_t kTxReuse = 0x40;
constexpr uint8_t kFifoTxFull = 0x20;
constexpr uint8_t kTxEmpty = 0x10;
constexpr uint8_t kRxFull = 0x02;
constexpr uint8_t kRxEmpty = 0x01;

// FEATURE bits.
constexpr uint8_t kEnDpl = 0x04;
constexpr uint8_t kEnAckPay = 0x02;
constexpr uint8_t kEnDynAck = 0x01;

constexpr uint8_t kMaxPayload = 32;

// The CitizenWatt network (both ends).
constexpr uint8_t kChannel = 0x4c;                       // 2476 MHz
constexpr uint8_t kRfSetup250k = kRfDrLow | kRfPwr0dBm;  // 0x26: 250 kbps, 0 dBm
constexpr uint8_t kAddressWidth5 = 0x03;                 // SETUP_AW
// Default pipe address, most significant byte first (the 2014 network's 0xE056D446D0).
constexpr uint8_t kDefaultAddress[5] = {0xE0, 0x56, 0xD4, 0x46, 0xD0};

}  // namespace nrf24
}  // namespace protocol
}  // namespace cw
