#include "ingest/gateway_framing.h"

namespace cw::ingest {

uint16_t crc16_ccitt_false(const uint8_t* data, size_t size) {
  // Bitwise rather than table-driven: 12 lines of flash on a gateway MCU, and fast enough for a
  // serial line.
  uint16_t crc = 0xFFFF;
  for (size_t i = 0; i < size; ++i) {
    crc = static_cast<uint16_t>(crc ^ (static_cast<uint16_t>(data[i]) << 8));
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
  }
  return crc;
}

namespace {

size_t put_escaped(uint8_t byte, uint8_t* out, size_t at) {
  if (byte == kGatewayFlag || byte == kGatewayEscape) {
    out[at++] = kGatewayEscape;
    out[at++] = static_cast<uint8_t>(byte ^ kGatewayEscapeXor);
  } else {
    out[at++] = byte;
  }
  return at;
}

}  // namespace

size_t gateway_encode(const uint8_t* payload, size_t size, uint8_t* out, size_t out_size) {
  if (size == 0 || size > kGatewayMaxPayload) return 0;
  // Check the exact size first so nothing is written on failure.
  size_t need = 2 + size + 2;
  const uint16_t crc = crc16_ccitt_false(payload, size);
  const uint8_t tail[2] = {static_cast<uint8_t>(crc >> 8), static_cast<uint8_t>(crc & 0xFF)};
  for (size_t i = 0; i < size; ++i)
    if (payload[i] == kGatewayFlag || payload[i] == kGatewayEscape) ++need;
  for (uint8_t b : tail)
    if (b == kGatewayFlag || b == kGatewayEscape) ++need;
  if (need > out_size) return 0;
  size_t at = 0;
  out[at++] = kGatewayFlag;
  for (size_t i = 0; i < size; ++i) at = put_escaped(payload[i], out, at);
  for (uint8_t b : tail) at = put_escaped(b, out, at);
  out[at++] = kGatewayFlag;
  return at;
}

const char* gateway_error_name(GatewayError e) {
  switch (e) {
    case GatewayError::kNone:
      return "none";
    case GatewayError::kBadCrc:
      return "bad_crc";
    case GatewayError::kTooShort:
      return "too_short";
    case GatewayError::kTooLong:
      return "too_long";
    case GatewayError::kBadEscape:
      return "bad_escape";
  }
  return "unknown";
}

GatewayDecoder::Event GatewayDecoder::push(uint8_t byte) {
  if (byte == kGatewayFlag) return close_frame();
  if (discarding_) return Event::kNone;
  if (escaped_) {
    escaped_ = false;
    if (byte != (kGatewayFlag ^ kGatewayEscapeXor) && byte != (kGatewayEscape ^ kGatewayEscapeXor))
      return fail(GatewayError::kBadEscape);
    byte = static_cast<uint8_t>(byte ^ kGatewayEscapeXor);
  } else if (byte == kGatewayEscape) {
    escaped_ = true;
    return Event::kNone;
  }
  if (len_ == sizeof buf_) return fail(GatewayError::kTooLong);
  buf_[len_++] = byte;
  return Event::kNone;
}

GatewayDecoder::Event GatewayDecoder::close_frame() {
  const size_t len = len_;
  const bool was_discarding = discarding_;
  const bool dangling_escape = escaped_;
  len_ = 0;
  escaped_ = false;
  discarding_ = false;
  // The error of a discarded frame was already reported; an empty frame is idle fill.
  if (was_discarding || (len == 0 && !dangling_escape)) return Event::kNone;
  // 0x7D 0x7E: the sender aborted the frame (RFC 1662); count it like any broken frame.
  if (dangling_escape) return report(GatewayError::kBadEscape);
  if (len < 3) return report(GatewayError::kTooShort);
  const size_t payload = len - 2;
  const uint16_t got = static_cast<uint16_t>((buf_[payload] << 8) | buf_[payload + 1]);
  if (got != crc16_ccitt_false(buf_, payload)) return report(GatewayError::kBadCrc);
  frame_size_ = payload;
  error_ = GatewayError::kNone;
  return Event::kFrame;
}

GatewayDecoder::Event GatewayDecoder::fail(GatewayError e) {
  discarding_ = true;
  len_ = 0;
  escaped_ = false;
  return report(e);
}

GatewayDecoder::Event GatewayDecoder::report(GatewayError e) {
  error_ = e;
  frame_size_ = 0;
  return Event::kError;
}

}  // namespace cw::ingest
