// AES-128-CCM (RFC 3610, NIST SP 800-38C), portable: the firmware's own AEAD. Generic in the tag
// length M (4, 6, ..., 16) and the nonce length (7..13 bytes, hence L = 15 - nonce length), so
// the published vectors of every AES-128 parameter set can check it; frames use M = 8, L = 2
// through portable_aead() (portable_aead.h).
//
// Portable: <stdint.h>, <stddef.h>, <string.h> only; no heap, no exceptions, no OS; builds for
// AVR. RAM: the expanded key (176 bytes) and three blocks (48 bytes) on the stack. The message
// is processed in place, a block at a time, whatever its length. The tag is compared in constant
// time.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace cw {
namespace protocol {

struct Ccm128Params {
  const uint8_t* key;  // 16 bytes
  const uint8_t* nonce;
  size_t nonce_len;  // 7..13
  const uint8_t* ad;
  size_t ad_len;
  size_t tag_len;  // 4, 6, ..., 16
};

// True when CCM defines these parameters for a message of len bytes (len < 2^(8L)).
bool ccm128_valid(const Ccm128Params& p, size_t len);

// Encrypts data[0..len) in place and writes tag_len bytes of tag. False on invalid parameters
// (then nothing is written).
bool ccm128_seal(const Ccm128Params& p, uint8_t* data, size_t len, uint8_t* tag);

// Verifies the tag and decrypts data[0..len) in place. On false (bad tag or invalid parameters)
// data is zeroed: no plaintext, not even unauthenticated, is left behind.
bool ccm128_open(const Ccm128Params& p, uint8_t* data, size_t len, const uint8_t* tag);

// Compares n bytes in a time that depends on n only.
bool equal_ct(const uint8_t* a, const uint8_t* b, size_t n);

}  // namespace protocol
}  // namespace cw
