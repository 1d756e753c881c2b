// Framing of radio frames on the USB serial line between a radio gateway (a microcontroller
// with an nRF24L01+) and the base. Specified in docs/protocol.md, "Radio inputs".
//
//   0x7E | escaped( payload[1..32] | CRC-16/CCITT-FALSE of payload, big-endian ) | 0x7E
//
// HDLC-like byte stuffing (RFC 1662): 0x7E and 0x7D inside the escaped part are sent as
// 0x7D, byte ^ 0x20. A flag never occurs inside a frame, so after any noise, loss or corruption
// the decoder is back in step at the next flag, with no rewinding and no buffering beyond one
// frame. Back-to-back flags (an empty frame) are idle fill, not an error.
//
// Portable: no heap, no exceptions, no OS; a gateway firmware compiles this file as it is.
// A decoder is a small value (about 40 bytes); not thread-safe, one per byte stream.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace cw::ingest {

inline constexpr uint8_t kGatewayFlag = 0x7E;
inline constexpr uint8_t kGatewayEscape = 0x7D;
inline constexpr uint8_t kGatewayEscapeXor = 0x20;
inline constexpr size_t kGatewayMaxPayload = 32;  // one nRF24L01+ payload
// Worst case on the wire: both flags, and every payload and CRC byte escaped.
inline constexpr size_t kGatewayMaxEncoded = 2 + 2 * (kGatewayMaxPayload + 2);

// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor ("123456789" → 0x29B1).
uint16_t crc16_ccitt_false(const uint8_t* data, size_t size);

// Writes the encoding of payload (1..kGatewayMaxPayload bytes) into out (kGatewayMaxEncoded
// bytes suffice) and returns its length, or 0 if the payload size is out of range.
size_t gateway_encode(const uint8_t* payload, size_t size, uint8_t* out, size_t out_size);

enum class GatewayError : uint8_t {
  kNone = 0,
  kBadCrc,     // the checksum does not match: corruption, or noise between frames
  kTooShort,   // fewer than 1 payload byte + 2 CRC bytes between two flags
  kTooLong,    // more than kGatewayMaxPayload + 2 bytes before the closing flag
  kBadEscape,  // 0x7D followed by a byte that is neither 0x5E nor 0x5D
};
inline constexpr int kGatewayErrorKinds = 5;
const char* gateway_error_name(GatewayError e);

class GatewayDecoder {
 public:
  enum class Event : uint8_t { kNone, kFrame, kError };

  // Feeds one byte. On kFrame, frame()/frame_size() hold the payload until the next push();
  // on kError, error() says why the bytes since the previous flag were dropped.
  Event push(uint8_t byte);

  const uint8_t* frame() const { return buf_; }
  size_t frame_size() const { return frame_size_; }
  GatewayError error() const { return error_; }

 private:
  Event close_frame();
  Event fail(GatewayError e);  // report, then drop bytes up to the next flag
  Event report(GatewayError e);

  uint8_t buf_[kGatewayMaxPayload + 2];
  size_t len_ = 0;           // unescaped bytes since the last flag
  size_t frame_size_ = 0;    // payload size of the last decoded frame
  bool escaped_ = false;     // the previous byte was 0x7D
  bool discarding_ = false;  // an error was reported; ignore bytes until the next flag
  GatewayError error_ = GatewayError::kNone;
};

}  // namespace cw::ingest
