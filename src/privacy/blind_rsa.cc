#include "privacy/blind_rsa.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstring>

namespace cw::privacy {

namespace {

struct BnFree {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
struct CtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using BnCtx = std::unique_ptr<BN_CTX, CtxFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

constexpr std::size_t kHashBytes = 48;  // SHA-384

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* k) {
  return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free);
}

Bn bn_from(std::span<const std::uint8_t> b) {
  return Bn(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
}

Bn bn_param(EVP_PKEY* k, const char* name) {
  BIGNUM* out = nullptr;
  EVP_PKEY_get_bn_param(k, name, &out);
  return Bn(out);
}

Bytes bn_bytes(const BIGNUM* v, std::size_t len) {
  Bytes out(len);
  BN_bn2binpad(v, out.data(), static_cast<int>(len));
  return out;
}

Bytes sha384(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b = {}) {
  Bytes out(kHashBytes);
  MdCtx ctx(EVP_MD_CTX_new());
  unsigned int n = 0;
  EVP_DigestInit_ex(ctx.get(), EVP_sha384(), nullptr);
  EVP_DigestUpdate(ctx.get(), a.data(), a.size());
  if (!b.empty()) EVP_DigestUpdate(ctx.get(), b.data(), b.size());
  EVP_DigestFinal_ex(ctx.get(), out.data(), &n);
  return out;
}

// MGF1 (RFC 8017 appendix B.2.1) with SHA-384.
Bytes mgf1(std::span<const std::uint8_t> seed, std::size_t len) {
  Bytes mask;
  for (std::uint32_t counter = 0; mask.size() < len; ++counter) {
    const std::uint8_t c[4] = {std::uint8_t(counter >> 24), std::uint8_t(counter >> 16),
                               std::uint8_t(counter >> 8), std::uint8_t(counter)};
    Bytes h = sha384(seed, c);
    mask.insert(mask.end(), h.begin(), h.end());
  }
  mask.resize(len);
  return mask;
}

// EMSA-PSS-ENCODE (RFC 8017 section 9.1.1) with emBits = modBits - 1.
Result<Bytes> emsa_pss_encode(std::span<const std::uint8_t> msg, std::span<const std::uint8_t> salt,
                              std::size_t em_bits) {
  const std::size_t em_len = (em_bits + 7) / 8;
  if (em_len < kHashBytes + salt.size() + 2) return invalid_argument("RSA modulus too small");
  const Bytes m_hash = sha384(msg);
  Bytes m_prime(8, 0);
  m_prime.insert(m_prime.end(), m_hash.begin(), m_hash.end());
  m_prime.insert(m_prime.end(), salt.begin(), salt.end());
  const Bytes h = sha384(m_prime);
  Bytes db(em_len - kHashBytes - 1, 0);
  db[em_len - salt.size() - kHashBytes - 2] = 0x01;
  std::memcpy(db.data() + db.size() - salt.size(), salt.data(), salt.size());
  const Bytes mask = mgf1(h, db.size());
  for (std::size_t i = 0; i < db.size(); ++i) db[i] ^= mask[i];
  db[0] &= static_cast<std::uint8_t>(0xff >> (8 * em_len - em_bits));
  db.insert(db.end(), h.begin(), h.end());
  db.push_back(0xbc);
  return db;
}

// The RSA public operation x^e mod n.
Bn rsavp1(EVP_PKEY* k, const BIGNUM* x, BN_CTX* ctx) {
  Bn n = bn_param(k, OSSL_PKEY_PARAM_RSA_N), e = bn_param(k, OSSL_PKEY_PARAM_RSA_E);
  Bn out(BN_new());
  if (!n || !e || !out || !BN_mod_exp(out.get(), x, e.get(), n.get(), ctx)) return nullptr;
  return out;
}

Status check_public(EVP_PKEY* k) {
  if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) return invalid_argument("not an RSA key");
  if (EVP_PKEY_get_bits(k) < 2048) return invalid_argument("RSA keys must have 2048 bits or more");
  Bn e = bn_param(k, OSSL_PKEY_PARAM_RSA_E);
  if (!e || !BN_is_word(e.get(), 65537)) return invalid_argument("RSA exponent must be 65537");
  return Status::ok();
}

}  // namespace

Result<BlindRsaPublicKey> BlindRsaPublicKey::from_pem(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* k = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  auto key = own(k);
  CW_RETURN_IF_ERROR(check_public(k));
  return BlindRsaPublicKey(key);
}

