#include "store/record_blocks.h"

#include <algorithm>
#include <climits>
#include <limits>
#include <optional>

#include "core/int128.h"
#include "store/column_codec.h"

namespace cw::store {

namespace {

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
  const Int128 twice_wms = (Int128(p0) + p1) * Int128(dt);  // 2 x W x ms
  constexpr Int128 kTwiceWmsPerWh = 2 * 3'600'000;
  const Int128 q =
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

// How the energy column of a sample block is written (ColumnBlock::layout, version-2 blocks).
// A register that follows the reported power is nearly free once predicted; which prediction
// fits depends on the sensor (a meter holds the previous power, a sensor averaging over the
// window just ended holds the next one, a ramp sits between), so each block keeps the best.
enum class EnergyLayout : std::uint8_t {
  kRegister = 1,         // the register itself
  kStepTrapezoid = 2,    // each step minus predicted_wh (the trapezoid of the two powers)
  kSumHeldPrevious = 3,  // register minus the running integral of the previous power
  kSumHeldNext = 4,      // ... of the next power
  kSumTrapezoid = 5,     // ... of the trapezoid
};
constexpr std::uint8_t kLastEnergyLayout = 5;

// Twice the W·ms a span adds to a running integral: spans longer than an hour add nothing.
Int128 twice_wms(EnergyLayout layout, const Sample& p, TimeMs t, std::int64_t power) {
  const std::uint64_t dt = std::uint64_t(t) - std::uint64_t(p.t);
  if (dt == 0 || dt > std::uint64_t(kHourMs)) return 0;
  switch (layout) {
    case EnergyLayout::kSumHeldPrevious:
      return 2 * Int128(p.power_w) * Int128(dt);
    case EnergyLayout::kSumHeldNext:
      return 2 * Int128(power) * Int128(dt);
    default:
      return (Int128(p.power_w) + power) * Int128(dt);
  }
}

constexpr Int128 kTwiceWmsPerWh = 2 * 3'600'000;

Int128 floor_div(Int128 a, Int128 k) {
  Int128 q = a / k;
  if (a % k != 0 && a < 0) --q;
  return q;
}

bool is_sum(EnergyLayout l) {
  return l >= EnergyLayout::kSumHeldPrevious;
}

// S_i: the running integral (twice W·ms) of the power from sample 0 to sample i, as `layout`
// holds it between samples. Times and powers only: the decoder has them before the energy.
std::vector<Int128> running_integral(EnergyLayout layout, std::span<const Sample> s) {
  std::vector<Int128> sum(s.size(), 0);
  for (std::size_t i = 1; i < s.size(); ++i)
    sum[i] = sum[i - 1] + twice_wms(layout, s[i - 1], s[i].t, s[i].power_w);
  return sum;
}

// F = e_0 * K + R0: the register at sample 0 in twice W·ms, with the sub-Wh remainder R0 that
// makes floor((F + S_i) / K) equal every register of a meter integrating the reported power (the
// intersection of the intervals each sample allows; its nearest edge when they do not meet).
// nullopt when F would not fit in 64 bits (registers beyond about 1.2 TWh).
std::optional<std::int64_t> fine_start(std::span<const Sample> s, const std::vector<Int128>& sum) {
  Int128 lo = 0, hi = kTwiceWmsPerWh;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const Int128 d = Int128(s[i].energy_wh) - s[0].energy_wh;
    lo = std::max(lo, d * kTwiceWmsPerWh - sum[i]);
    hi = std::min(hi, (d + 1) * kTwiceWmsPerWh - sum[i]);
  }
  const Int128 r0 = std::clamp<Int128>(lo, 0, kTwiceWmsPerWh - 1);
  const Int128 f = Int128(s[0].energy_wh) * kTwiceWmsPerWh + r0;
  if (f > INT64_MAX || f < INT64_MIN) return std::nullopt;
  return std::int64_t(f);
}

std::int64_t sum_prediction(std::int64_t f, Int128 sum_i) {
  return std::int64_t(floor_div(Int128(f) + sum_i, kTwiceWmsPerWh));
}

std::optional<Column> energy_column(std::span<const Sample> s, EnergyLayout layout) {
  Column c{Transform::kAuto, std::vector<std::int64_t>(s.size())};
  if (s.empty()) return c;
  if (is_sum(layout)) {
    const auto sum = running_integral(layout, s);
    const auto f = fine_start(s, sum);
    if (!f) return std::nullopt;
    c.values[0] = *f;
    for (std::size_t i = 1; i < s.size(); ++i)
      c.values[i] = wrap_sub(s[i].energy_wh, sum_prediction(*f, sum[i]));
    return c;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    c.values[i] = s[i].energy_wh;
    if (layout == EnergyLayout::kStepTrapezoid && i > 0) {
      const Sample& p = s[i - 1];
      c.values[i] = wrap_sub(wrap_sub(s[i].energy_wh, p.energy_wh),
                             predicted_wh(p.t, p.power_w, s[i].t, s[i].power_w));
    }
  }
  return c;
}

// Rebuilds the registers of s (times and powers already decoded) from an energy column.
void apply_energy_column(EnergyLayout layout, const Column& c, std::span<Sample> s) {
  if (s.empty()) return;
  if (is_sum(layout)) {
    const auto sum = running_integral(layout, s);
    const std::int64_t f = c.values[0];
    s[0].energy_wh = std::int64_t(floor_div(f, kTwiceWmsPerWh));
    for (std::size_t i = 1; i < s.size(); ++i)
      s[i].energy_wh = wrap_add(sum_prediction(f, sum[i]), c.values[i]);
    return;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    s[i].energy_wh = c.values[i];
    if (layout == EnergyLayout::kStepTrapezoid && i > 0) {
      const Sample& p = s[i - 1];
      s[i].energy_wh = wrap_add(
          wrap_add(p.energy_wh, predicted_wh(p.t, p.power_w, s[i].t, s[i].power_w)), c.values[i]);
    }
  }
}

// The layout whose energy column compresses smallest at the probe level.
std::pair<EnergyLayout, Column> best_energy_column(std::span<const Sample> samples) {
  std::pair<EnergyLayout, Column> best{EnergyLayout::kRegister, {}};
  std::size_t best_size = SIZE_MAX;
  for (std::uint8_t l = 1; l <= kLastEnergyLayout; ++l) {
    auto c = energy_column(samples, EnergyLayout(l));
    if (!c) continue;
    auto probe = encode_block(ColumnBlock{{*c}, 0}, kProbeZstdLevel);
    if (probe && probe->size() < best_size)
      best_size = probe->size(), best = {EnergyLayout(l), std::move(*c)};
  }
  return best;
}

}  // namespace

