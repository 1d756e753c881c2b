// RSA blind signatures, RFC 9474, variant RSABSSA-SHA384-PSS-Randomized (section 5): SHA-384,
// MGF1 with SHA-384, a 48-byte PSS salt and a 32-byte random message prefix. Built on OpenSSL 3
// (BIGNUM for the blinding arithmetic, EVP for the hash, the raw RSA private operation and an
// independent RSASSA-PSS verification). docs/privacy.md says why this variant.
//
// The protocol: the client prepares a message (prefix || msg), blinds it under the signer's
// public key, sends the blinded message; the signer answers blind_sign(); the client finalises
// (unblinds) into an ordinary RSASSA-PSS signature of the prepared message, which anyone can
// verify with the public key. The signer cannot link the signature to the blinded message.
//
// Thread-safety: keys are immutable after construction and may be shared between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace cw::privacy {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::size_t kPrefixBytes = 32;  // the randomized variant's message prefix
inline constexpr std::size_t kSaltBytes = 48;    // sLen = hLen of SHA-384

class BlindRsaPublicKey {
 public:
  // From a SubjectPublicKeyInfo in PEM ("-----BEGIN PUBLIC KEY-----"). Refuses keys under
  // 2048 bits and exponents other than 65537.
  static Result<BlindRsaPublicKey> from_pem(const std::string& pem);
  std::string to_pem() const;
  std::size_t modulus_bytes() const;
  // SHA-256 of the DER SubjectPublicKeyInfo, hex: the key's identity on the wire.
  std::string key_id() const;
  EVP_PKEY* raw() const { return key_.get(); }

 private:
  friend class BlindRsaPrivateKey;
  explicit BlindRsaPublicKey(std::shared_ptr<EVP_PKEY> k) : key_(std::move(k)) {}
  std::shared_ptr<EVP_PKEY> key_;
};

class BlindRsaPrivateKey {
 public:
  static Result<BlindRsaPrivateKey> generate(int bits = 2048);
  // PKCS#8 PEM.
  static Result<BlindRsaPrivateKey> from_pem(const std::string& pem);
  // From its numbers, big-endian (the RFC's test vectors give them so).
  static Result<BlindRsaPrivateKey> from_components(const Bytes& n, const Bytes& e, const Bytes& d,
                                                    const Bytes& p, const Bytes& q);
  std::string to_pem() const;  // PKCS#8, unencrypted: keep it where the signer's secrets live
  BlindRsaPublicKey public_key() const;

 private:
  explicit BlindRsaPrivateKey(std::shared_ptr<EVP_PKEY> k) : key_(std::move(k)) {}
  friend Result<Bytes> blind_sign(const BlindRsaPrivateKey& sk, std::span<const std::uint8_t>);
  std::shared_ptr<EVP_PKEY> key_;
};

// What the client keeps between blind() and finalize().
struct Blinded {
  Bytes blinded_msg;  // sent to the signer
  Bytes inv;          // r^-1 mod n, secret to the client
};

// prefix || msg with a fresh random prefix (RFC 9474 section 4.1, randomized variant).
Bytes prepare(std::span<const std::uint8_t> msg);

// RFC 9474 section 4.2 with a fresh random salt and blinding factor.
Result<Blinded> blind(const BlindRsaPublicKey& pk, std::span<const std::uint8_t> input_msg);
// The same with a given salt and inverse (the test vectors fix them); r = inv^-1 mod n.
Result<Blinded> blind_with(const BlindRsaPublicKey& pk, std::span<const std::uint8_t> input_msg,
                           std::span<const std::uint8_t> salt, std::span<const std::uint8_t> inv);

// RFC 9474 section 4.3: the signer's side. Checks its own result (s^e == m) before answering,
// so a faulty computation never leaks the key.
Result<Bytes> blind_sign(const BlindRsaPrivateKey& sk, std::span<const std::uint8_t> blinded_msg);

// RFC 9474 section 4.4: unblinds and verifies; invalid_argument when the signature is not valid.
Result<Bytes> finalize(const BlindRsaPublicKey& pk, std::span<const std::uint8_t> blind_sig,
                       std::span<const std::uint8_t> inv, std::span<const std::uint8_t> input_msg);

// RFC 9474 section 4.5: RSASSA-PSS-VERIFY (SHA-384, MGF1-SHA-384, sLen 48) by OpenSSL's own
// implementation, independent of the encoding above.
Status verify(const BlindRsaPublicKey& pk, std::span<const std::uint8_t> input_msg,
              std::span<const std::uint8_t> sig);

}  // namespace cw::privacy
