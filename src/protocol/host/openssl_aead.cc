// AES-CCM through OpenSSL 3 EVP. CCM needs its lengths up front: IV length and tag length are
// set before the key, and the total message length before the associated data.
#include "protocol/host/openssl_aead.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>
#include <memory>

namespace cw::protocol {
namespace {

struct CipherFree {
  void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
};
struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// Fetched once per process: implicit fetches on every call cost more than the frame itself.
const EVP_CIPHER* cipher_for(std::size_t key_len) {
  static const std::unique_ptr<EVP_CIPHER, CipherFree> aes128(
      EVP_CIPHER_fetch(nullptr, "AES-128-CCM", nullptr));
  static const std::unique_ptr<EVP_CIPHER, CipherFree> aes192(
      EVP_CIPHER_fetch(nullptr, "AES-192-CCM", nullptr));
  static const std::unique_ptr<EVP_CIPHER, CipherFree> aes256(
      EVP_CIPHER_fetch(nullptr, "AES-256-CCM", nullptr));
  switch (key_len) {
    case 16:
      return aes128.get();
    case 24:
      return aes192.get();
    case 32:
      return aes256.get();
    default:
      return nullptr;
  }
}

// One reusable context per thread (reset before each use).
EVP_CIPHER_CTX* thread_ctx() {
  thread_local std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  return ctx.get();
}

bool valid(const CcmParams& p, std::size_t len) {
  return p.nonce_len >= 7 && p.nonce_len <= 13 && p.tag_len >= 4 && p.tag_len <= 16 &&
         p.tag_len % 2 == 0 && len <= INT_MAX && p.ad_len <= INT_MAX;
}

// Sets cipher, lengths, key and nonce; then feeds the message length and associated data.
// `tag` is the expected tag when decrypting, null when encrypting.
bool begin(EVP_CIPHER_CTX* ctx, const CcmParams& p, std::size_t len, const std::uint8_t* tag,
           int enc) {
  const EVP_CIPHER* cipher = cipher_for(p.key_len);
  if (ctx == nullptr || cipher == nullptr || !valid(p, len)) return false;
  EVP_CIPHER_CTX_reset(ctx);
  int out_len = 0;
  return EVP_CipherInit_ex(ctx, cipher, nullptr, nullptr, nullptr, enc) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(p.nonce_len),
                             nullptr) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(p.tag_len),
                             const_cast<std::uint8_t*>(tag)) == 1 &&
         EVP_CipherInit_ex(ctx, nullptr, nullptr, p.key, p.nonce, enc) == 1 &&
         EVP_CipherUpdate(ctx, nullptr, &out_len, nullptr, static_cast<int>(len)) == 1 &&
         (p.ad_len == 0 ||
          EVP_CipherUpdate(ctx, nullptr, &out_len, p.ad, static_cast<int>(p.ad_len)) == 1);
}

// CCM's update step; OpenSSL needs a non-null buffer even for an empty message.
bool crypt(EVP_CIPHER_CTX* ctx, std::uint8_t* data, std::size_t len) {
  std::uint8_t empty = 0;
  std::uint8_t* buf = len == 0 ? &empty : data;
  int out_len = 0;
  return EVP_CipherUpdate(ctx, buf, &out_len, buf, static_cast<int>(len)) == 1;
}

bool seal_frame(const std::uint8_t key[kKeySize], const std::uint8_t nonce[kNonceSize],
                const std::uint8_t* ad, std::size_t ad_len, std::uint8_t* data, std::size_t len,
                std::uint8_t tag[kTagSize]) {
  return ccm_seal({key, kKeySize, nonce, kNonceSize, ad, ad_len, kTagSize}, data, len, tag);
}

bool open_frame(const std::uint8_t key[kKeySize], const std::uint8_t nonce[kNonceSize],
                const std::uint8_t* ad, std::size_t ad_len, std::uint8_t* data, std::size_t len,
                const std::uint8_t tag[kTagSize]) {
  return ccm_open({key, kKeySize, nonce, kNonceSize, ad, ad_len, kTagSize}, data, len, tag);
}

}  // namespace

bool ccm_seal(const CcmParams& p, std::uint8_t* data, std::size_t len, std::uint8_t* tag) {
  EVP_CIPHER_CTX* ctx = thread_ctx();
  bool ok = begin(ctx, p, len, nullptr, 1) && crypt(ctx, data, len);
  int out_len = 0;
  ok = ok && EVP_EncryptFinal_ex(ctx, data, &out_len) == 1 &&
       EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(p.tag_len), tag) == 1;
  if (ctx != nullptr) EVP_CIPHER_CTX_reset(ctx);  // drops the key schedule
  return ok;
}

bool ccm_open(const CcmParams& p, std::uint8_t* data, std::size_t len, const std::uint8_t* tag) {
  EVP_CIPHER_CTX* ctx = thread_ctx();
  // For CCM decryption the tag is checked inside the update call; there is no final step.
  bool ok = begin(ctx, p, len, tag, 0) && crypt(ctx, data, len);
  if (ctx != nullptr) EVP_CIPHER_CTX_reset(ctx);
  if (!ok && len > 0) OPENSSL_cleanse(data, len);
  return ok;
}

const Aead& openssl_aead() {
  static const Aead aead{&seal_frame, &open_frame};
  return aead;
}

}  // namespace cw::protocol
