#include "firmware/core/power_meter.h"

#include <math.h>

namespace cw {
namespace firmware {

namespace {

constexpr int16_t kMinHysteresis = 8;  // in sums of 8 samples: above the ADC's own noise
constexpr uint8_t kSmooth = 8;
constexpr float kMinVoltageV = 20.0f;  // below: the adapter is unplugged
constexpr uint32_t kMicrosPerS = 1000000;

int16_t round_to_int16(float x) {
  return static_cast<int16_t>(x < 0 ? x - 0.5f : x + 0.5f);
}

// n^2 times the covariance of two series from exact sums: n * sum_xy - sum_x * sum_y.
int64_t cov_n2(uint16_t n, int64_t sum_xy, int64_t sum_x, int64_t sum_y) {
  return static_cast<int64_t>(n) * sum_xy - sum_x * sum_y;
}

// Covariances of the window's series once each has lost its drift b (counts per sample):
// cov(x - bx k, y - by k) = cov(x, y) - by cov(x, k) - bx cov(k, y) + bx by var(k), all
// scaled by n^2.
class Detrended {
 public:
  explicit Detrended(uint16_t n) : n_(n) {
    int64_t nn = int64_t{n} * n;
    sum_k_ = int64_t{n} * (n - 1) / 2;
    var_k_ = static_cast<float>(nn * (nn - 1) / 12);
  }
  float cov(int64_t sum_xy, int64_t sum_x, int64_t sum_y, int64_t sum_kx, int64_t sum_ky, float bx,
            float by) const {
    float c = static_cast<float>(cov_n2(n_, sum_xy, sum_x, sum_y));
    float cxk = static_cast<float>(cov_n2(n_, sum_kx, sum_k_, sum_x));
    float cky = static_cast<float>(cov_n2(n_, sum_ky, sum_k_, sum_y));
    return c - by * cxk - bx * cky + bx * by * var_k_;
  }
  // The rms from a variance scaled by n^2.
  float rms(float var_n2) const { return var_n2 > 0 ? sqrtf(var_n2) / n_ : 0; }

