// Samples and rollups as column blocks (column_codec.h): which columns, which transforms.
// Changing a layout here needs a new block version or a schema migration (docs/storage.md).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/sample.h"
#include "core/status.h"

namespace cw::store {

inline constexpr int kSampleZstdLevel = 6;
// A full raw block is written once and read for years: it is worth the slower level.
inline constexpr int kFullBlockZstdLevel = 19;
// Rollup blocks are small (<= 1440 records) and rewritten at most once a UTC day.
inline constexpr int kRollupZstdLevel = 19;

Result<std::string> encode_samples(std::span<const Sample> samples,
                                   int zstd_level = kSampleZstdLevel);
Result<std::vector<Sample>> decode_samples(std::span<const std::uint8_t> bytes);

Result<std::string> encode_rollups(std::span<const Rollup> rollups,
                                   int zstd_level = kRollupZstdLevel);
Result<std::vector<Rollup>> decode_rollups(std::span<const std::uint8_t> bytes);

}  // namespace cw::store
