// AES-128-CCM (M = 8, L = 2) from OpenSSL, for the base and the simulator.
//
// Thread-safety: every function may be called from any number of threads at once (each thread
// keeps its own OpenSSL cipher context).
#pragma once

#include <cstddef>
#include <cstdint>

#include "protocol/frame.h"

namespace cw::protocol {

// The frame v2 AEAD: AES-128-CCM, 13-byte nonce, 8-byte tag.
const Aead& openssl_aead();

// General AES-CCM (RFC 3610 / SP 800-38C), for checking the implementation against published
// vectors with other key, nonce and tag sizes. Frames use only openssl_aead().
struct CcmParams {
  const std::uint8_t* key;
  std::size_t key_len;  // 16, 24 or 32
  const std::uint8_t* nonce;
  std::size_t nonce_len;  // 7..13
  const std::uint8_t* ad;
  std::size_t ad_len;
  std::size_t tag_len;  // 4, 6, ..., 16
};

// Encrypts data[0..len) in place and writes tag_len bytes of tag. False on bad parameters.
bool ccm_seal(const CcmParams& p, std::uint8_t* data, std::size_t len, std::uint8_t* tag);
// Verifies and decrypts data[0..len) in place. On false (bad tag or bad parameters) data is
// zeroed: no plaintext is left behind.
bool ccm_open(const CcmParams& p, std::uint8_t* data, std::size_t len, const std::uint8_t* tag);

}  // namespace cw::protocol
