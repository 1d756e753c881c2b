// Frame v2 codec (layout in frame.h and docs/protocol.md).
//
// Portable on purpose: only <stdint.h>, <stddef.h>, <string.h>; no heap, no exceptions, no
// RTTI. Integers are written byte by byte, so the bytes are the same on any host endianness.
#include "protocol/frame.h"

#include <string.h>

namespace cw {
namespace protocol {
namespace {

void put_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}

void put_u32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v >> 16);
  p[3] = static_cast<uint8_t>(v >> 24);
}

uint16_t get_u16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (static_cast<uint16_t>(p[1]) << 8));
}

uint32_t get_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

// Overwrites plaintext through a volatile pointer, so the optimiser cannot drop the stores.
void wipe(uint8_t* p, size_t n) {
  volatile uint8_t* v = p;
  for (size_t i = 0; i < n; ++i) v[i] = 0;
}

size_t frame_size_for(FrameType type) {
  return type == FrameType::kMeasurement ? kMeasurementFrame : kHelloFrame;
}

void make_nonce(const uint8_t header[kHeaderSize], uint8_t nonce[kNonceSize]) {
  memcpy(nonce, header + 1, 6);  // sensor id (2) | counter (4), already little-endian
  nonce[6] = header[0];
  memset(nonce + 7, 0, kNonceSize - 7);
}

void write_header(FrameType type, uint16_t sensor_id, uint32_t counter, uint8_t* out) {
  out[0] = static_cast<uint8_t>((kVersion2 << 4) | static_cast<uint8_t>(type));
  put_u16(out + 1, sensor_id);
  put_u32(out + 3, counter);
}

// Seals out[kHeaderSize .. kHeaderSize+n) in place (plaintext already written there).
size_t seal_frame(const uint8_t key[kKeySize], const Aead& aead, size_t n, uint8_t* out) {
  uint8_t nonce[kNonceSize];
  make_nonce(out, nonce);
  uint8_t* payload = out + kHeaderSize;
  if (!aead.seal(key, nonce, out, kHeaderSize, payload, n, payload + n)) {
    wipe(out, kMaxFrame);
    return 0;
  }
  return kHeaderSize + n + kTagSize;
}

// Checks the header for `want`, then authenticates and decrypts the payload into plain.
// On any failure plain holds zeros.
FrameError open_frame(const uint8_t* frame, size_t len, FrameType want, const uint8_t key[kKeySize],
                      const Aead& aead, uint8_t* plain, size_t n) {
  Header h;
  FrameError e = parse_header(frame, len, &h);
  if (e != FrameError::kOk) return e;
  if (h.type != want) return FrameError::kUnknownType;
  uint8_t nonce[kNonceSize];
  make_nonce(frame, nonce);
  memcpy(plain, frame + kHeaderSize, n);
  if (!aead.open(key, nonce, frame, kHeaderSize, plain, n, frame + kHeaderSize + n)) {
    wipe(plain, n);  // the AEAD promises this too; a decoder never trusts its plug-in
    return FrameError::kBadTag;
  }
  return FrameError::kOk;
}

}  // namespace

const char* frame_error_name(FrameError e) {
  switch (e) {
    case FrameError::kOk:
      return "ok";
    case FrameError::kTooShort:
      return "too_short";
    case FrameError::kTooLong:
      return "too_long";
    case FrameError::kWrongVersion:
      return "wrong_version";
    case FrameError::kUnknownType:
      return "unknown_type";
    case FrameError::kBadTag:
      return "bad_tag";
    case FrameError::kSealFailed:
      return "seal_failed";
  }
  return "unknown";
}

FrameError parse_header(const uint8_t* frame, size_t len, Header* out) {
  if (frame == nullptr || len < 1) return FrameError::kTooShort;
  uint8_t version = frame[0] >> 4;
  uint8_t type = frame[0] & 0x0F;
  if (version != kVersion2) return FrameError::kWrongVersion;
  if (type != static_cast<uint8_t>(FrameType::kMeasurement) &&
      type != static_cast<uint8_t>(FrameType::kHello)) {
    return FrameError::kUnknownType;
  }
  size_t want = frame_size_for(static_cast<FrameType>(type));
  if (len < want) return FrameError::kTooShort;
  if (len > want) return FrameError::kTooLong;
  if (out != nullptr) {
    out->version = version;
    out->type = static_cast<FrameType>(type);
    out->sensor_id = get_u16(frame + 1);
    out->counter = get_u32(frame + 3);
  }
  return FrameError::kOk;
}

size_t seal_measurement(uint16_t sensor_id, uint32_t counter, const Measurement& m,
                        const uint8_t key[kKeySize], const Aead& aead, uint8_t out[kMaxFrame]) {
  write_header(FrameType::kMeasurement, sensor_id, counter, out);
  uint8_t* p = out + kHeaderSize;
  put_u32(p, static_cast<uint32_t>(m.power_w));  // two's complement, as every target stores it
  put_u32(p + 4, m.energy_wh);
  put_u16(p + 8, m.voltage_dv);
  put_u16(p + 10, m.supply_mv);
  p[12] = m.flags;
  return seal_frame(key, aead, kMeasurementPayload, out);
}

size_t seal_hello(uint16_t sensor_id, uint32_t counter, const Hello& h, const uint8_t key[kKeySize],
                  const Aead& aead, uint8_t out[kMaxFrame]) {
  write_header(FrameType::kHello, sensor_id, counter, out);
  uint8_t* p = out + kHeaderSize;
  put_u16(p, h.firmware_version);
  put_u16(p + 2, h.calibration_id);
  put_u16(p + 4, h.period_s);
  p[6] = h.flags;
  return seal_frame(key, aead, kHelloPayload, out);
}

FrameError open_measurement(const uint8_t* frame, size_t len, const uint8_t key[kKeySize],
                            const Aead& aead, Measurement* out) {
  uint8_t p[kMeasurementPayload];
  FrameError e = open_frame(frame, len, FrameType::kMeasurement, key, aead, p, sizeof p);
  if (e != FrameError::kOk) return e;
  uint32_t raw_power = get_u32(p);
  // Two's complement back to signed without implementation-defined conversion.
  out->power_w = raw_power <= 0x7FFFFFFFu ? static_cast<int32_t>(raw_power)
                                          : -static_cast<int32_t>(~raw_power) - 1;
  out->energy_wh = get_u32(p + 4);
  out->voltage_dv = get_u16(p + 8);
  out->supply_mv = get_u16(p + 10);
  out->flags = p[12];
  wipe(p, sizeof p);
  return FrameError::kOk;
}

FrameError open_hello(const uint8_t* frame, size_t len, const uint8_t key[kKeySize],
                      const Aead& aead, Hello* out) {
  uint8_t p[kHelloPayload];
  FrameError e = open_frame(frame, len, FrameType::kHello, key, aead, p, sizeof p);
  if (e != FrameError::kOk) return e;
  out->firmware_version = get_u16(p);
  out->calibration_id = get_u16(p + 2);
  out->period_s = get_u16(p + 4);
  out->flags = p[6];
  wipe(p, sizeof p);
  return FrameError::kOk;
}

}  // namespace protocol
}  // namespace cw
