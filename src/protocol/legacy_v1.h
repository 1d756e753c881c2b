// Legacy CitizenWatt v1 frames: what the 2014 sensors send (CitizenWatt-sensor sensor.ino, decoded
// by CitizenWatt-Base process.py). Specified in docs/protocol.md, "Legacy v1 frames".
//
//   16 bytes = AES-128-ECB (one block, the sensor's key) of the little-endian struct <HHHLlH>:
//   offset size  field
//   0      2     power, W (the sensor computes Irms x 240 V: apparent power)
//   2      2     voltage, V (0 or a configured constant in the 2014 firmwares)
//   4      2     battery, mV (the AVR's Vcc, from emonLib readVcc)
//   6      4     timer: the sensor's millis() when it measured (restarts at boot, wraps at 2^32)
//   10     4     padding (signed)  \ never rewritten by the sensor: after the first frame they
//   14     2     padding           / hold bytes 10..15 of the previous frame's ciphertext
//
// Decoded exactly as the original base did: every field unsigned except the 4-byte padding. There
// is no MAC, no counter and no sensor id: whoever knows the key (the 2014 default was 0..15) can
// forge frames, and anyone can replay them. The base accepts these frames only for a sensor
// marked legacy and shows it as insecure.
//
// Portable: no heap, no exceptions, no OS; builds for AVR.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace cw {
namespace protocol {

constexpr size_t kLegacyFrame = 16;

struct LegacyReading {
  uint16_t power_w;
  uint16_t voltage_v;
  uint16_t battery_mv;
  uint32_t timer_ms;
  int32_t padding4;
  uint16_t padding2;
};

// The plaintext block <-> the reading (little-endian, whatever the host).
void legacy_pack(const LegacyReading& r, uint8_t out[kLegacyFrame]);
void legacy_unpack(const uint8_t in[kLegacyFrame], LegacyReading* out);

// What a legacy sensor sends: the packed reading encrypted with the portable AES-128 (aes128.h).
void legacy_seal(const LegacyReading& r, const uint8_t key[16], uint8_t out[kLegacyFrame]);

}  // namespace protocol
}  // namespace cw
