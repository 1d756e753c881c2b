#include "ingest/gateway_framing.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace cw::ingest {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes encode(const Bytes& payload) {
  std::uint8_t out[kGatewayMaxEncoded];
  std::size_t n = gateway_encode(payload.data(), payload.size(), out, sizeof out);
  return {out, out + n};
}

struct Decoded {
  std::vector<Bytes> frames;
  std::vector<GatewayError> errors;
};

Decoded decode(const Bytes& stream, GatewayDecoder& d) {
  Decoded out;
  for (auto b : stream) {
    switch (d.push(b)) {
      case GatewayDecoder::Event::kFrame:
        out.frames.emplace_back(d.frame(), d.frame() + d.frame_size());
        break;
      case GatewayDecoder::Event::kError:
        out.errors.push_back(d.error());
        break;
      case GatewayDecoder::Event::kNone:
        break;
    }
  }
  return out;
}

Decoded decode(const Bytes& stream) {
  GatewayDecoder d;
  return decode(stream, d);
}

TEST(GatewayFraming, CrcMatchesTheCatalogueCheckValue) {
  const std::string check = "123456789";
  EXPECT_EQ(crc16_ccitt_false(reinterpret_cast<const std::uint8_t*>(check.data()), check.size()),
            0x29B1);
}

Bytes from_hex(const std::string& h) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

TEST(GatewayFraming, WorkedExamplesFromTheSpec) {
  // docs/protocol.md, "Radio inputs": escaping, and the radio frame v2 worked example.
  Bytes payload = {0x01, 0x7E, 0x7D, 0x02};
  EXPECT_EQ(crc16_ccitt_false(payload.data(), payload.size()), 0x6F3A);
  EXPECT_EQ(encode(payload), from_hex("7e017d5e7d5d026f3a7e"));
  Bytes v2 = from_hex("212a00e8030000c93132593cdd87da97b7c6003d9c14c00edfabf321");
  EXPECT_EQ(encode(v2),
            from_hex("7e212a00e8030000c93132593cdd87da97b7c6003d9c14c00edfabf3212c5f7e"));
  for (const Bytes& p : {payload, v2}) {
    auto d = decode(encode(p));
    ASSERT_EQ(d.frames.size(), 1u);
    EXPECT_EQ(d.frames[0], p);
    EXPECT_TRUE(d.errors.empty());
  }
}

TEST(GatewayFraming, EncoderRefusesEmptyOversizedAndShortBuffers) {
  std::uint8_t out[kGatewayMaxEncoded];
  Bytes big(kGatewayMaxPayload + 1, 1);
  EXPECT_EQ(gateway_encode(big.data(), 0, out, sizeof out), 0u);
  EXPECT_EQ(gateway_encode(big.data(), big.size(), out, sizeof out), 0u);
  Bytes flags(kGatewayMaxPayload, 0x7E);  // worst case: every payload byte escaped
  std::size_t n = gateway_encode(flags.data(), flags.size(), out, sizeof out);
  EXPECT_GE(n, 2 + 2 * kGatewayMaxPayload + 2);
  EXPECT_LE(n, kGatewayMaxEncoded);
  EXPECT_EQ(gateway_encode(flags.data(), flags.size(), out, 10), 0u);
}

TEST(GatewayFraming, ResynchronisesAfterNoiseCorruptionAndTruncation) {
  Bytes a = {0x21, 1, 2, 3}, b = {0x21, 4, 5}, c = {0x7E, 0x7D, 9};
  Bytes stream = {0x55, 0x13, 0x00};  // line noise before the first flag
  for (auto x : encode(a)) stream.push_back(x);
  Bytes bad = encode(b);
  bad[2] ^= 0x01;  // corrupt a payload byte: CRC fails
  stream.insert(stream.end(), bad.begin(), bad.end());
  Bytes cut = encode(b);
  stream.insert(stream.end(), cut.begin(), cut.begin() + 3);  // gateway reset mid-frame
  stream.insert(stream.end(), {0x7D, 0x11});                  // an invalid escape
  for (auto x : encode(c)) stream.push_back(x);
  stream.insert(stream.end(), {0x7E, 0x7E, 0x7E});  // idle flags are not errors
  for (auto x : encode(b)) stream.push_back(x);
  auto d = decode(stream);
  ASSERT_EQ(d.frames.size(), 3u);
  EXPECT_EQ(d.frames[0], a);
  EXPECT_EQ(d.frames[1], c);
  EXPECT_EQ(d.frames[2], b);
  // noise → bad CRC; corrupted → bad CRC; truncated + bad escape → one bad_escape
  EXPECT_EQ(d.errors, (std::vector<GatewayError>{GatewayError::kBadCrc, GatewayError::kBadCrc,
                                                 GatewayError::kBadEscape}));
}

TEST(GatewayFraming, ShortAndOverlongFramesAreErrors) {
  auto d = decode({0x7E, 0x01, 0x02, 0x7E});
  EXPECT_EQ(d.errors, std::vector<GatewayError>{GatewayError::kTooShort});
  Bytes longer(kGatewayMaxPayload + 3, 0x11);
  longer.insert(longer.begin(), 0x7E);
  longer.push_back(0x7E);
  Bytes good = {5, 6, 7};
  for (auto x : encode(good)) longer.push_back(x);
  d = decode(longer);
  EXPECT_EQ(d.errors, std::vector<GatewayError>{GatewayError::kTooLong});
  ASSERT_EQ(d.frames.size(), 1u);
  EXPECT_EQ(d.frames[0], good);
}

TEST(GatewayFraming, EveryPayloadRoundTripsByteByByte) {
  std::mt19937 rng(42);
  GatewayDecoder d;  // one decoder across all frames, as on a serial line
  for (int i = 0; i < 2000; ++i) {
    Bytes p(1 + rng() % kGatewayMaxPayload);
    for (auto& b : p) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? 0x7E + rng() % 2 : rng());
    auto out = decode(encode(p), d);
    ASSERT_EQ(out.frames.size(), 1u);
    ASSERT_EQ(out.frames[0], p);
    ASSERT_TRUE(out.errors.empty());
  }
}

TEST(GatewayFraming, RandomStreamsNeverCrashAndDecodedFramesReencode) {
  // The fuzz target's property, run deterministically in CI.
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    Bytes s(rng() % 200);
    for (auto& b : s) b = static_cast<std::uint8_t>(rng() % 8 == 0 ? 0x7E : rng());
    for (const auto& f : decode(s).frames) {
      ASSERT_GE(f.size(), 1u);
      ASSERT_LE(f.size(), kGatewayMaxPayload);
      auto again = decode(encode(f));
      ASSERT_EQ(again.frames, std::vector<Bytes>{f});
    }
  }
}

}  // namespace
}  // namespace cw::ingest