std::string BlindRsaPublicKey::to_pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::size_t BlindRsaPublicKey::modulus_bytes() const {
  return static_cast<std::size_t>(EVP_PKEY_get_size(key_.get()));
}

std::string BlindRsaPublicKey::key_id() const {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key_.get(), &der);
  unsigned char digest[32];
  unsigned int len = 0;
  EVP_Digest(der, static_cast<std::size_t>(n), digest, &len, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  static const char* hexd = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out += hexd[c >> 4];
    out += hexd[c & 15];
  }
  return out;
}

Result<BlindRsaPrivateKey> BlindRsaPrivateKey::generate(int bits) {
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* k = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) <= 0 ||
      EVP_PKEY_generate(ctx.get(), &k) <= 0)
    return internal_error("RSA key generation failed");
  return BlindRsaPrivateKey(own(k));
}

Result<BlindRsaPrivateKey> BlindRsaPrivateKey::from_pem(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* k = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  auto key = own(k);
  CW_RETURN_IF_ERROR(check_public(k));
  return BlindRsaPrivateKey(key);
}

Result<BlindRsaPrivateKey> BlindRsaPrivateKey::from_components(const Bytes& n, const Bytes& e,
                                                               const Bytes& d, const Bytes& p,
                                                               const Bytes& q) {
  BnCtx ctx(BN_CTX_new());
  Bn bn = bn_from(n), be = bn_from(e), bd = bn_from(d), bp = bn_from(p), bq = bn_from(q);
  Bn one(BN_new()), pm1(BN_new()), qm1(BN_new()), dp(BN_new()), dq(BN_new()), qinv(BN_new());
  BN_one(one.get());
  BN_sub(pm1.get(), bp.get(), one.get());
  BN_sub(qm1.get(), bq.get(), one.get());
  BN_mod(dp.get(), bd.get(), pm1.get(), ctx.get());
  BN_mod(dq.get(), bd.get(), qm1.get(), ctx.get());
  if (!BN_mod_inverse(qinv.get(), bq.get(), bp.get(), ctx.get()))
    return invalid_argument("p and q are not coprime");
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, bd.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, bp.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, bq.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv.get());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  PkeyCtx pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* k = nullptr;
  const bool ok = pctx && EVP_PKEY_fromdata_init(pctx.get()) > 0 &&
                  EVP_PKEY_fromdata(pctx.get(), &k, EVP_PKEY_KEYPAIR, params) > 0;
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  if (!ok) return invalid_argument("not a valid RSA key");
  auto key = own(k);
  CW_RETURN_IF_ERROR(check_public(k));
  return BlindRsaPrivateKey(key);
}

std::string BlindRsaPrivateKey::to_pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  std::string out(data, static_cast<std::size_t>(n));
  return out;
}

BlindRsaPublicKey BlindRsaPrivateKey::public_key() const {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key_.get(), &der);
  const unsigned char* p = der;
  EVP_PKEY* pub = d2i_PUBKEY(nullptr, &p, n);
  OPENSSL_free(der);
  return BlindRsaPublicKey(own(pub));
}

Bytes prepare(std::span<const std::uint8_t> msg) {
  Bytes out(kPrefixBytes);
  RAND_bytes(out.data(), static_cast<int>(out.size()));
  out.insert(out.end(), msg.begin(), msg.end());
  return out;
}

Result<Blinded> blind_with(const BlindRsaPublicKey& pk, std::span<const std::uint8_t> input_msg,
                           std::span<const std::uint8_t> salt, std::span<const std::uint8_t> inv) {
  EVP_PKEY* k = pk.raw();
  const std::size_t mod_len = pk.modulus_bytes();
  auto em = emsa_pss_encode(input_msg, salt, static_cast<std::size_t>(EVP_PKEY_get_bits(k)) - 1);
  if (!em) return em.status();
  BnCtx ctx(BN_CTX_new());
  Bn n = bn_param(k, OSSL_PKEY_PARAM_RSA_N), m = bn_from(*em), g(BN_new());
  BN_gcd(g.get(), m.get(), n.get(), ctx.get());
  if (!BN_is_one(g.get())) return invalid_argument("encoded message not coprime to the modulus");
  Bn bi = bn_from(inv), r(BN_new());
  if (BN_is_zero(bi.get()) || BN_cmp(bi.get(), n.get()) >= 0 ||
      !BN_mod_inverse(r.get(), bi.get(), n.get(), ctx.get()))
    return invalid_argument("blinding error: no inverse");
  Bn x = rsavp1(k, r.get(), ctx.get());
  Bn z(BN_new());
  if (!x || !BN_mod_mul(z.get(), m.get(), x.get(), n.get(), ctx.get()))
    return internal_error("blinding failed");
  return Blinded{bn_bytes(z.get(), mod_len), bn_bytes(bi.get(), mod_len)};
}

