#include "store/record_blocks.h"

#include <limits>

#include "store/column_codec.h"

namespace cw::store {

namespace {

constexpr Transform kDelta = Transform::kDelta;
constexpr Transform kDod = Transform::kDeltaOfDelta;

bool fits_i32(std::int64_t v) {
  return v >= std::numeric_limits<std::int32_t>::min() &&
         v <= std::numeric_limits<std::int32_t>::max();
}
bool fits_u32(std::int64_t v) {
  return v >= 0 && v <= std::int64_t(std::numeric_limits<std::uint32_t>::max());
}

Status check_shape(const ColumnBlock& b, std::size_t ncol, const char* what) {
  if (b.columns.size() != ncol) return corruption(std::string(what) + " block has wrong columns");
  return Status::ok();
}

}  // namespace

// Sample columns: t (delta-of-delta: regular receipt times give zeros), counter (delta-of-delta:
// +1 steps give zeros), power_w (delta), energy_wh (delta-of-delta: steady load gives zeros).
Result<std::string> encode_samples(std::span<const Sample> samples) {
  ColumnBlock b;
  b.columns = {{kDod, {}}, {kDod, {}}, {kDelta, {}}, {kDod, {}}};
  for (auto& c : b.columns) c.values.reserve(samples.size());
  for (const Sample& s : samples) {
    b.columns[0].values.push_back(s.t);
    b.columns[1].values.push_back(s.counter);
    b.columns[2].values.push_back(s.power_w);
    b.columns[3].values.push_back(s.energy_wh);
  }
  return encode_block(b, kSampleZstdLevel);
}

Result<std::vector<Sample>> decode_samples(std::span<const std::uint8_t> bytes) {
  auto b = decode_block(bytes);
  if (!b) return b.status();
  CW_RETURN_IF_ERROR(check_shape(*b, 4, "sample"));
  std::vector<Sample> out(b->records());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t counter = b->columns[1].values[i], power = b->columns[2].values[i];
    if (!fits_u32(counter) || !fits_i32(power)) return corruption("sample out of range");
    out[i] = {b->columns[0].values[i], std::uint32_t(counter), std::int32_t(power),
              b->columns[3].values[i]};
  }
  return out;
}

// Rollup columns: start and end (delta-of-delta: fixed widths give zeros), then the statistics
// as deltas to the previous bucket (neighbouring buckets look alike).
Result<std::string> encode_rollups(std::span<const Rollup> rollups) {
  ColumnBlock b;
  b.columns.assign(9, {kDelta, {}});
  b.columns[0].transform = kDod;
  b.columns[1].transform = kDod;
  for (const Rollup& r : rollups) {
    const std::int64_t v[9] = {r.start,   r.end,        r.count,      r.min_w,         r.max_w,
                               r.sum_wms, r.covered_ms, r.energy_mwh, r.gap_energy_mwh};
    for (int k = 0; k < 9; ++k) b.columns[k].values.push_back(v[k]);
  }
  return encode_block(b, kRollupZstdLevel);
}

Result<std::vector<Rollup>> decode_rollups(std::span<const std::uint8_t> bytes) {
  auto b = decode_block(bytes);
  if (!b) return b.status();
  CW_RETURN_IF_ERROR(check_shape(*b, 9, "rollup"));
  std::vector<Rollup> out(b->records());
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto v = [&](int k) { return b->columns[k].values[i]; };
    if (!fits_u32(v(2)) || !fits_i32(v(3)) || !fits_i32(v(4))) {
      return corruption("rollup out of range");
    }
    out[i] = {v(0), v(1), std::uint32_t(v(2)), std::int32_t(v(3)), std::int32_t(v(4)), v(5), v(6),
              v(7), v(8)};
  }
  return out;
}

}  // namespace cw::store
