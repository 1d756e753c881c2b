// A generic, pure codec for a block of records made of int64 columns (docs/storage.md, "Block
// format"). Each column is transformed (delta or delta-of-delta), shifted by a per-column
// offset and divided by the column's common divisor (frame of reference: a 30 s period becomes
// 0, watts in steps of 10 VA become steps of 1), zigzag-mapped, written as LEB128 varints column
// after column, and the whole payload is compressed with zstd. A header carries a format
// version, the record and column counts, each column's transform, offset and divisor, and a
// layout byte that belongs to the caller; a CRC-32 trailer covers every byte before it.
//
// Decoding accepts any bytes: a damaged or foreign block gives Code::kCorruption, never a crash,
// an overflow or an unbounded allocation. All arithmetic wraps (two's complement), so every
// int64 value, INT64_MIN and INT64_MAX included, round-trips exactly.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cw::store {

enum class Transform : std::uint8_t {
  kNone = 0,          // the value itself (zigzag): for columns that jump around
  kDelta = 1,         // difference to the previous value: slowly moving values, counters
  kDeltaOfDelta = 2,  // difference of differences: regular timestamps become zeros
  kAuto = 0xFF,       // encoder only: whichever of the three compresses this column best
};

struct Column {
  Transform transform = Transform::kDelta;
  std::vector<std::int64_t> values;
  friend bool operator==(const Column&, const Column&) = default;
};

// All columns have the same number of values (one per record).
struct ColumnBlock {
  std::vector<Column> columns;
  std::uint8_t layout = 0;  // the caller's record layout tag, stored as is (version 1: always 0)
  std::size_t records() const { return columns.empty() ? 0 : columns.front().values.size(); }
  friend bool operator==(const ColumnBlock&, const ColumnBlock&) = default;
};

inline constexpr std::uint8_t kBlockMagic = 0xCB;
inline constexpr std::uint8_t kBlockVersion = 2;  // written; versions 1 and 2 are read
inline constexpr std::size_t kMaxColumns = 32;
inline constexpr std::size_t kMaxRecords = 1u << 22;
inline constexpr std::size_t kMaxValues = 1u << 22;  // records x columns: bounds decoder memory
inline constexpr int kDefaultZstdLevel = 6;
// Cheap level used to compare candidate encodings (kAuto, record layouts): ranks them as the
// real levels do, at a fraction of the cost.
inline constexpr int kProbeZstdLevel = 1;

// Encodes block. Fails (kInvalidArgument) when columns differ in length or exceed the limits.
// A kAuto column comes back from decode_block with the transform that was chosen.
Result<std::string> encode_block(const ColumnBlock& block, int zstd_level = kDefaultZstdLevel);

// Decodes bytes produced by encode_block; anything else is kCorruption.
Result<ColumnBlock> decode_block(std::span<const std::uint8_t> bytes);
inline Result<ColumnBlock> decode_block(std::string_view bytes) {
  return decode_block(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

// CRC-32 (IEEE 802.3, as zlib's crc32), exposed for tests.
std::uint32_t crc32(std::span<const std::uint8_t> bytes);

}  // namespace cw::store
