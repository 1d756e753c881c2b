#include "web/passwords.h"

#include <sodium.h>

#include <cstdlib>
#include <mutex>

namespace cw::web {

namespace {

constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19u * 1024u * 1024u;

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no safe randomness: nothing can continue
  });
}

// One Argon2 computation at a time: see the header.
std::mutex& hash_gate() {
  static std::mutex mu;
  return mu;
}

// Length of the UTF-8 sequence starting at s[i] and its code point; 0 when invalid.
std::size_t utf8_next(std::string_view s, std::size_t i, char32_t& cp) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xe  ? 3
                  : (c >> 3) == 0x1e ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) return 0;
  cp = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3f);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

}  // namespace

Status check_username(std::string_view name) {
  if (name.empty() || name.size() > kMaxUsernameLength)
    return invalid_argument("a user name has 1 to 64 characters");
  if (name.front() == ' ' || name.back() == ' ')
    return invalid_argument("a user name may not start or end with a space");
  for (std::size_t i = 0; i < name.size();) {
    char32_t cp = 0;
    std::size_t n = utf8_next(name, i, cp);
    if (n == 0) return invalid_argument("a user name must be valid UTF-8");
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
      return invalid_argument("a user name may not contain control characters");
    i += n;
  }
  return Status::ok();
}

Status check_password(std::string_view password) {
  if (password.size() < kMinPasswordLength)
    return invalid_argument("a password has at least 10 characters");
  if (password.size() > kMaxPasswordLength)
    return invalid_argument("a password has at most 1024 characters");
  return Status::ok();
}

Result<std::string> hash_password(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  std::lock_guard gate(hash_gate());
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status(Code::kResourceExhausted, "not enough memory to hash the password");
  return std::string(out);
}

bool verify_password(std::string_view password, const std::string& encoded) {
  ensure_sodium();
  std::lock_guard gate(hash_gate());
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

void burn_password_check(std::string_view password) {
  static const std::string dummy = [] {
    auto h = hash_password("citizenwatt-timing-equaliser");
    return h ? *h : std::string();
  }();
  (void)verify_password(password, dummy);
}

std::string random_secret() {
  ensure_sodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  char out[sodium_base64_ENCODED_LEN(sizeof bytes, kVariant)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, kVariant);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(out);
}

std::string new_token_secret() {
  return std::string(kTokenPrefix) + random_secret();
}

store::Digest sha256(std::string_view data) {
  ensure_sodium();
  store::Digest d;
  crypto_hash_sha256(d.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return d;
}

}  // namespace cw::web
