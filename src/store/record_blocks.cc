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

// The Wh a load draws between two samples if its power moved linearly between them: the energy
// column is stored as its difference to this, which is close to zero whatever the load (a steady
// 2 kW at 1 min moves the register by 33 Wh a sample, the prediction leaves 0 or ±1). Long spans
// predict nothing (a gap's energy is not a ramp). Wrapping and 128-bit arithmetic: a damaged
// block decodes to some values, never to undefined behaviour.
std::int64_t predicted_wh(TimeMs t0, std::int64_t p0, TimeMs t1, std::int64_t p1) {
  const std::uint64_t dt = std::uint64_t(t1) - std::uint64_t(t0);
  if (dt == 0 || dt > std::uint64_t(kHourMs)) return 0;
  const __int128 twice_wms = (__int128(p0) + p1) * __int128(dt);  // 2 x W x ms
  constexpr __int128 kTwiceWmsPerWh = 2 * 3'600'000;
  const __int128 q =
      (twice_wms >= 0 ? twice_wms + kTwiceWmsPerWh / 2 : twice_wms - kTwiceWmsPerWh / 2) /
      kTwiceWmsPerWh;
  return std::int64_t(q);
}

std::int64_t wrap_add(std::int64_t a, std::int64_t b) {
  return std::int64_t(std::uint64_t(a) + std::uint64_t(b));
}
std::int64_t wrap_sub(std::int64_t a, std::int64_t b) {
  return std::int64_t(std::uint64_t(a) - std::uint64_t(b));
}

}  // namespace

// Sample columns: t (delta-of-delta: regular receipt times give zeros), counter (delta-of-delta:
// +1 steps give zeros), power_w (delta), energy (layout 2, marked by the transform "none" on that
// column: the first register value, then each step's difference to predicted_wh). Blocks of
// layout 1 (energy as delta-of-delta) are still read.
Result<std::string> encode_samples(std::span<const Sample> samples) {
  ColumnBlock b;
  b.columns = {{kDod, {}}, {kDod, {}}, {kDelta, {}}, {Transform::kNone, {}}};
  for (auto& c : b.columns) c.values.reserve(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    b.columns[0].values.push_back(s.t);
    b.columns[1].values.push_back(s.counter);
    b.columns[2].values.push_back(s.power_w);
    if (i == 0) {
      b.columns[3].values.push_back(s.energy_wh);
    } else {
      const Sample& p = samples[i - 1];
      const std::int64_t step = wrap_sub(s.energy_wh, p.energy_wh);
      b.columns[3].values.push_back(wrap_sub(step, predicted_wh(p.t, p.power_w, s.t, s.power_w)));
    }
  }
  return encode_block(b, kSampleZstdLevel);
}

Result<std::vector<Sample>> decode_samples(std::span<const std::uint8_t> bytes) {
  auto b = decode_block(bytes);
  if (!b) return b.status();
  CW_RETURN_IF_ERROR(check_shape(*b, 4, "sample"));
  const Column& energy = b->columns[3];
  if (energy.transform != Transform::kNone && energy.transform != kDod)
    return corruption("sample block has an unknown energy layout");
  const bool residual = energy.transform == Transform::kNone;
  std::vector<Sample> out(b->records());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t counter = b->columns[1].values[i], power = b->columns[2].values[i];
    if (!fits_u32(counter) || !fits_i32(power)) return corruption("sample out of range");
    const TimeMs t = b->columns[0].values[i];
    std::int64_t e = energy.values[i];
    if (residual && i > 0) {
      const Sample& p = out[i - 1];
      e = wrap_add(wrap_add(p.energy_wh, predicted_wh(p.t, p.power_w, t, power)), e);
    }
    out[i] = {t, std::uint32_t(counter), std::int32_t(power), e};
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
