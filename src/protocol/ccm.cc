// CCM = CBC-MAC over (B0 | encoded AD | message) then CTR mode, as in RFC 3610 section 2.
// Every block cipher call is AES-128 encrypt (aes128.h): CCM never needs the inverse cipher.
#include "protocol/ccm.h"

#include <string.h>

#include "protocol/aes128.h"

namespace cw {
namespace protocol {
namespace {

void wipe(void* p, size_t n) {
  volatile uint8_t* v = static_cast<uint8_t*>(p);
  for (size_t i = 0; i < n; ++i) v[i] = 0;
}

// The CBC-MAC state: X is the chaining block; `pos` bytes of the current block are folded in.
struct Mac {
  const Aes128Key* key;
  uint8_t x[kAesBlock];
  size_t pos;

  void absorb(const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      x[pos++] ^= p[i];
      if (pos == kAesBlock) {
        aes128_encrypt(*key, x, x);
        pos = 0;
      }
    }
  }
  // Zero-pads the current block (XOR with zeros is a no-op) and closes it.
  void pad() {
    if (pos != 0) aes128_encrypt(*key, x, x);
    pos = 0;
  }
};

// Writes v big-endian into the last n bytes of block (n <= 8).
void put_be(uint8_t* block_end, size_t n, uint64_t v) {
  for (size_t i = 0; i < n; ++i) {
    block_end[-1 - static_cast<ptrdiff_t>(i)] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

// Computes the CBC-MAC T (tag_len bytes, into t) of AD and the plaintext data[0..len).
void cbc_mac(const Ccm128Params& p, const Aes128Key& key, const uint8_t* data, size_t len,
             uint8_t t[kAesBlock]) {
  const size_t l = 15 - p.nonce_len;
  Mac mac{&key, {}, 0};
  mac.x[0] = static_cast<uint8_t>((p.ad_len > 0 ? 0x40 : 0) | ((p.tag_len - 2) / 2) << 3 | (l - 1));
  memcpy(mac.x + 1, p.nonce, p.nonce_len);
  put_be(mac.x + kAesBlock, l, len);
  aes128_encrypt(key, mac.x, mac.x);
  if (p.ad_len > 0) {
    uint8_t enc[10];
    size_t n;
    const uint64_t ad_len = p.ad_len;
    if (ad_len < 0xFF00) {
      n = 2;
    } else if (ad_len <= 0xFFFFFFFFu) {
      enc[0] = 0xFF, enc[1] = 0xFE, n = 6;
    } else {
      enc[0] = 0xFF, enc[1] = 0xFF, n = 10;
    }
    put_be(enc + n, n == 2 ? 2 : n - 2, ad_len);
    mac.absorb(enc, n);
    mac.absorb(p.ad, p.ad_len);
    mac.pad();
  }
  mac.absorb(data, len);
  mac.pad();
  memcpy(t, mac.x, kAesBlock);
  wipe(mac.x, sizeof mac.x);
}

// Counter block A_i: flags L-1 | nonce | i (big-endian, L bytes).
void counter_block(const Ccm128Params& p, uint64_t i, uint8_t a[kAesBlock]) {
  const size_t l = 15 - p.nonce_len;
  a[0] = static_cast<uint8_t>(l - 1);
  memcpy(a + 1, p.nonce, p.nonce_len);
  put_be(a + kAesBlock, l, i);
}

// XORs the key stream S_1, S_2, ... into data (encrypts or decrypts).
void ctr(const Ccm128Params& p, const Aes128Key& key, uint8_t* data, size_t len) {
  uint8_t s[kAesBlock];
  uint64_t i = 1;
  for (size_t off = 0; off < len; off += kAesBlock, ++i) {
    counter_block(p, i, s);
    aes128_encrypt(key, s, s);
    size_t n = len - off < kAesBlock ? len - off : kAesBlock;
    for (size_t j = 0; j < n; ++j) data[off + j] ^= s[j];
  }
  wipe(s, sizeof s);
}

// U = T xor S_0, the transmitted tag.
void encrypt_tag(const Ccm128Params& p, const Aes128Key& key, uint8_t t[kAesBlock]) {
  uint8_t s0[kAesBlock];
  counter_block(p, 0, s0);
  aes128_encrypt(key, s0, s0);
  for (size_t j = 0; j < kAesBlock; ++j) t[j] ^= s0[j];
  wipe(s0, sizeof s0);
}

}  // namespace

bool equal_ct(const uint8_t* a, const uint8_t* b, size_t n) {
  uint8_t diff = 0;
  for (size_t i = 0; i < n; ++i) diff |= static_cast<uint8_t>(a[i] ^ b[i]);
  return diff == 0;
}

bool ccm128_valid(const Ccm128Params& p, size_t len) {
  if (p.key == nullptr || p.nonce == nullptr) return false;
  if (p.nonce_len < 7 || p.nonce_len > 13) return false;
  if (p.tag_len < 4 || p.tag_len > 16 || p.tag_len % 2 != 0) return false;
  if (p.ad_len > 0 && p.ad == nullptr) return false;
  const size_t bits = 8 * (15 - p.nonce_len);  // the length field, L bytes
  if (bits < 8 * sizeof(size_t) && (len >> bits) != 0) return false;
  return true;
}

bool ccm128_seal(const Ccm128Params& p, uint8_t* data, size_t len, uint8_t* tag) {
  if (!ccm128_valid(p, len) || (len > 0 && data == nullptr) || tag == nullptr) return false;
  Aes128Key key;
  aes128_expand_key(p.key, &key);
  uint8_t t[kAesBlock];
  cbc_mac(p, key, data, len, t);
  encrypt_tag(p, key, t);
  ctr(p, key, data, len);
  memcpy(tag, t, p.tag_len);
  wipe(t, sizeof t);
  aes128_wipe(&key);
  return true;
}

bool ccm128_open(const Ccm128Params& p, uint8_t* data, size_t len, const uint8_t* tag) {
  if (!ccm128_valid(p, len) || (len > 0 && data == nullptr) || tag == nullptr) {
    if (data != nullptr) wipe(data, len);
    return false;
  }
  Aes128Key key;
  aes128_expand_key(p.key, &key);
  ctr(p, key, data, len);
  uint8_t t[kAesBlock];
  cbc_mac(p, key, data, len, t);
  encrypt_tag(p, key, t);
  const bool ok = equal_ct(t, tag, p.tag_len);
  if (!ok) wipe(data, len);
  wipe(t, sizeof t);
  aes128_wipe(&key);
  return ok;
}

}  // namespace protocol
}  // namespace cw
