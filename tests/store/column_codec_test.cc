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
  EXPECT_LT(bytes->size(), 40u);
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
