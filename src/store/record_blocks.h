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
inline constexpr int kRollupZstdLevel = 6;

Result<std::string> encode_samples(std::span<const Sample> samples);
Result<std::vector<Sample>> decode_samples(std::span<const std::uint8_t> bytes);

Result<std::string> encode_rollups(std::span<const Rollup> rollups);
Result<std::vector<Rollup>> decode_rollups(std::span<const std::uint8_t> bytes);

}  // namespace cw::store
