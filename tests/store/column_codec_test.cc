#include "store/column_codec.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "store/record_blocks.h"

namespace cw::store {
namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

ColumnBlock three_columns(std::vector<std::int64_t> v) {
  ColumnBlock b;
  for (Transform t : {Transform::kNone, Transform::kDelta, Transform::kDeltaOfDelta}) {
    b.columns.push_back({t, v});
  }
  return b;
}

ColumnBlock round_trip(const ColumnBlock& b) {
  auto bytes = encode_block(b);
  EXPECT_TRUE(bytes.is_ok()) << bytes.status().to_string();
  auto back = decode_block(*bytes);
  EXPECT_TRUE(back.is_ok()) << back.status().to_string();
  return back.is_ok() ? *back : ColumnBlock{};
}

TEST(ColumnCodec, RoundTripsEdgeValues) {
  for (const auto& v : std::vector<std::vector<std::int64_t>>{
           {},
           {0},
           {kMin},
           {kMax},
           {kMin, kMax, kMin, kMax, 0, -1, 1},  // deltas wrap around both ends
           {kMax, kMin, kMin, kMax},
           {1, 2, 3, 4, 5, 6, 7, 8},
       }) {
    ColumnBlock b = three_columns(v);
    EXPECT_EQ(round_trip(b), b);
  }
  ColumnBlock none;  // no columns at all
  EXPECT_EQ(round_trip(none), none);
}

TEST(ColumnCodec, RoundTripsRandomValues) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<std::int64_t> v(rng() % 300);
    for (auto& x : v) x = static_cast<std::int64_t>(rng()) >> (rng() % 64);
    ColumnBlock b = three_columns(v);
    EXPECT_EQ(round_trip(b), b);
  }
}

TEST(ColumnCodec, RefusesColumnsOfDifferentLengths) {
  ColumnBlock b;
  b.columns = {{Transform::kDelta, {1, 2}}, {Transform::kDelta, {1}}};
  EXPECT_EQ(encode_block(b).status().code(), Code::kInvalidArgument);
}

TEST(ColumnCodec, RegularTimestampsCompressToAlmostNothing) {
  ColumnBlock b;
  b.columns.push_back({Transform::kDeltaOfDelta, {}});
  for (int i = 0; i < 4096; ++i) b.columns[0].values.push_back(1704067200000 + i * 1000);
  auto bytes = encode_block(b);
  ASSERT_TRUE(bytes);
  EXPECT_LT(bytes->size(), 48u);  // header (with offset, divisor, layout) + a frame of zeros
}

TEST(ColumnCodec, QuantisedAndJitteredColumnsLoseTheirCommonFactorAndOffset) {
  // Apparent power in steps of 10 VA and receipt times jittering around a 30 s period: the
  // divisor and the median offset must take the constant part out, and all of it round-trips.
  std::mt19937_64 rng(3);
  ColumnBlock plain, scaled;
  std::int64_t t = 1509490826697, va = 270;
  for (int i = 0; i < 4096; ++i) {
    t += 30000 + std::int64_t(rng() % 41) - 20;
    va = std::max<std::int64_t>(0, va + 10 * (std::int64_t(rng() % 9) - 4));
    scaled.columns.resize(2);
    scaled.columns[0].transform = Transform::kDelta;
    scaled.columns[1].transform = Transform::kDelta;
    scaled.columns[0].values.push_back(t);
    scaled.columns[1].values.push_back(va);
    plain.columns.resize(1);
    plain.columns[0].transform = Transform::kDelta;
    plain.columns[0].values.push_back(va / 10);
  }
  EXPECT_EQ(round_trip(scaled), scaled);
  ColumnBlock va_only{{scaled.columns[1]}, 0};
  // VA/10 and VA cost the same once the divisor is found (within the header's few bytes).
  EXPECT_LE(encode_block(va_only)->size(), encode_block(plain)->size() + 4);
}

