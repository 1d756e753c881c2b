// Frame v2 codec with the real OpenSSL AEAD: round trips, tampering, lengths, keys, nonces and
// the known-answer frame printed in docs/protocol.md.
#include "protocol/frame.h"

#include <gtest/gtest.h>

#include <array>
#include <climits>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "protocol/hex.h"
#include "protocol/host/openssl_aead.h"

namespace cw::protocol {
namespace {

using testing::from_hex;
using testing::to_hex;

constexpr std::uint8_t kKey[kKeySize] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// The example of docs/protocol.md, computed independently (Python `cryptography` AESCCM).
constexpr const char* kExampleMeasurement =
    "212a00e8030000c93132593cdd87da97b7c6003d9c14c00edfabf321";
constexpr const char* kExampleHello = "222a00e703000074e018fe16ca774f1dc1b09cef0f69";
constexpr const char* kExampleNegative = "212a00e9030000fa409c825dafda8d1cd64ce583f9bf0992e8df0ef3";

Measurement example_measurement() {
  return {1234, 567890, 2301, 3300, kFlagReboot};
}
Hello example_hello() {
  return {0x0102, 7, 10, 0};
}

std::vector<std::uint8_t> seal_m(std::uint16_t id, std::uint32_t counter, const Measurement& m,
                                 const std::uint8_t* key = kKey) {
  std::uint8_t out[kMaxFrame];
  std::size_t n = seal_measurement(id, counter, m, key, openssl_aead(), out);
  return {out, out + n};
}

std::vector<std::uint8_t> seal_h(std::uint16_t id, std::uint32_t counter, const Hello& h) {
  std::uint8_t out[kMaxFrame];
  std::size_t n = seal_hello(id, counter, h, kKey, openssl_aead(), out);
  return {out, out + n};
}

FrameError open_m(const std::vector<std::uint8_t>& f, Measurement* m,
                  const std::uint8_t* key = kKey) {
  return open_measurement(f.data(), f.size(), key, openssl_aead(), m);
}

FrameError open_h(const std::vector<std::uint8_t>& f, Hello* h) {
  return open_hello(f.data(), f.size(), kKey, openssl_aead(), h);
}

// Whichever open fits the frame's type byte (so a flipped type bit reaches parse_header).
FrameError open_any(const std::vector<std::uint8_t>& f) {
  Measurement m;
  Hello h;
  return (f[0] & 0x0F) == 2 ? open_h(f, &h) : open_m(f, &m);
}

bool same(const Measurement& a, const Measurement& b) {
  return a.power_w == b.power_w && a.energy_wh == b.energy_wh && a.voltage_dv == b.voltage_dv &&
         a.supply_mv == b.supply_mv && a.flags == b.flags;
}

TEST(Frame, KnownAnswerMatchesDocsAndIndependentImplementation) {
  EXPECT_EQ(to_hex(seal_m(42, 1000, example_measurement())), kExampleMeasurement);
  EXPECT_EQ(to_hex(seal_h(42, 999, example_hello())), kExampleHello);
  Measurement neg = example_measurement();
  neg.power_w = -250;
  neg.flags = 0;
  EXPECT_EQ(to_hex(seal_m(42, 1001, neg)), kExampleNegative);

  std::ifstream doc(std::string(CW_SOURCE_DIR) + "/docs/protocol.md");
  std::stringstream text;
  text << doc.rdbuf();
  EXPECT_NE(text.str().find(kExampleMeasurement), std::string::npos)
      << "docs/protocol.md must show the example measurement frame";
  EXPECT_NE(text.str().find(kExampleHello), std::string::npos);
}

TEST(Frame, HeaderIsClearAndLittleEndian) {
  auto f = seal_m(0x1234, 0xA1B2C3D4, example_measurement());
  ASSERT_EQ(f.size(), kMeasurementFrame);
  EXPECT_EQ(to_hex(f.data(), kHeaderSize), "213412d4c3b2a1");
  Header h;
  ASSERT_EQ(parse_header(f.data(), f.size(), &h), FrameError::kOk);
  EXPECT_EQ(h.version, 2);
  EXPECT_EQ(h.type, FrameType::kMeasurement);
  EXPECT_EQ(h.sensor_id, 0x1234);
  EXPECT_EQ(h.counter, 0xA1B2C3D4u);
}

TEST(Frame, MeasurementRoundTripsIncludingExtremes) {
  const Measurement cases[] = {example_measurement(),
                               {0, 0, 0, 0, 0},
                               {-1, 1, 1, 1, kFlagApparentOnly},
                               {INT32_MIN, UINT32_MAX, UINT16_MAX, UINT16_MAX, 0xFF},
                               {INT32_MAX, 0x80000000u, 0x8000, 0x7FFF, kFlagLowBattery}};
  std::uint32_t counter = 1;
  for (const Measurement& m : cases) {
    auto f = seal_m(7, counter++, m);
    ASSERT_EQ(f.size(), kMeasurementFrame);
    Measurement back{};
    ASSERT_EQ(open_m(f, &back), FrameError::kOk);
    EXPECT_TRUE(same(back, m)) << back.power_w << " " << back.energy_wh;
  }
}

TEST(Frame, HelloRoundTrips) {
  const Hello cases[] = {example_hello(), {0, 0, 0, 0}, {0xFFFF, 0xFFFF, 0xFFFF, 0xFF}};
  for (const Hello& h : cases) {
    auto f = seal_h(65535, UINT32_MAX, h);
    ASSERT_EQ(f.size(), kHelloFrame);
    Hello back{};
    ASSERT_EQ(open_h(f, &back), FrameError::kOk);
    EXPECT_EQ(back.firmware_version, h.firmware_version);
    EXPECT_EQ(back.calibration_id, h.calibration_id);
    EXPECT_EQ(back.period_s, h.period_s);
    EXPECT_EQ(back.flags, h.flags);
  }
}

// Every single-bit flip anywhere in a valid frame is refused, for the right reason.
void expect_every_bit_flip_rejected(const std::vector<std::uint8_t>& good) {
  ASSERT_EQ(open_any(good), FrameError::kOk);
  for (std::size_t byte = 0; byte < good.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      auto f = good;
      f[byte] ^= static_cast<std::uint8_t>(1u << bit);
      FrameError want = FrameError::kBadTag;
      if (byte == 0) want = bit >= 4 ? FrameError::kWrongVersion : FrameError::kUnknownType;
      EXPECT_EQ(open_any(f), want) << "byte " << byte << " bit " << bit;
    }
  }
}

TEST(Frame, EveryBitFlipOfAMeasurementIsRejected) {
  expect_every_bit_flip_rejected(seal_m(42, 1000, example_measurement()));
}

TEST(Frame, EveryBitFlipOfAHelloIsRejected) {
  expect_every_bit_flip_rejected(seal_h(42, 999, example_hello()));
}

TEST(Frame, TruncationsAreTooShort) {
  for (const auto& good : {seal_m(1, 2, example_measurement()), seal_h(1, 1, example_hello())}) {
    for (std::size_t len = 0; len < good.size(); ++len) {
      Header h;
      EXPECT_EQ(parse_header(good.data(), len, &h), FrameError::kTooShort) << len;
      std::vector<std::uint8_t> cut(good.begin(), good.begin() + len);
      if (len > 0) {
        EXPECT_EQ(open_any(cut), FrameError::kTooShort) << len;
      }
    }
  }
  EXPECT_EQ(parse_header(nullptr, 0, nullptr), FrameError::kTooShort);
}

TEST(Frame, OverLongFramesAreTooLong) {
  for (const auto& good : {seal_m(1, 2, example_measurement()), seal_h(1, 1, example_hello())}) {
    for (std::size_t extra = 1; extra <= 40; ++extra) {
      auto f = good;
      f.resize(good.size() + extra, 0);
      EXPECT_EQ(parse_header(f.data(), f.size(), nullptr), FrameError::kTooLong) << extra;
      EXPECT_EQ(open_any(f), FrameError::kTooLong) << extra;
    }
  }
}

TEST(Frame, VersionAndTypeAreChecked) {
  auto f = seal_m(1, 2, example_measurement());
  for (std::uint8_t b0 : {0x01, 0x11, 0x31, 0xF1}) {
    f[0] = b0;
    EXPECT_EQ(parse_header(f.data(), f.size(), nullptr), FrameError::kWrongVersion);
  }
  for (std::uint8_t b0 : {0x20, 0x23, 0x2F}) {
    f[0] = b0;
    EXPECT_EQ(parse_header(f.data(), f.size(), nullptr), FrameError::kUnknownType);
  }
  // A valid hello handed to open_measurement (and the reverse) is the wrong type for the call.
  Measurement m;
  Hello h;
  auto hello = seal_h(1, 3, example_hello());
  EXPECT_EQ(open_measurement(hello.data(), hello.size(), kKey, openssl_aead(), &m),
            FrameError::kUnknownType);
  auto meas = seal_m(1, 4, example_measurement());
  EXPECT_EQ(open_hello(meas.data(), meas.size(), kKey, openssl_aead(), &h),
            FrameError::kUnknownType);
}

TEST(Frame, WrongKeyIsBadTagAndLeavesOutputUntouched) {
  std::uint8_t other[kKeySize];
  for (std::size_t i = 0; i < kKeySize; ++i) other[i] = kKey[i];
  other[15] ^= 0x80;
  auto f = seal_m(42, 1000, example_measurement());
  Measurement out{-7, 7, 7, 7, 7};
  EXPECT_EQ(open_m(f, &out, other), FrameError::kBadTag);
  EXPECT_TRUE(same(out, Measurement{-7, 7, 7, 7, 7}));
  EXPECT_NE(to_hex(seal_m(42, 1000, example_measurement(), other)), kExampleMeasurement);
}

TEST(Frame, FailedOpenLeavesNoPlaintextInTheAeadBuffer) {
  auto f = seal_m(42, 1000, example_measurement());
  std::uint8_t nonce[kNonceSize] = {0x2a, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x21};
  std::array<std::uint8_t, kMeasurementPayload> data;
  std::copy(f.begin() + kHeaderSize, f.begin() + kHeaderSize + data.size(), data.begin());
  std::uint8_t bad_tag[kTagSize];
  std::copy(f.end() - kTagSize, f.end(), bad_tag);
  bad_tag[0] ^= 1;
  EXPECT_FALSE(
      openssl_aead().open(kKey, nonce, f.data(), kHeaderSize, data.data(), data.size(), bad_tag));
  EXPECT_EQ(data, decltype(data){}) << "plaintext (or ciphertext) left behind";
  // The same call with the right tag works: the nonce above is the documented construction.
  std::copy(f.begin() + kHeaderSize, f.begin() + kHeaderSize + data.size(), data.begin());
  EXPECT_TRUE(openssl_aead().open(kKey, nonce, f.data(), kHeaderSize, data.data(), data.size(),
                                  &f[f.size() - kTagSize]));
  EXPECT_EQ(to_hex(data.data(), data.size()), "d204000052aa0800fd08e40c01");
}

// An AEAD that records each nonce it is asked to seal with.
std::vector<std::array<std::uint8_t, kNonceSize>>* g_nonces = nullptr;
bool recording_seal(const std::uint8_t key[kKeySize], const std::uint8_t nonce[kNonceSize],
                    const std::uint8_t* ad, std::size_t ad_len, std::uint8_t* data, std::size_t len,
                    std::uint8_t tag[kTagSize]) {
  std::array<std::uint8_t, kNonceSize> n;
  std::copy(nonce, nonce + kNonceSize, n.begin());
  g_nonces->push_back(n);
  return openssl_aead().seal(key, nonce, ad, ad_len, data, len, tag);
}

TEST(Frame, NoncesAreUniqueAcrossSensorsCountersAndTypes) {
  std::vector<std::array<std::uint8_t, kNonceSize>> nonces;
  g_nonces = &nonces;
  const Aead recording{&recording_seal, openssl_aead().open};
  std::set<std::string> ciphertexts;
  std::uint8_t out[kMaxFrame];
  for (std::uint16_t id : {0, 1, 2, 255, 256, 65535}) {
    for (std::uint32_t c : {0u, 1u, 2u, 255u, 256u, 65536u, 16777216u, UINT32_MAX}) {
      // The same plaintext each time: only the nonce can make the ciphertexts differ.
      std::size_t n = seal_measurement(id, c, example_measurement(), kKey, recording, out);
      ASSERT_EQ(n, kMeasurementFrame);
      ciphertexts.insert(to_hex(out + kHeaderSize, kMeasurementPayload));
      ASSERT_EQ(seal_hello(id, c, example_hello(), kKey, recording, out), kHelloFrame);
    }
  }
  g_nonces = nullptr;
  std::set<std::array<std::uint8_t, kNonceSize>> unique(nonces.begin(), nonces.end());
  EXPECT_EQ(nonces.size(), 6u * 8u * 2u);
  EXPECT_EQ(unique.size(), nonces.size());
  EXPECT_EQ(ciphertexts.size(), 6u * 8u);
}

bool failing_seal(const std::uint8_t*, const std::uint8_t*, const std::uint8_t*, std::size_t,
                  std::uint8_t*, std::size_t, std::uint8_t*) {
  return false;
}

TEST(Frame, SealFailureReturnsZeroAndWipesTheBuffer) {
  const Aead broken{&failing_seal, openssl_aead().open};
  std::uint8_t out[kMaxFrame];
  EXPECT_EQ(seal_measurement(1, 1, example_measurement(), kKey, broken, out), 0u);
  EXPECT_EQ(to_hex(out, kMaxFrame), std::string(2 * kMaxFrame, '0'));
  EXPECT_EQ(seal_hello(1, 1, example_hello(), kKey, broken, out), 0u);
}

// A cheap in-suite cousin of fuzz/frame_fuzz.cc: random bytes, and random payloads behind
// valid headers, never open (and never crash the decoder).
TEST(Frame, RandomBytesNeverOpen) {
  std::uint64_t x = 0x9E3779B97F4A7C15ull;
  auto rnd = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<std::uint8_t>(x);
  };
  int opened = 0;
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::uint8_t> f(rnd() % 40);
    for (auto& b : f) b = rnd();
    if (i % 2 == 0 && !f.empty()) {
      f.resize(i % 4 == 0 ? kMeasurementFrame : kHelloFrame);
      f[0] = i % 4 == 0 ? 0x21 : 0x22;  // a valid header, a random body
    }
    Measurement m;
    Hello h;
    opened += open_measurement(f.data(), f.size(), kKey, openssl_aead(), &m) == FrameError::kOk;
    opened += open_hello(f.data(), f.size(), kKey, openssl_aead(), &h) == FrameError::kOk;
  }
  EXPECT_EQ(opened, 0);  // a 64-bit tag: a chance forgery here would be a 1-in-10^15 event
}

TEST(Frame, ErrorNamesAreStable) {
  EXPECT_STREQ(frame_error_name(FrameError::kOk), "ok");
  EXPECT_STREQ(frame_error_name(FrameError::kBadTag), "bad_tag");
  EXPECT_STREQ(frame_error_name(FrameError::kTooShort), "too_short");
  EXPECT_STREQ(frame_error_name(FrameError::kTooLong), "too_long");
  EXPECT_STREQ(frame_error_name(FrameError::kWrongVersion), "wrong_version");
  EXPECT_STREQ(frame_error_name(FrameError::kUnknownType), "unknown_type");
  EXPECT_STREQ(frame_error_name(FrameError::kSealFailed), "seal_failed");
}

}  // namespace
}  // namespace cw::protocol
