// libFuzzer differential target: the portable AES-128-CCM (protocol/ccm.h, the firmware's) against
// OpenSSL's (protocol/host/openssl_aead.h) on fuzzer-chosen parameters, key, nonce, associated
// data and message. Both must produce the same ciphertext and tag, open each other's output, and
// agree on the verdict for a tampered tag, ciphertext or associated data. Any difference aborts.
//
// Input: [params] [tamper] [ad_len] key(16) nonce(7..13) ad message...
//   params: low 3 bits + 7 = nonce length; next 3 bits = (tag length - 4) / 2
//   tamper: which byte of tag / ciphertext / ad to flip, and with which bit
//
// Run with scripts/fuzz.sh, or stand-alone:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc fuzz/ccm_diff_fuzz.cc \
//     src/protocol/aes128.cc src/protocol/ccm.cc src/protocol/host/openssl_aead.cc -lcrypto \
//     -o /tmp/ccm_diff_fuzz && /tmp/ccm_diff_fuzz -max_total_time=60
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cstdlib>
#include <vector>

#include "protocol/ccm.h"
#include "protocol/host/openssl_aead.h"

namespace {

using namespace cw::protocol;
using Bytes = std::vector<uint8_t>;

void require(bool ok) {
  if (!ok) std::abort();
}

// Opens (ct, tag) with both implementations; they must agree, and on success yield `want`.
void open_both(const Ccm128Params& pp, const CcmParams& op, const Bytes& ct, const uint8_t* tag,
               const Bytes* want) {
  Bytes a = ct, b = ct;
  bool ok_a = ccm128_open(pp, a.data(), a.size(), tag);
  bool ok_b = ccm_open(op, b.data(), b.size(), tag);
  require(ok_a == ok_b);
  require(a == b);  // the plaintext on success, zeros on failure
  if (want != nullptr) require(ok_a && a == *want);
  if (!ok_a) require(a == Bytes(ct.size(), 0));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3 + 16) return 0;
  const size_t nonce_len = 7 + (data[0] & 7);  // 7..14: 14 checks that both refuse it
  const size_t tag_len = 4 + 2 * ((data[0] >> 3) & 7);
  const uint8_t tamper = data[1];
  const size_t ad_len = data[2];
  data += 3, size -= 3;
  if (size < 16 + nonce_len + ad_len) return 0;
  const uint8_t* key = data;
  const uint8_t* nonce = data + 16;
  const uint8_t* ad = nonce + nonce_len;
  const Bytes msg(ad + ad_len, data + size);

  Ccm128Params pp{key, nonce, nonce_len, ad, ad_len, tag_len};
  CcmParams op{key, 16, nonce, nonce_len, ad, ad_len, tag_len};
  Bytes ca = msg, cb = msg;
  uint8_t ta[16] = {}, tb[16] = {};
  const bool sa = ccm128_seal(pp, ca.data(), ca.size(), ta);
  const bool sb = ccm_seal(op, cb.data(), cb.size(), tb);
  require(sa == sb);
  if (!sa) return 0;
  require(ca == cb && memcmp(ta, tb, tag_len) == 0);

  open_both(pp, op, ca, ta, &msg);

  uint8_t bad_tag[16];
  memcpy(bad_tag, ta, sizeof bad_tag);
  bad_tag[(tamper >> 3) % tag_len] ^= static_cast<uint8_t>(1 << (tamper & 7));
  open_both(pp, op, ca, bad_tag, nullptr);
  require(!ccm128_open(pp, Bytes(ca).data(), ca.size(), bad_tag));

  if (!ca.empty()) {
    Bytes bad_ct = ca;
    bad_ct[tamper % bad_ct.size()] ^= 0x01;
    open_both(pp, op, bad_ct, ta, nullptr);
  }
  if (ad_len > 0) {
    Bytes bad_ad(ad, ad + ad_len);
    bad_ad[tamper % ad_len] ^= 0x01;
    Ccm128Params pp2 = pp;
    CcmParams op2 = op;
    pp2.ad = op2.ad = bad_ad.data();
    open_both(pp2, op2, ca, ta, nullptr);
  }
  return 0;
}
