// The OpenSSL AES-CCM seam against published vectors: RFC 3610 and NIST CAVP (from the Mbed TLS
// test suite) and Wycheproof. The frame parameters (AES-128, 13-byte nonce, 8-byte tag) go
// through openssl_aead() itself; every other AES vector goes through the general ccm_seal /
// ccm_open that openssl_aead() is built on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/ccm_vectors.h"
#include "protocol/hex.h"
#include "protocol/host/openssl_aead.h"

namespace cw::protocol {
namespace {

using testing::from_hex;
using testing::to_hex;
using testing::Bytes;
using Vector = testing::CcmVector;
using testing::frame_params;

std::vector<Vector> read_mbedtls() { return testing::read_mbedtls_ccm(); }
std::vector<Vector> read_wycheproof() { return testing::read_wycheproof_ccm(); }

CcmParams params(const Vector& v) {
  return {v.key.data(), v.key.size(), v.nonce.data(), v.nonce.size(),
          v.ad.data(),  v.ad.size(),  v.tag.size()};
}

// Checks one vector with the general functions.
void check_general(const Vector& v) {
  SCOPED_TRACE(v.name);
  Bytes data = v.ct;
  bool opened = ccm_open(params(v), data.data(), data.size(), v.tag.data());
  if (!v.valid) {
    EXPECT_FALSE(opened);
    EXPECT_EQ(data, Bytes(v.ct.size(), 0)) << "plaintext left behind after a failed open";
    return;
  }
  ASSERT_TRUE(opened);
  EXPECT_EQ(to_hex(data), to_hex(v.msg));
  Bytes sealed = v.msg, tag(v.tag.size());
  ASSERT_TRUE(ccm_seal(params(v), sealed.data(), sealed.size(), tag.data()));
  EXPECT_EQ(to_hex(sealed), to_hex(v.ct));
  EXPECT_EQ(to_hex(tag), to_hex(v.tag));
}

// Checks one frame-parameter vector through the Aead seam the codec uses.
void check_frame_aead(const Vector& v) {
  SCOPED_TRACE(v.name);
  const Aead& aead = openssl_aead();
  Bytes data = v.ct;
  bool opened = aead.open(v.key.data(), v.nonce.data(), v.ad.data(), v.ad.size(), data.data(),
                          data.size(), v.tag.data());
  EXPECT_EQ(opened, v.valid);
  if (!v.valid) {
    EXPECT_EQ(data, Bytes(v.ct.size(), 0));
    return;
  }
  EXPECT_EQ(to_hex(data), to_hex(v.msg));
  Bytes sealed = v.msg;
  std::uint8_t tag[kTagSize];
  ASSERT_TRUE(aead.seal(v.key.data(), v.nonce.data(), v.ad.data(), v.ad.size(), sealed.data(),
                        sealed.size(), tag));
  EXPECT_EQ(to_hex(sealed), to_hex(v.ct));
  EXPECT_EQ(to_hex(tag, kTagSize), to_hex(v.tag));
}

TEST(OpensslAead, Rfc3610PacketVector1) {
  // RFC 3610 section 8, packet vector #1, spelled out so a failure reads plainly.
  Vector v;
  v.name = "RFC 3610 #1";
  v.key = from_hex("C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF");
  v.nonce = from_hex("00000003020100A0A1A2A3A4A5");
  v.ad = from_hex("0001020304050607");
  v.msg = from_hex("08090A0B0C0D0E0F101112131415161718191A1B1C1D1E");
  v.ct = from_hex("588C979A61C663D2F066D0C2C0F989806D5F6B61DAC384");
  v.tag = from_hex("17E8D12CFDF926E0");
  check_frame_aead(v);
}

TEST(OpensslAead, MbedtlsVectorsWithFrameParameters) {
  int count = 0, rfc3610 = 0;
  for (const Vector& v : read_mbedtls()) {
    if (!frame_params(v)) continue;
    check_frame_aead(v);
    ++count;
    if (v.name.find("RFC 3610") != std::string::npos) ++rfc3610;
  }
  EXPECT_EQ(rfc3610, 12);  // RFC 3610 #1-6 and #13-18 have M = 8
  EXPECT_GE(count, 12);
}

TEST(OpensslAead, AllMbedtlsAesVectorsThroughGeneralCcm) {
  auto vectors = read_mbedtls();
  int invalid = 0;
  for (const Vector& v : vectors) {
    check_general(v);
    invalid += !v.valid;
  }
  EXPECT_GT(vectors.size(), 200u);
  EXPECT_GT(invalid, 10);  // the NIST decryption-verification vectors that must fail
}

TEST(OpensslAead, WycheproofAesCcm) {
  auto vectors = read_wycheproof();
  ASSERT_EQ(vectors.size(), 552u);  // SOURCE.md: 405 valid, 147 invalid
  int valid = 0, frame = 0;
  for (const Vector& v : vectors) {
    check_general(v);
    valid += v.valid;
    if (frame_params(v)) {
      check_frame_aead(v);
      ++frame;
    }
  }
  EXPECT_EQ(valid, 405);
  // Wycheproof has no AES-128 / 13-byte nonce / 8-byte tag group (its 13-byte nonces come only
  // with 16-byte tags); those parameters are covered by the RFC 3610 vectors above.
  EXPECT_EQ(frame, 0);
}

TEST(OpensslAead, RejectsParametersCcmDoesNotDefine) {
  std::uint8_t key[16] = {}, nonce[16] = {}, data[4] = {1, 2, 3, 4}, tag[16] = {};
  EXPECT_FALSE(ccm_seal({key, 16, nonce, 6, nullptr, 0, 8}, data, 4, tag));
  EXPECT_FALSE(ccm_seal({key, 16, nonce, 14, nullptr, 0, 8}, data, 4, tag));
  EXPECT_FALSE(ccm_seal({key, 16, nonce, 13, nullptr, 0, 7}, data, 4, tag));
  EXPECT_FALSE(ccm_seal({key, 15, nonce, 13, nullptr, 0, 8}, data, 4, tag));
  EXPECT_TRUE(ccm_seal({key, 16, nonce, 13, nullptr, 0, 8}, data, 4, tag));
}

}  // namespace
}  // namespace cw::protocol