 private:
  uint16_t n_;
  int64_t sum_k_;
  float var_k_;
};

}  // namespace

void PowerMeter::begin(const MeterSetup& setup, const Calibration& cal) {
  setup_ = setup;
  cal_ = cal;
  nominal_ = static_cast<uint16_t>(kMicrosPerS / (kNominalHz * uint32_t{setup.pair_period_us}));
  min_gap_ = static_cast<uint16_t>(nominal_ * 3 / 4);
  max_gap_ = static_cast<uint16_t>(nominal_ * 3 / 2);
  // Shift of the voltage, in pair periods, that brings it to the current's instant: back by
  // the skew, forward by the calibrated phase (1 degree at 50 Hz = 1e6 / 18000 us).
  float shift_us = cal.phase_mdeg / 18.0f - setup.skew_us;
  float u = shift_us / setup.pair_period_us;
  if (u < -2) u = -2;
  if (u > 1.999f) u = 1.999f;
  int8_t whole = static_cast<int8_t>(floorf(u));
  base_ = static_cast<int8_t>(2 + whole);  // vhist_[2] is the voltage of the accounted pair
  weight_q14_ = static_cast<int16_t>((u - whole) * 16384.0f + 0.5f);
  offset_i_ = offset_v_ = kAdcCounts / 2;
  restart();
}

void PowerMeter::restart() {
  state_ = State::kSeeking;
  filled_ = 0;
  armed_ = false;
  since_cross_ = 0;
  crossed_once_ = false;  // the first crossing counts however soon it comes
  last_ref_ = 0;
  for (uint8_t k = 0; k < kSmooth; ++k) smooth_[k] = 0;
}

int16_t PowerMeter::shifted_voltage() const {
  int16_t a = vhist_[base_];
  int16_t b = vhist_[base_ + 1];
  int32_t delta = static_cast<int32_t>(weight_q14_) * (b - a);
  return static_cast<int16_t>(a * 16 + ((delta + 512) >> 10));
}

bool PowerMeter::crossing(int16_t sample, uint8_t* frac_q8, bool* real) {
  if (since_cross_ < 0xFFFF) ++since_cross_;
  int16_t ref = static_cast<int16_t>(last_ref_ - smooth_[smooth_at_] + sample);
  smooth_[smooth_at_] = sample;
  smooth_at_ = static_cast<uint8_t>((smooth_at_ + 1) % kSmooth);
  int16_t last = last_ref_;
  last_ref_ = ref;
  if (ref < -hysteresis_) armed_ = true;
  if (armed_ && ref >= 0 && last < 0 && (since_cross_ >= min_gap_ || !crossed_once_)) {
    armed_ = false;
    crossed_once_ = true;
    since_cross_ = 0;
    // Linear interpolation of where the signal crossed zero between the two samples.
    *frac_q8 = static_cast<uint8_t>((static_cast<int32_t>(ref) * 255) / (ref - last));
    *real = true;
    return true;
  }
  if (since_cross_ >= max_gap_) {
    crossed_once_ = true;
    since_cross_ = static_cast<uint16_t>(since_cross_ - nominal_);
    *frac_q8 = 0;
    *real = false;
    return true;
  }
  return false;
}

void PowerMeter::recentre(int16_t di, int16_t dv) {
  offset_i_ = static_cast<int16_t>(offset_i_ + di);
  offset_v_ = static_cast<int16_t>(offset_v_ + dv);
  for (int16_t& x : ihist_) x = static_cast<int16_t>(x - di);
  for (int16_t& x : vhist_) x = static_cast<int16_t>(x - dv);
  int16_t dref = cal_.has_voltage() ? dv : di;
  for (int16_t& x : smooth_) x = static_cast<int16_t>(x - dref);
  last_ref_ = static_cast<int16_t>(last_ref_ - kSmooth * dref);
}

void PowerMeter::accumulate(int16_t i, int16_t v, bool clipped) {
  int16_t y = shifted_voltage();
  Sums& s = sums_;
  cycle_.i += i;
  cycle_.v += v;
  ++cycle_.n;
  s.i += i;
  s.v += v;
  s.y += y;
  s.ii += static_cast<int32_t>(i) * i;
  s.vv += static_cast<int32_t>(v) * v;
  s.iy += static_cast<int32_t>(i) * y;
  int32_t k = s.n;  // index of this sample in the window
  s.ki += k * i;
  s.kv += k * v;
  s.ky += k * y;
  ++s.n;
  if (clipped) ++s.clipped;
}

void PowerMeter::start_window(uint8_t frac_q8) {
  sums_ = Sums{};
  cycle_ = CycleSums{};
  first_ = CycleSums{};
  cycles_seen_ = 0;
  all_real_ = true;
  start_frac_q8_ = frac_q8;
  state_ = State::kMeasuring;
}

bool PowerMeter::add(uint16_t current, uint16_t voltage) {
  bool clipped = current == 0 || current >= kAdcCounts - 1 ||
                 (cal_.has_voltage() && (voltage == 0 || voltage >= kAdcCounts - 1));
  for (uint8_t k = 0; k < 4; ++k) vhist_[k] = vhist_[k + 1];
  ihist_[0] = ihist_[1];
  ihist_[1] = ihist_[2];
  vhist_[4] = static_cast<int16_t>(voltage - offset_v_);
  ihist_[2] = static_cast<int16_t>(current - offset_i_);
  if (filled_ < 5) {
    ++filled_;
    return false;
  }
  int16_t i = ihist_[0], v = vhist_[2];
  uint8_t frac = 0;
  bool real = false;
  bool crossed = crossing(cal_.has_voltage() ? v : i, &frac, &real);
  bool done = false;
  if (state_ == State::kSeeking) {
    if (!crossed) return false;
    start_window(frac);
    all_real_ = any_real_ = real;
  } else if (crossed) {
    all_real_ = all_real_ && real;
    any_real_ = any_real_ || real;
    if (++cycles_seen_ == 1) first_ = cycle_;
    if (cycles_seen_ == setup_.cycles || sums_.n >= kMaxWindowPairs) {
      finish(frac);
      start_window(frac);
      all_real_ = any_real_ = real;
      done = true;
    } else {
      cycle_ = CycleSums{};
    }
  }
  accumulate(i, v, clipped);
  return done;
}

void PowerMeter::finish(uint8_t end_frac_q8) {
  const Sums& s = sums_;
  Reading r;
  r.samples = s.n;
  r.cycles = cycles_seen_;
  // The window spans its samples, corrected by where the two crossings fell within a period.
  int32_t span_q8 = int32_t{s.n} * 256 - end_frac_q8 + start_frac_q8_;
  r.duration_us = static_cast<uint32_t>(int32_t{s.n} * setup_.pair_period_us);
  if (all_real_ && span_q8 > 0)
    r.frequency_hz = cycles_seen_ * 256.0f * kMicrosPerS / (float(span_q8) * setup_.pair_period_us);
  float volts_per_count = supply_mv_ / 1000.0f / kAdcCounts;
  float amps_per_count = volts_per_count * (cal_.current_gain / 1000.0f);
  // Drift: from the mean of the first cycle to the mean of the last one, in counts per pair.
  float bi = 0, bv = 0;
  float span = s.n - (cycle_.n + first_.n) / 2.0f;
  if (first_.n > 0 && cycle_.n > 0 && cycles_seen_ > 1 && span > 0) {
    bi = (float(cycle_.i) / cycle_.n - float(first_.i) / first_.n) / span;
    bv = (float(cycle_.v) / cycle_.n - float(first_.v) / first_.n) / span;
  }
  Detrended d(s.n);
  float irms_counts = d.rms(d.cov(s.ii, s.i, s.i, s.ki, s.ki, bi, bi));
  float vrms_counts = d.rms(d.cov(s.vv, s.v, s.v, s.kv, s.kv, bv, bv));
  r.irms = irms_counts * amps_per_count;
  if (cal_.has_voltage()) {
    float v_per_count = volts_per_count * (cal_.voltage_gain / 1000.0f);
    r.vrms = vrms_counts * v_per_count;
    float n = s.n;
    float p_counts = d.cov(s.iy, s.i, s.y, s.ki, s.ky, bi, 16 * bv) / (n * n * 16.0f);
    r.real_w = p_counts * amps_per_count * v_per_count;
  }
  if (r.vrms < kMinVoltageV) {  // no voltage channel, or its adapter is unplugged
    r.vrms = 0;
    r.apparent_only = true;
    r.apparent_va = r.irms * (kNominalMainsDv / 10.0f);
    r.real_w = r.apparent_va;
  } else {
    r.apparent_va = r.vrms * r.irms;
    if (r.apparent_va > 0) r.power_factor = r.real_w / r.apparent_va;
  }
  r.clipped = s.clipped > 0;
  // The running mean: the next window is centred on this one's mean, and so is the history
  // it inherits.
  int16_t di = round_to_int16(float(s.i) / s.n), dv = round_to_int16(float(s.v) / s.n);
  recentre(di, dv);
  // A window that saw some crossings but not all is not whole cycles either.
  bool whole = all_real_ || !any_real_;
  r.settled = whole && di >= -2 && di <= 2 && (!cal_.has_voltage() || (dv >= -2 && dv <= 2));
  const int16_t low = kAdcCounts / 5, high = kAdcCounts * 4 / 5;
  r.clamp_missing = offset_i_ < low || offset_i_ > high;
  float ref_rms = cal_.has_voltage() ? vrms_counts : irms_counts;
  int16_t h = round_to_int16(ref_rms * kSmooth / 4);
  hysteresis_ = h < kMinHysteresis ? kMinHysteresis : (h > 512 ? 512 : h);
  reading_ = r;
}

}  // namespace firmware
}  // namespace cw
