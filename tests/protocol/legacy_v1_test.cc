// Legacy v1 frames: the <HHHLlH> layout, the portable AES (firmware side) against OpenSSL's
// AES-128-ECB (base side), and the FIPS-197 block through both.
#include "protocol/legacy_v1.h"

#include <gtest/gtest.h>

#include <random>

#include "protocol/hex.h"
#include "protocol/host/legacy_openssl.h"

namespace cw::protocol {
namespace {

using testing::from_hex;
using testing::to_hex;

constexpr std::uint8_t kDefaultKey[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

TEST(LegacyV1, LayoutIsLittleEndianHHHLlH) {
  LegacyReading r{478, 0, 3283, 0x01020304, -2, 0xBEEF};
  std::uint8_t b[kLegacyFrame];
  legacy_pack(r, b);
  // struct.pack("<HHHLlH", 478, 0, 3283, 0x01020304, -2, 0xBEEF)
  EXPECT_EQ(to_hex(b, sizeof b), "de010000d30c04030201feffffffefbe");
  LegacyReading back{};
  legacy_unpack(b, &back);
  EXPECT_EQ(back.power_w, 478);
  EXPECT_EQ(back.battery_mv, 3283);
  EXPECT_EQ(back.timer_ms, 0x01020304u);
  EXPECT_EQ(back.padding4, -2);
  EXPECT_EQ(back.padding2, 0xBEEF);
}

TEST(LegacyV1, PowerIsUnsignedAsTheOriginalBaseDecodedIt) {
  // The AVR sent a signed int; process.py unpacked it with "H". -1 reads 65535.
  std::uint8_t b[kLegacyFrame] = {0xFF, 0xFF};
  LegacyReading r{};
  legacy_unpack(b, &r);
  EXPECT_EQ(r.power_w, 65535);
}

TEST(LegacyV1, EcbIsFips197) {
  auto key = from_hex("000102030405060708090a0b0c0d0e0f");
  auto pt = from_hex("00112233445566778899aabbccddeeff");
  std::uint8_t ct[16], back[16];
  ASSERT_TRUE(legacy_encrypt_block(key.data(), pt.data(), ct));
  EXPECT_EQ(to_hex(ct, 16), "69c4e0d86a7b0430d8cdb78070b4c55a");
  ASSERT_TRUE(legacy_decrypt_block(key.data(), ct, back));
  EXPECT_EQ(to_hex(back, 16), to_hex(pt));
}

TEST(LegacyV1, FirmwareSealOpensOnTheBase) {
  std::mt19937 rng(3);
  for (int i = 0; i < 1000; ++i) {
    std::uint8_t key[16];
    for (auto& k : key) k = static_cast<std::uint8_t>(rng());
    LegacyReading r{static_cast<std::uint16_t>(rng()), static_cast<std::uint16_t>(rng()),
                    static_cast<std::uint16_t>(rng()), static_cast<std::uint32_t>(rng()),
                    static_cast<std::int32_t>(rng()),  static_cast<std::uint16_t>(rng())};
    std::uint8_t frame[kLegacyFrame], plain[kLegacyFrame], ossl[kLegacyFrame];
    legacy_seal(r, key, frame);
    legacy_pack(r, plain);
    ASSERT_TRUE(legacy_encrypt_block(key, plain, ossl));
    ASSERT_EQ(to_hex(frame, 16), to_hex(ossl, 16));
    LegacyReading back{};
    ASSERT_TRUE(open_legacy_v1(frame, sizeof frame, key, &back));
    ASSERT_EQ(back.power_w, r.power_w);
    ASSERT_EQ(back.timer_ms, r.timer_ms);
    ASSERT_EQ(back.padding4, r.padding4);
  }
}

TEST(LegacyV1, OnlySixteenBytesOpen) {
  std::uint8_t buf[17] = {};
  LegacyReading r{};
  EXPECT_FALSE(open_legacy_v1(buf, 15, kDefaultKey, &r));
  EXPECT_FALSE(open_legacy_v1(buf, 17, kDefaultKey, &r));
  EXPECT_FALSE(open_legacy_v1(nullptr, 16, kDefaultKey, &r));
  EXPECT_TRUE(open_legacy_v1(buf, 16, kDefaultKey, &r));
}

}  // namespace
}  // namespace cw::protocol
