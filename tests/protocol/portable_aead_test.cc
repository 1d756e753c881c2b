// The firmware's own AES-128 and AES-128-CCM (protocol/aes128.h, ccm.h, portable_aead.h) against
// FIPS-197, RFC 3610 / NIST CAVP (Mbed TLS suite) and Wycheproof, then against OpenSSL on
// thousands of random cases and on whole frames in both directions.
#include "protocol/portable_aead.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "protocol/aes128.h"
#include "protocol/ccm.h"
#include "protocol/ccm_vectors.h"
#include "protocol/frame.h"
#include "protocol/hex.h"
#include "protocol/host/openssl_aead.h"

namespace cw::protocol {
namespace {

using testing::Bytes;
using testing::CcmVector;
using testing::from_hex;
using testing::to_hex;

Ccm128Params params(const CcmVector& v) {
  return {v.key.data(), v.nonce.data(), v.nonce.size(), v.ad.data(), v.ad.size(), v.tag.size()};
}

// One AES-128 vector through the generic portable CCM: open, and seal back to the same bytes.
void check_portable(const CcmVector& v) {
  SCOPED_TRACE(v.name);
  Bytes data = v.ct;
  bool opened = ccm128_open(params(v), data.data(), data.size(), v.tag.data());
  if (!v.valid) {
    EXPECT_FALSE(opened);
    EXPECT_EQ(data, Bytes(v.ct.size(), 0)) << "plaintext left behind after a failed open";
    return;
  }
  ASSERT_TRUE(opened);
  EXPECT_EQ(to_hex(data), to_hex(v.msg));
  Bytes sealed = v.msg, tag(v.tag.size());
  ASSERT_TRUE(ccm128_seal(params(v), sealed.data(), sealed.size(), tag.data()));
  EXPECT_EQ(to_hex(sealed), to_hex(v.ct));
  EXPECT_EQ(to_hex(tag), to_hex(v.tag));
}

// The same through the Aead seam the frame codec uses.
void check_seam(const CcmVector& v) {
  SCOPED_TRACE(v.name);
  const Aead& aead = portable_aead();
  Bytes data = v.ct;
  EXPECT_EQ(aead.open(v.key.data(), v.nonce.data(), v.ad.data(), v.ad.size(), data.data(),
                      data.size(), v.tag.data()),
            v.valid);
  if (!v.valid) return;
  EXPECT_EQ(to_hex(data), to_hex(v.msg));
  Bytes sealed = v.msg;
  std::uint8_t tag[kTagSize];
  ASSERT_TRUE(aead.seal(v.key.data(), v.nonce.data(), v.ad.data(), v.ad.size(), sealed.data(),
                        sealed.size(), tag));
  EXPECT_EQ(to_hex(sealed), to_hex(v.ct));
  EXPECT_EQ(to_hex(tag, kTagSize), to_hex(v.tag));
}

TEST(Aes128, Fips197AppendixC1) {
  Bytes key = from_hex("000102030405060708090a0b0c0d0e0f");
  Bytes block = from_hex("00112233445566778899aabbccddeeff");
  Aes128Key k;
  aes128_expand_key(key.data(), &k);
  aes128_encrypt(k, block.data(), block.data());
  EXPECT_EQ(to_hex(block), "69c4e0d86a7b0430d8cdb78070b4c55a");
}

TEST(Aes128, Fips197AppendixA1KeyExpansion) {
  Bytes key = from_hex("2b7e151628aed2a6abf7158809cf4f3c");
  Aes128Key k;
  aes128_expand_key(key.data(), &k);
  EXPECT_EQ(to_hex(k.round_keys + 160, 16), "d014f9a8c9ee2589e13f0cc8b6630ca6");
  Bytes block = from_hex("3243f6a8885a308d313198a2e0370734");  // Appendix B
  aes128_encrypt(k, block.data(), block.data());
  EXPECT_EQ(to_hex(block), "3925841d02dc09fbdc118597196a0b32");
}

TEST(PortableCcm, Rfc3610AndNistVectors) {
  int aes128 = 0, rfc3610 = 0, frame = 0, invalid = 0;
  for (const CcmVector& v : testing::read_mbedtls_ccm()) {
    if (v.key.size() != 16) continue;  // the portable CCM is AES-128 only
    check_portable(v);
    ++aes128;
    invalid += !v.valid;
    if (v.name.find("RFC 3610") != std::string::npos) ++rfc3610;
    if (testing::frame_params(v)) {
      check_seam(v);
      ++frame;
    }
  }
  EXPECT_EQ(rfc3610, 24);  // RFC 3610 packet vectors #1-#24, all AES-128
  EXPECT_GE(frame, 12);    // #1-6, #13-18 have M = 8, L = 2
  EXPECT_GT(aes128, 60);
  EXPECT_GT(invalid, 3);
}

TEST(PortableCcm, WycheproofAes128) {
  int aes128 = 0, valid = 0, invalid = 0;
  for (const CcmVector& v : testing::read_wycheproof_ccm()) {
    if (v.key.size() != 16) continue;
    check_portable(v);
    ++aes128;
    (v.valid ? valid : invalid)++;
  }
  EXPECT_GT(aes128, 150);
  EXPECT_GT(valid, 100);
  EXPECT_GT(invalid, 30);  // tampered tags, and nonce/tag sizes CCM does not define
}

TEST(PortableCcm, RejectsParametersCcmDoesNotDefine) {
  std::uint8_t key[16] = {}, nonce[16] = {}, data[4] = {1, 2, 3, 4}, tag[16] = {};
  EXPECT_FALSE(ccm128_seal({key, nonce, 6, nullptr, 0, 8}, data, 4, tag));
  EXPECT_FALSE(ccm128_seal({key, nonce, 14, nullptr, 0, 8}, data, 4, tag));
  EXPECT_FALSE(ccm128_seal({key, nonce, 13, nullptr, 0, 7}, data, 4, tag));
  EXPECT_FALSE(ccm128_seal({key, nonce, 13, nullptr, 0, 18}, data, 4, tag));
  EXPECT_EQ(data[0], 1) << "a refused seal must not touch the data";
  // L = 2 bounds the message at 65535 bytes.
  std::vector<std::uint8_t> big(65536);
  EXPECT_FALSE(ccm128_seal({key, nonce, 13, nullptr, 0, 8}, big.data(), big.size(), tag));
  EXPECT_TRUE(ccm128_seal({key, nonce, 13, nullptr, 0, 8}, big.data(), big.size() - 1, tag));
  EXPECT_TRUE(ccm128_seal({key, nonce, 13, nullptr, 0, 8}, data, 4, tag));
}

TEST(PortableCcm, ConstantTimeCompareIsAnEqualityTest) {
  std::uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_TRUE(equal_ct(a, b, 8));
  for (int i = 0; i < 64; ++i) {
    b[i / 8] ^= static_cast<std::uint8_t>(1 << (i % 8));
    EXPECT_FALSE(equal_ct(a, b, 8)) << "bit " << i;
    b[i / 8] ^= static_cast<std::uint8_t>(1 << (i % 8));
  }
}

struct RandomCase {
  Bytes key, nonce, ad, msg;
  std::size_t tag_len;
};

RandomCase random_case(std::mt19937& rng) {
  auto bytes = [&](std::size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
  };
  RandomCase c;
  c.key = bytes(16);
  c.nonce = bytes(7 + rng() % 7);
  // Mostly frame-sized inputs, sometimes long ones that cross many blocks.
  c.ad = bytes(rng() % 4 == 0 ? rng() % 300 : rng() % 20);
  c.msg = bytes(rng() % 4 == 0 ? rng() % 300 : rng() % 40);
  c.tag_len = 4 + 2 * (rng() % 7);
  return c;
}

TEST(PortableCcm, AgreesWithOpensslOnRandomCases) {
  std::mt19937 rng(20240611);
  for (int i = 0; i < 4000; ++i) {
    RandomCase c = random_case(rng);
    SCOPED_TRACE("case " + std::to_string(i));
    CcmParams op{c.key.data(), 16,          c.nonce.data(), c.nonce.size(),
                 c.ad.data(),  c.ad.size(), c.tag_len};
    Ccm128Params pp{c.key.data(), c.nonce.data(), c.nonce.size(),
                    c.ad.data(),  c.ad.size(),    c.tag_len};
    Bytes a = c.msg, b = c.msg, tag_a(c.tag_len), tag_b(c.tag_len);
    ASSERT_TRUE(ccm_seal(op, a.data(), a.size(), tag_a.data()));
    ASSERT_TRUE(ccm128_seal(pp, b.data(), b.size(), tag_b.data()));
    ASSERT_EQ(to_hex(a), to_hex(b));
    ASSERT_EQ(to_hex(tag_a), to_hex(tag_b));
    // Each opens what the other sealed.
    Bytes pa = a, pb = b;
    ASSERT_TRUE(ccm128_open(pp, pa.data(), pa.size(), tag_a.data()));
    ASSERT_TRUE(ccm_open(op, pb.data(), pb.size(), tag_b.data()));
    ASSERT_EQ(pa, c.msg);
    ASSERT_EQ(pb, c.msg);
    // A tampered tag, ciphertext or AD fails in both, leaving zeros.
    Bytes bad_tag = tag_a;
    bad_tag[rng() % bad_tag.size()] ^= static_cast<std::uint8_t>(1 << (rng() % 8));
    Bytes x = a, y = a;
    ASSERT_FALSE(ccm128_open(pp, x.data(), x.size(), bad_tag.data()));
    ASSERT_FALSE(ccm_open(op, y.data(), y.size(), bad_tag.data()));
    ASSERT_EQ(x, Bytes(a.size(), 0));
    if (!a.empty()) {
      Bytes z = a;
      z[rng() % z.size()] ^= 0x80;
      Bytes z2 = z;
      EXPECT_FALSE(ccm128_open(pp, z.data(), z.size(), tag_a.data()));
      EXPECT_FALSE(ccm_open(op, z2.data(), z2.size(), tag_a.data()));
    }
  }
}

TEST(PortableCcm, FramesSealedByOneOpenWithTheOther) {
  std::mt19937 rng(7);
  const Aead& mine = portable_aead();
  const Aead& ossl = openssl_aead();
  for (int i = 0; i < 2000; ++i) {
    std::uint8_t key[kKeySize];
    for (auto& b : key) b = static_cast<std::uint8_t>(rng());
    auto id = static_cast<std::uint16_t>(rng());
    auto counter = static_cast<std::uint32_t>(rng());
    Measurement m{static_cast<std::int32_t>(rng()), static_cast<std::uint32_t>(rng()),
                  static_cast<std::uint16_t>(rng()), static_cast<std::uint16_t>(rng()),
                  static_cast<std::uint8_t>(rng())};
    std::uint8_t fa[kMaxFrame], fb[kMaxFrame];
    std::size_t na = seal_measurement(id, counter, m, key, mine, fa);
    std::size_t nb = seal_measurement(id, counter, m, key, ossl, fb);
    ASSERT_EQ(na, kMeasurementFrame);
    ASSERT_EQ(to_hex(fa, na), to_hex(fb, nb));
    Measurement back{};
    ASSERT_EQ(open_measurement(fa, na, key, ossl, &back), FrameError::kOk);
    EXPECT_EQ(back.energy_wh, m.energy_wh);
    ASSERT_EQ(open_measurement(fb, nb, key, mine, &back), FrameError::kOk);
    EXPECT_EQ(back.power_w, m.power_w);
    Hello h{static_cast<std::uint16_t>(rng()), static_cast<std::uint16_t>(rng()),
            static_cast<std::uint16_t>(rng()), 0};
    na = seal_hello(id, counter, h, key, mine, fa);
    nb = seal_hello(id, counter, h, key, ossl, fb);
    ASSERT_EQ(to_hex(fa, na), to_hex(fb, nb));
    Hello hb{};
    ASSERT_EQ(open_hello(fa, na, key, ossl, &hb), FrameError::kOk);
    ASSERT_EQ(open_hello(fb, nb, key, mine, &hb), FrameError::kOk);
    EXPECT_EQ(hb.period_s, h.period_s);
  }
}

TEST(PortableCcm, WorkedExampleOfTheProtocolDoc) {
  // docs/protocol.md, "Worked example".
  Bytes key = from_hex("000102030405060708090a0b0c0d0e0f");
  Measurement m{1234, 567890, 2301, 3300, kFlagReboot};
  std::uint8_t out[kMaxFrame];
  std::size_t n = seal_measurement(42, 1000, m, key.data(), portable_aead(), out);
  EXPECT_EQ(to_hex(out, n), "212a00e8030000c93132593cdd87da97b7c6003d9c14c00edfabf321");
  Hello h{0x0102, 7, 10, 0};
  n = seal_hello(42, 999, h, key.data(), portable_aead(), out);
  EXPECT_EQ(to_hex(out, n), "222a00e703000074e018fe16ca774f1dc1b09cef0f69");
}

}  // namespace
}  // namespace cw::protocol
