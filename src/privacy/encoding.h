// Small byte helpers of the privacy layer: base64url, hex, SHA-256, HMAC-SHA-256 and secure
// random bytes (OpenSSL). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cw::privacy {

using Bytes = std::vector<std::uint8_t>;

// base64url without padding (RFC 4648 section 5).
std::string b64url(std::span<const std::uint8_t> b);
// Strict: only the base64url alphabet, no padding, no whitespace.
Result<Bytes> from_b64url(std::string_view s);

std::string hex(std::span<const std::uint8_t> b);
Result<Bytes> from_hex(std::string_view s);

Bytes sha256(std::span<const std::uint8_t> b);
Bytes sha256(std::string_view s);
Bytes hmac_sha256(std::span<const std::uint8_t> key, std::string_view msg);
Bytes random_bytes(std::size_t n);

inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Constant-time equality of two byte strings of the same length (false when lengths differ).
bool equal_secret(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace cw::privacy