TEST(ColumnCodec, AutoPicksTheSmallestTransformAndReportsIt) {
  ColumnBlock b;
  b.columns = {{Transform::kAuto, {}}, {Transform::kAuto, {}}};
  std::mt19937_64 rng(5);
  for (int i = 0; i < 2000; ++i) {
    b.columns[0].values.push_back(1704067200000 + i * 1000);          // regular: dod
    b.columns[1].values.push_back(std::int64_t(rng() % 1000) - 500);  // noise: as is
  }
  auto bytes = encode_block(b);
  ASSERT_TRUE(bytes);
  auto back = decode_block(*bytes);
  ASSERT_TRUE(back);
  EXPECT_NE(back->columns[0].transform, Transform::kNone);  // delta or dod: both give zeros
  EXPECT_EQ(back->columns[1].transform, Transform::kNone);
  EXPECT_EQ(back->columns[0].values, b.columns[0].values);
  EXPECT_EQ(back->columns[1].values, b.columns[1].values);
}

TEST(ColumnCodec, LayoutByteRoundTripsAndUnknownTransformsAreRefused) {
  ColumnBlock b = three_columns({1, 2, 3});
  b.layout = 0xA5;
  EXPECT_EQ(round_trip(b).layout, 0xA5);
  ColumnBlock bad;
  bad.columns = {{Transform(7), {1}}};
  EXPECT_EQ(encode_block(bad).status().code(), Code::kInvalidArgument);
}

std::string unhex(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(char(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

// Blocks written by the version-1 encoder (its sample layouts: energy as delta-of-delta, then
// as step residuals) must read back to the same records forever: files keep them.
std::vector<Sample> golden_samples() {
  std::vector<Sample> v;
  std::int64_t e = 1000;
  for (int i = 0; i < 20; ++i) {
    const int p = 100 + (i * 37) % 250;
    v.push_back({1704067200000 + i * 10000 + (i % 3), std::uint32_t(7 + i), p, e});
    e += p * 10 / 3600 + (i % 2);
  }
  return v;
}

TEST(RecordBlocks, VersionOneBlocksStillDecode) {
  const std::string dod_energy = unhex(
      "cb011404020201025b28b52ffd205b450100c880d08fa59863a29c010005060e0200c8014aa903d00f0002010500"
      "3944af1c06d7c0cdc3ce25013d82c62b");
  const std::string step_residual = unhex(
      "cb011404020201005b28b52ffd205ba50100540280d08fa59863a29c010005060e0200c8014aa903d00f00020100"
      "0100010200000002010001050020482b87c13570f3b073493686e218");
  for (const std::string& bytes : {dod_energy, step_residual}) {
    auto back = decode_samples({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
    ASSERT_TRUE(back) << back.status().to_string();
    EXPECT_EQ(*back, golden_samples());
  }
  const std::string rollups = unhex(
      "cb0105090202010101010101014728b52ffd2047e50100e40280d08fa59863c0a907000000c0f9960c00000000c8"
      "0102020202d80480897aa4130080fa010e0e0e0e00000000000400450d901b2d257c2f4a1d1128d62a");
  auto r = decode_rollups({reinterpret_cast<const std::uint8_t*>(rollups.data()), rollups.size()});
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[4].sum_wms, 1000000 + 4 * 1234);
  EXPECT_EQ((*r)[4].energy_mwh, 16000 + 4 * 7);
}

// A register that is the running integral of the reported power (a meter holding the previous
// value, or a sensor averaging over the window just ended) must cost almost nothing.
TEST(RecordBlocks, ARegisterThatFollowsThePowerIsNearlyFree) {
  std::mt19937_64 rng(11);
  for (bool next : {false, true}) {
    std::vector<Sample> v;
    std::int64_t t = 1704067200000, mwms = 0, e = 123456;
    std::int32_t p = 500;
    for (int i = 0; i < 16384; ++i) {
      const std::int32_t np = std::max(0, p + std::int32_t(rng() % 201) - 100);
      const std::int64_t dt = 10000 + std::int64_t(rng() % 21) - 10;
      t += dt;
      mwms += std::int64_t(next ? np : p) * dt;
      e += mwms / 3'600'000;
      mwms %= 3'600'000;
      p = np;
      v.push_back({t, std::uint32_t(i), p, e});
    }
    auto with = encode_samples(v);
    ASSERT_TRUE(with);
    for (auto& s : v) s.energy_wh = 0;  // the same block without any energy information
    auto without = encode_samples(v);
    ASSERT_TRUE(without);
    EXPECT_LT(with->size(), without->size() + 200) << (next ? "held next" : "held previous");
  }
}

TEST(ColumnCodec, DetectsEveryFlippedBitAndTruncation) {
  ColumnBlock b = three_columns({5, 9, -3, 1000000, 12, 12, 13});
  auto bytes = encode_block(b);
  ASSERT_TRUE(bytes);
  for (std::size_t i = 0; i < bytes->size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = *bytes;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      auto r = decode_block(bad);
      ASSERT_FALSE(r.is_ok()) << "byte " << i << " bit " << bit;
      EXPECT_EQ(r.status().code(), Code::kCorruption);
    }
  }
  for (std::size_t n = 0; n < bytes->size(); ++n) {
    EXPECT_EQ(decode_block(bytes->substr(0, n)).status().code(), Code::kCorruption) << n;
  }
  EXPECT_EQ(decode_block(*bytes + "x").status().code(), Code::kCorruption);
}

TEST(ColumnCodec, GarbageIsCorruptionNotACrash) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string junk(rng() % 64, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    if (!junk.empty()) junk[0] = static_cast<char>(kBlockMagic);
    EXPECT_FALSE(decode_block(junk).is_ok());
  }
}

TEST(ColumnCodec, Crc32MatchesTheStandardCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}), 0xCBF43926u);
}

