#include "protocol/portable_aead.h"

#include "protocol/ccm.h"

namespace cw {
namespace protocol {
namespace {

bool seal_frame(const uint8_t key[kKeySize], const uint8_t nonce[kNonceSize], const uint8_t* ad,
                size_t ad_len, uint8_t* data, size_t len, uint8_t tag[kTagSize]) {
  return ccm128_seal({key, nonce, kNonceSize, ad, ad_len, kTagSize}, data, len, tag);
}

bool open_frame(const uint8_t key[kKeySize], const uint8_t nonce[kNonceSize], const uint8_t* ad,
                size_t ad_len, uint8_t* data, size_t len, const uint8_t tag[kTagSize]) {
  return ccm128_open({key, nonce, kNonceSize, ad, ad_len, kTagSize}, data, len, tag);
}

}  // namespace

const Aead& portable_aead() {
  static const Aead aead{&seal_frame, &open_frame};
  return aead;
}

}  // namespace protocol
}  // namespace cw