// Sample columns: t, counter, power_w (each with the transform that suits the block), energy
// (as best_energy_column says, its layout in the block's layout byte). Version-1 blocks: t
// (dod), counter (dod), power_w (delta), energy as dod, or, marked by the transform "none",
// the first register value then each step's difference to predicted_wh.
Result<std::string> encode_samples(std::span<const Sample> samples, int zstd_level) {
  ColumnBlock b;
  b.columns = {{Transform::kAuto, {}}, {Transform::kAuto, {}}, {Transform::kAuto, {}}};
  for (auto& c : b.columns) c.values.reserve(samples.size());
  for (const Sample& s : samples) {
    b.columns[0].values.push_back(s.t);
    b.columns[1].values.push_back(s.counter);
    b.columns[2].values.push_back(s.power_w);
  }
  auto [layout, energy] = best_energy_column(samples);
  b.columns.push_back(std::move(energy));
  b.layout = static_cast<std::uint8_t>(layout);
  return encode_block(b, zstd_level);
}

namespace {

// Version-1 blocks: energy as delta-of-delta (nothing to add), or step residuals.
EnergyLayout legacy_layout(const Column& energy) {
  return energy.transform == Transform::kNone ? EnergyLayout::kStepTrapezoid
                                              : EnergyLayout::kRegister;
}

}  // namespace

