// AES-128, encrypt direction only (FIPS-197), for the sensor firmware and as the block cipher
// of the portable CCM (ccm.h). CCM and the legacy v1 sensor only ever encrypt blocks.
//
// Portable: <stdint.h>, <stddef.h>, <string.h> only; no heap, no exceptions, no OS; builds for
// AVR. Byte-oriented: the S-box is the one table (256 bytes, in flash on AVR through PROGMEM),
// the expanded key takes 176 bytes of the caller's RAM.
//
// Timing: on the AVR (no data cache) every step takes the same time whatever the key and data.
// On a host with caches the S-box lookups are a cache-timing side channel; the base station
// therefore uses OpenSSL (AES-NI) and this code only for tests and the firmware.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace cw {
namespace protocol {

constexpr size_t kAesBlock = 16;

// The expanded key: 11 round keys of 16 bytes.
struct Aes128Key {
  uint8_t round_keys[176];
};

void aes128_expand_key(const uint8_t key[16], Aes128Key* out);

// Encrypts one block. in and out may be the same buffer.
void aes128_encrypt(const Aes128Key& key, const uint8_t in[kAesBlock], uint8_t out[kAesBlock]);

// Overwrites an expanded key so it does not linger in RAM.
void aes128_wipe(Aes128Key* key);

}  // namespace protocol
}  // namespace cw
