// nRF24L01+ command set and register map (Nordic nRF24L01+ Product Specification v1.0, sections
// 8.3.1 and 9). Shared by the driver and the test emulator so both read the same datasheet.
#pragma once

#include <cstdint>

namespace cw::ingest::nrf24 {

// SPI commands (8.3.1). Every command shifts STATUS out on MISO during its first byte.
inline constexpr std::uint8_t kRRegister = 0x00;  // | 5-bit register address
inline constexpr std::uint8_t kWRegister =
    0x20;  // | 5-bit register address; standby/power-down only
inline constexpr std::uint8_t kRegisterMask = 0x1F;
inline constexpr std::uint8_t kRRxPayload = 0x61;
inline constexpr std::uint8_t kWTxPayload = 0xA0;
inline constexpr std::uint8_t kFlushTx = 0xE1;
inline constexpr std::uint8_t kFlushRx = 0xE2;
inline constexpr std::uint8_t kReuseTxPl = 0xE3;
inline constexpr std::uint8_t kActivate = 0x50;  // nRF24L01 (non-plus): followed by kActivateKey
inline constexpr std::uint8_t kActivateKey = 0x73;
inline constexpr std::uint8_t kRRxPlWid = 0x60;
inline constexpr std::uint8_t kWAckPayload = 0xA8;  // | pipe
inline constexpr std::uint8_t kWTxPayloadNoAck = 0xB0;
inline constexpr std::uint8_t kNop = 0xFF;

// Registers (9).
inline constexpr std::uint8_t kConfig = 0x00;
inline constexpr std::uint8_t kEnAa = 0x01;
inline constexpr std::uint8_t kEnRxAddr = 0x02;
inline constexpr std::uint8_t kSetupAw = 0x03;
inline constexpr std::uint8_t kSetupRetr = 0x04;
inline constexpr std::uint8_t kRfCh = 0x05;
inline constexpr std::uint8_t kRfSetup = 0x06;
inline constexpr std::uint8_t kStatus = 0x07;
inline constexpr std::uint8_t kObserveTx = 0x08;
inline constexpr std::uint8_t kRpd = 0x09;
inline constexpr std::uint8_t kRxAddrP0 = 0x0A;  // P0, P1: 5 bytes, LSB first; P2..P5: 1 byte
inline constexpr std::uint8_t kRxAddrP1 = 0x0B;
inline constexpr std::uint8_t kTxAddr = 0x10;
inline constexpr std::uint8_t kRxPwP0 = 0x11;  // .. 0x16 for P5
inline constexpr std::uint8_t kFifoStatus = 0x17;
inline constexpr std::uint8_t kDynpd = 0x1C;
inline constexpr std::uint8_t kFeature = 0x1D;

// CONFIG bits.
inline constexpr std::uint8_t kMaskRxDr = 0x40;
inline constexpr std::uint8_t kMaskTxDs = 0x20;
inline constexpr std::uint8_t kMaskMaxRt = 0x10;
inline constexpr std::uint8_t kEnCrc = 0x08;
inline constexpr std::uint8_t kCrco = 0x04;  // CRC encoding scheme: 1 = 2 bytes
inline constexpr std::uint8_t kPwrUp = 0x02;
inline constexpr std::uint8_t kPrimRx = 0x01;

// RF_SETUP bits.
inline constexpr std::uint8_t kRfDrLow = 0x20;   // 250 kbps (with RF_DR_HIGH = 0)
inline constexpr std::uint8_t kRfDrHigh = 0x08;  // 2 Mbps; neither bit: 1 Mbps
inline constexpr std::uint8_t kRfPwr0dBm = 0x06;

// STATUS bits.
inline constexpr std::uint8_t kRxDr = 0x40;
inline constexpr std::uint8_t kTxDs = 0x20;
inline constexpr std::uint8_t kMaxRt = 0x10;
inline constexpr std::uint8_t kRxPNoShift = 1;
inline constexpr std::uint8_t kRxPNoMask = 0x0E;
inline constexpr std::uint8_t kRxPNoEmpty = 7;  // RX_P_NO value meaning "RX FIFO empty"
inline constexpr std::uint8_t kStatusTxFull = 0x01;

// FIFO_STATUS bits.
inline constexpr std::uint8_t kTxReuse = 0x40;
inline constexpr std::uint8_t kFifoTxFull = 0x20;
inline constexpr std::uint8_t kTxEmpty = 0x10;
inline constexpr std::uint8_t kRxFull = 0x02;
inline constexpr std::uint8_t kRxEmpty = 0x01;

// FEATURE bits.
inline constexpr std::uint8_t kEnDpl = 0x04;
inline constexpr std::uint8_t kEnAckPay = 0x02;
inline constexpr std::uint8_t kEnDynAck = 0x01;

inline constexpr std::uint8_t kMaxPayload = 32;

}  // namespace cw::ingest::nrf24