Result<Blinded> blind(const BlindRsaPublicKey& pk, std::span<const std::uint8_t> input_msg) {
  Bytes salt(kSaltBytes);
  RAND_bytes(salt.data(), static_cast<int>(salt.size()));
  BnCtx ctx(BN_CTX_new());
  Bn n = bn_param(pk.raw(), OSSL_PKEY_PARAM_RSA_N);
  // r uniform in [1, n) and invertible; its inverse is uniform too, so drawing inv is the same.
  for (int tries = 0; tries < 64; ++tries) {
    Bn inv(BN_new()), g(BN_new());
    if (!BN_rand_range(inv.get(), n.get())) return internal_error("no randomness");
    if (BN_is_zero(inv.get())) continue;
    BN_gcd(g.get(), inv.get(), n.get(), ctx.get());
    if (!BN_is_one(g.get())) continue;
    return blind_with(pk, input_msg, salt, bn_bytes(inv.get(), pk.modulus_bytes()));
  }
  return internal_error("blinding error");
}

Result<Bytes> blind_sign(const BlindRsaPrivateKey& sk, std::span<const std::uint8_t> blinded_msg) {
  EVP_PKEY* k = sk.key_.get();
  const std::size_t mod_len = static_cast<std::size_t>(EVP_PKEY_get_size(k));
  if (blinded_msg.size() != mod_len) return invalid_argument("blinded message has the wrong size");
  BnCtx ctx(BN_CTX_new());
  Bn n = bn_param(k, OSSL_PKEY_PARAM_RSA_N), m = bn_from(blinded_msg);
  if (BN_cmp(m.get(), n.get()) >= 0) return invalid_argument("message representative out of range");
  // The raw private operation (CRT, with OpenSSL's own base blinding against timing).
  PkeyCtx pctx(EVP_PKEY_CTX_new(k, nullptr));
  Bytes s(mod_len);
  std::size_t out_len = s.size();
  if (!pctx || EVP_PKEY_decrypt_init(pctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx.get(), RSA_NO_PADDING) <= 0 ||
      EVP_PKEY_decrypt(pctx.get(), s.data(), &out_len, blinded_msg.data(), blinded_msg.size()) <= 0)
    return internal_error("signing failure");
  s.resize(out_len);
  Bn bs = bn_from(s);
  Bn check = rsavp1(k, bs.get(), ctx.get());
  if (!check || BN_cmp(check.get(), m.get()) != 0) return internal_error("signing failure");
  return bn_bytes(bs.get(), mod_len);
}

Result<Bytes> finalize(const BlindRsaPublicKey& pk, std::span<const std::uint8_t> blind_sig,
                       std::span<const std::uint8_t> inv, std::span<const std::uint8_t> input_msg) {
  const std::size_t mod_len = pk.modulus_bytes();
  if (blind_sig.size() != mod_len || inv.size() != mod_len)
    return invalid_argument("unexpected input size");
  BnCtx ctx(BN_CTX_new());
  Bn n = bn_param(pk.raw(), OSSL_PKEY_PARAM_RSA_N), z = bn_from(blind_sig), bi = bn_from(inv);
  Bn s(BN_new());
  if (!BN_mod_mul(s.get(), z.get(), bi.get(), n.get(), ctx.get()))
    return internal_error("unblinding failed");
  Bytes sig = bn_bytes(s.get(), mod_len);
  CW_RETURN_IF_ERROR(verify(pk, input_msg, sig));
  return sig;
}

Status verify(const BlindRsaPublicKey& pk, std::span<const std::uint8_t> input_msg,
              std::span<const std::uint8_t> sig) {
  if (sig.size() != pk.modulus_bytes()) return invalid_argument("invalid signature");
  MdCtx md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  const bool ok =
      md && EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha384(), nullptr, pk.raw()) > 0 &&
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, static_cast<int>(kSaltBytes)) > 0 &&
      EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) > 0 &&
      EVP_DigestVerify(md.get(), sig.data(), sig.size(), input_msg.data(), input_msg.size()) == 1;
  if (!ok) return invalid_argument("invalid signature");
  return Status::ok();
}

}  // namespace cw::privacy
