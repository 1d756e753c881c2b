// Radio frame v2: the wire format between a sensor and its base. Specified in docs/protocol.md;
// this header is the one definition both ends compile (base, simulator and AVR firmware).
//
//   offset size  field (integers little-endian)
//   0      1     version (high nibble, = 2) | frame type (low nibble)
//   1      2     sensor id
//   3      4     frame counter, strictly increasing per sensor over its whole life
//   -- bytes 0..6 are the header: sent in clear, authenticated as associated data --
//   7      n     payload, encrypted (AES-128-CCM)
//   7+n    8     CCM authentication tag (M = 8)
//
// Measurement payload (type 1), n = 13, frame = 28 bytes:
//   power W int32 | energy register Wh uint32 | Vrms 0.1 V uint16 (0 = not measured) |
//   supply mV uint16 | flags uint8
// Hello payload (type 2), n = 7, frame = 22 bytes, sent after boot:
//   firmware version uint16 | calibration id uint16 | measurement period s uint16 | flags uint8
//
// CCM nonce (13 bytes, L = 2): sensor id (2) | counter (4) | byte 0 of the header | 6 zero bytes.
// Per-sensor keys and a never-repeating counter make every (key, nonce) pair unique.
//
// Portable: no heap, no exceptions, no OS. Builds for AVR.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace cw {
namespace protocol {

constexpr size_t kMaxFrame = 32;  // nRF24L01+ payload
constexpr size_t kHeaderSize = 7;
constexpr size_t kTagSize = 8;
constexpr size_t kNonceSize = 13;
constexpr size_t kKeySize = 16;
constexpr uint8_t kVersion2 = 2;
constexpr size_t kMeasurementPayload = 13;
constexpr size_t kHelloPayload = 7;
constexpr size_t kMeasurementFrame = kHeaderSize + kMeasurementPayload + kTagSize;  // 28
constexpr size_t kHelloFrame = kHeaderSize + kHelloPayload + kTagSize;              // 22

enum class FrameType : uint8_t { kMeasurement = 1, kHello = 2 };

// Measurement flags.
constexpr uint8_t kFlagReboot = 0x01;        // first measurement since the sensor booted
constexpr uint8_t kFlagClampMissing = 0x02;  // no current clamp detected
constexpr uint8_t kFlagApparentOnly = 0x04;  // no voltage channel: power is VA, not W
constexpr uint8_t kFlagLowBattery = 0x08;

struct Header {
  uint8_t version;
  FrameType type;
  uint16_t sensor_id;
  uint32_t counter;
};

struct Measurement {
  int32_t power_w;
  uint32_t energy_wh;
  uint16_t voltage_dv;
  uint16_t supply_mv;
  uint8_t flags;
};

struct Hello {
  uint16_t firmware_version;
  uint16_t calibration_id;
  uint16_t period_s;
  uint8_t flags;
};

// The AEAD seam: the host plugs in OpenSSL's AES-128-CCM (protocol/host/openssl_aead.h), the
// firmware its own. Both operate in place on `data`.
struct Aead {
  // Encrypts data[0..len) and writes the 8-byte tag. Returns false on internal failure.
  bool (*seal)(const uint8_t key[kKeySize], const uint8_t nonce[kNonceSize], const uint8_t* ad,
               size_t ad_len, uint8_t* data, size_t len, uint8_t tag[kTagSize]);
  // Verifies the tag and decrypts data[0..len). Returns false when the tag does not verify;
  // then data holds no plaintext.
  bool (*open)(const uint8_t key[kKeySize], const uint8_t nonce[kNonceSize], const uint8_t* ad,
               size_t ad_len, uint8_t* data, size_t len, const uint8_t tag[kTagSize]);
};

enum class FrameError : uint8_t {
  kOk = 0,
  kTooShort,      // shorter than its type requires (truncated)
  kTooLong,       // longer than its type allows
  kWrongVersion,  // not version 2
  kUnknownType,
  kBadTag,  // authentication failed: forged, corrupted, or the wrong key
  kSealFailed,
};

const char* frame_error_name(FrameError e);

// Reads the clear header; checks version, type and exact length for the type.
FrameError parse_header(const uint8_t* frame, size_t len, Header* out);

// Builds a sealed frame into out (kMaxFrame bytes). Returns its length, 0 on failure.
size_t seal_measurement(uint16_t sensor_id, uint32_t counter, const Measurement& m,
                        const uint8_t key[kKeySize], const Aead& aead, uint8_t out[kMaxFrame]);
size_t seal_hello(uint16_t sensor_id, uint32_t counter, const Hello& h, const uint8_t key[kKeySize],
                  const Aead& aead, uint8_t out[kMaxFrame]);

// Authenticates and decodes a frame whose header parse_header accepted.
FrameError open_measurement(const uint8_t* frame, size_t len, const uint8_t key[kKeySize],
                            const Aead& aead, Measurement* out);
FrameError open_hello(const uint8_t* frame, size_t len, const uint8_t key[kKeySize],
                      const Aead& aead, Hello* out);

}  // namespace protocol
}  // namespace cw