Result<std::vector<Sample>> decode_samples(std::span<const std::uint8_t> bytes) {
  auto b = decode_block(bytes);
  if (!b) return b.status();
  CW_RETURN_IF_ERROR(check_shape(*b, 4, "sample"));
  const Column& energy = b->columns[3];
  if (b->layout > kLastEnergyLayout) return corruption("sample block has an unknown energy layout");
  if (b->layout == 0 && energy.transform != Transform::kNone && energy.transform != kDod)
    return corruption("sample block has an unknown energy layout");
  const EnergyLayout layout = b->layout == 0 ? legacy_layout(energy) : EnergyLayout(b->layout);
  std::vector<Sample> out(b->records());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t counter = b->columns[1].values[i], power = b->columns[2].values[i];
    if (!fits_u32(counter) || !fits_i32(power)) return corruption("sample out of range");
    out[i] = {b->columns[0].values[i], std::uint32_t(counter), std::int32_t(power), 0};
  }
  apply_energy_column(layout, energy, out);
  return out;
}

namespace {

// Rollup layouts (ColumnBlock::layout): a bucket's energy is close to its power integral
// (sum_wms / 3600 mWh) whenever the register follows the power, so it may be stored as the
// difference; each block keeps whichever compresses smaller.
constexpr std::uint8_t kRollupPlain = 0;
constexpr std::uint8_t kRollupEnergyFromIntegral = 1;
constexpr int kEnergyColumn = 7, kIntegralColumn = 5;

std::int64_t integral_mwh(std::int64_t sum_wms) {
  return std::int64_t(floor_div(sum_wms, 3600));
}

}  // namespace

// Rollup columns: start, end, then the statistics, each with the transform that suits it
// (fixed widths give zeros under delta-of-delta, neighbouring buckets look alike under delta).
Result<std::string> encode_rollups(std::span<const Rollup> rollups, int zstd_level) {
  ColumnBlock b;
  b.columns.assign(9, {Transform::kAuto, {}});
  Column residual{Transform::kAuto, {}};
  for (const Rollup& r : rollups) {
    const std::int64_t v[9] = {r.start,   r.end,        r.count,      r.min_w,         r.max_w,
                               r.sum_wms, r.covered_ms, r.energy_mwh, r.gap_energy_mwh};
    for (int k = 0; k < 9; ++k) b.columns[k].values.push_back(v[k]);
    residual.values.push_back(wrap_sub(r.energy_mwh, integral_mwh(r.sum_wms)));
  }
  auto plain = encode_block(ColumnBlock{{b.columns[kEnergyColumn]}, 0}, kProbeZstdLevel);
  auto diff = encode_block(ColumnBlock{{residual}, 0}, kProbeZstdLevel);
  if (plain && diff && diff->size() < plain->size()) {
    b.columns[kEnergyColumn] = std::move(residual);
    b.layout = kRollupEnergyFromIntegral;
  }
  return encode_block(b, zstd_level);
}

Result<std::vector<Rollup>> decode_rollups(std::span<const std::uint8_t> bytes) {
  auto b = decode_block(bytes);
  if (!b) return b.status();
  CW_RETURN_IF_ERROR(check_shape(*b, 9, "rollup"));
  if (b->layout > kRollupEnergyFromIntegral)
    return corruption("rollup block has an unknown layout");
  std::vector<Rollup> out(b->records());
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto v = [&](int k) { return b->columns[k].values[i]; };
    if (!fits_u32(v(2)) || !fits_i32(v(3)) || !fits_i32(v(4))) {
      return corruption("rollup out of range");
    }
    std::int64_t energy = v(kEnergyColumn);
    if (b->layout == kRollupEnergyFromIntegral)
      energy = wrap_add(energy, integral_mwh(v(kIntegralColumn)));
    out[i] = {v(0),   v(1), std::uint32_t(v(2)), std::int32_t(v(3)), std::int32_t(v(4)), v(5), v(6),
              energy, v(8)};
  }
  return out;
}

}  // namespace cw::store
