// Secrets of the web layer: password hashing, and the random session ids and API tokens.
//
// Passwords: Argon2id (libsodium crypto_pwhash_str) with opslimit 2 and memlimit 19 MiB, OWASP's
// minimum for Argon2id: a Raspberry Pi with a 40 MB RSS budget cannot spend 64 MiB per login.
// For the same reason at most one hash runs at a time (a process-wide gate), so a burst of
// logins queues instead of multiplying the memory.
//
// Session ids and tokens: 32 random bytes, base64url without padding; tokens carry the prefix
// "cwt_" so that they are recognisable in logs and secret scanners. Only their SHA-256 is stored.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "store/accounts.h"

namespace cw::web {

inline constexpr std::size_t kMinPasswordLength = 10;
inline constexpr std::size_t kMaxPasswordLength = 1024;  // bounds the hashing work per request
inline constexpr std::size_t kMaxUsernameLength = 64;
inline constexpr std::string_view kTokenPrefix = "cwt_";
inline constexpr std::string_view kSharePrefix = "cws_";  // read-only share links

// 1-64 bytes of valid UTF-8, no control characters, no leading/trailing space.
Status check_username(std::string_view name);
// At least 10 characters (bytes), at most 1024.
Status check_password(std::string_view password);

// Argon2id encoded string ("$argon2id$v=19$m=19456,t=2,p=1$...").
Result<std::string> hash_password(std::string_view password);
// True when password matches the encoded hash. Constant-time in the password.
bool verify_password(std::string_view password, const std::string& encoded);
// Spends the same time as verify_password of a wrong password, so unknown user names answer
// as slowly as known ones.
void burn_password_check(std::string_view password);

// 32 random bytes, base64url, no padding (43 characters).
std::string random_secret();
// "cwt_" + random_secret().
std::string new_token_secret();
store::Digest sha256(std::string_view data);

}  // namespace cw::web
