#include "protocol/host/legacy_openssl.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

namespace cw::protocol {
namespace {

struct CipherFree {
  void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
};
struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

bool ecb(const std::uint8_t key[16], const std::uint8_t in[kLegacyFrame],
         std::uint8_t out[kLegacyFrame], int enc) {
  static const std::unique_ptr<EVP_CIPHER, CipherFree> cipher(
      EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr));
  thread_local std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!cipher || !ctx) return false;
  int n = 0;
  bool ok = EVP_CipherInit_ex(ctx.get(), cipher.get(), nullptr, key, nullptr, enc) == 1 &&
            EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1 &&
            EVP_CipherUpdate(ctx.get(), out, &n, in, kLegacyFrame) == 1 && n == kLegacyFrame;
  EVP_CIPHER_CTX_reset(ctx.get());  // drops the key schedule
  return ok;
}

}  // namespace

bool legacy_encrypt_block(const std::uint8_t key[16], const std::uint8_t in[kLegacyFrame],
                          std::uint8_t out[kLegacyFrame]) {
  return ecb(key, in, out, 1);
}

bool legacy_decrypt_block(const std::uint8_t key[16], const std::uint8_t in[kLegacyFrame],
                          std::uint8_t out[kLegacyFrame]) {
  return ecb(key, in, out, 0);
}

bool open_legacy_v1(const std::uint8_t* frame, std::size_t len, const std::uint8_t key[16],
                    LegacyReading* out, std::uint8_t plain[kLegacyFrame]) {
  if (frame == nullptr || len != kLegacyFrame) return false;
  std::uint8_t block[kLegacyFrame];
  if (!legacy_decrypt_block(key, frame, block)) return false;
  legacy_unpack(block, out);
  if (plain != nullptr)
    for (std::size_t i = 0; i < kLegacyFrame; ++i) plain[i] = block[i];
  OPENSSL_cleanse(block, sizeof block);
  return true;
}

}  // namespace cw::protocol