TEST(RecordBlocks, SamplesAndRollupsRoundTrip) {
  std::vector<Sample> samples = {
      {0, 0, 0, 0},
      {1, 1, -5, 3},
      {kMax, 0xFFFFFFFFu, std::numeric_limits<std::int32_t>::min(), kMax},
      {kMin, 7, std::numeric_limits<std::int32_t>::max(), kMin}};
  auto sb = encode_samples(samples);
  ASSERT_TRUE(sb);
  auto sback = decode_samples({reinterpret_cast<const std::uint8_t*>(sb->data()), sb->size()});
  ASSERT_TRUE(sback);
  EXPECT_EQ(*sback, samples);

  std::vector<Rollup> rs = {{0, 60000, 3, -1, 9, 100, 60000, 5, 0},
                            {60000, 120000, 0, 0, 0, 0, 0, 17, 17}};
  auto rb = encode_rollups(rs);
  ASSERT_TRUE(rb);
  auto rback = decode_rollups({reinterpret_cast<const std::uint8_t*>(rb->data()), rb->size()});
  ASSERT_TRUE(rback);
  EXPECT_EQ(*rback, rs);
}

TEST(RecordBlocks, RandomSamplesRoundTripWhateverLayoutWins) {
  // Registers that follow the power, drift from it, jump (resets, gaps), go negative, or sit
  // near the int64 edges: each block must come back exactly, whichever layout was chosen.
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 60; ++trial) {
    std::vector<Sample> v(1 + rng() % 700);
    std::int64_t t = std::int64_t(rng() >> 20), e = std::int64_t(rng()) >> (rng() % 64);
    for (std::size_t i = 0; i < v.size(); ++i) {
      t +=
          (rng() % 10 == 0) ? std::int64_t(rng() % (3 * kHourMs)) : 1000 + std::int64_t(rng() % 50);
      const std::int32_t p = std::int32_t(rng() % 8000) - (trial % 4 == 0 ? 4000 : 0);
      e += (rng() % 50 == 0) ? std::int64_t(rng()) >> 8 : p / 3600 + std::int64_t(rng() % 3);
      v[i] = {t, std::uint32_t(rng()), p, e};
    }
    auto bytes = encode_samples(v, trial % 2 ? kFullBlockZstdLevel : kSampleZstdLevel);
    ASSERT_TRUE(bytes);
    auto back =
        decode_samples({reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()});
    ASSERT_TRUE(back) << back.status().to_string();
    EXPECT_EQ(*back, v) << "trial " << trial;
  }
}

TEST(RecordBlocks, OutOfRangeFieldsAreCorruption) {
  ColumnBlock b;
  b.columns.assign(4, {Transform::kDelta, {0}});
  b.columns[2].values[0] = std::int64_t(1) << 40;  // power does not fit int32
  auto bytes = encode_block(b);
  ASSERT_TRUE(bytes);
  auto r = decode_samples({reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()});
  EXPECT_EQ(r.status().code(), Code::kCorruption);
}

}  // namespace
}  // namespace cw::store
