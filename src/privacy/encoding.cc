#include "privacy/encoding.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>

namespace cw::privacy {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string b64url(std::span<const std::uint8_t> b) {
  std::string out;
  out.reserve((b.size() * 4 + 2) / 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::uint8_t c : b) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kB64[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kB64[(acc << (6 - bits)) & 63];
  return out;
}

Result<Bytes> from_b64url(std::string_view s) {
  if (s.size() % 4 == 1) return invalid_argument("base64url text has an impossible length");
  Bytes out;
  out.reserve(s.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = b64_value(c);
    if (v < 0) return invalid_argument("not base64url text");
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
    return invalid_argument("base64url text has stray bits");  // one value, one encoding
  return out;
}

std::string hex(std::span<const std::uint8_t> b) {
  static const char* d = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (std::uint8_t c : b) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

Result<Bytes> from_hex(std::string_view s) {
  if (s.size() % 2) return invalid_argument("hex text has an odd length");
  Bytes out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return invalid_argument("not hex text");
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return out;
}

Bytes sha256(std::span<const std::uint8_t> b) {
  Bytes out(32);
  unsigned int n = 0;
  EVP_Digest(b.data(), b.size(), out.data(), &n, EVP_sha256(), nullptr);
  return out;
}

Bytes sha256(std::string_view s) {
  return sha256(as_bytes(s));
}

Bytes hmac_sha256(std::span<const std::uint8_t> key, std::string_view msg) {
  Bytes out(32);
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out.data(), &n);
  return out;
}

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) std::abort();  // no safe randomness
  return out;
}

bool equal_secret(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cw::privacy
