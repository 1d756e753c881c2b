// Legacy v1 frames on the base: AES-128-ECB through OpenSSL (layout in protocol/legacy_v1.h).
//
// Thread-safety: every function may be called from any number of threads at once.
#pragma once

#include <cstddef>
#include <cstdint>

#include "protocol/legacy_v1.h"

namespace cw::protocol {

// One AES-128-ECB block, no padding. False only if OpenSSL fails.
bool legacy_encrypt_block(const std::uint8_t key[16], const std::uint8_t in[kLegacyFrame],
                          std::uint8_t out[kLegacyFrame]);
bool legacy_decrypt_block(const std::uint8_t key[16], const std::uint8_t in[kLegacyFrame],
                          std::uint8_t out[kLegacyFrame]);

// Decrypts and decodes a received frame; plain (optional) receives the decrypted block. False
// when len is not 16. Nothing is authenticated: any 16 bytes decode to some reading.
bool open_legacy_v1(const std::uint8_t* frame, std::size_t len, const std::uint8_t key[16],
                    LegacyReading* out, std::uint8_t plain[kLegacyFrame] = nullptr);

}  // namespace cw::protocol
