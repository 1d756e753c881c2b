#include "emonlib_baseline.h"

#include <cmath>

namespace cw::firmware::testing {

namespace {
constexpr double kAdcCounts = 1024;
}

EmonResult EmonLibBaseline::calc_vi(int crossings, int timeout_pairs) {
  int start_v = 0;
  for (int n = 0; n < timeout_pairs; ++n) {  // 1) near a zero crossing
    start_v = read_v_();
    read_i_();  // the sampling instants go on as on the device
    if (start_v < kAdcCounts * 0.55 && start_v > kAdcCounts * 0.45) break;
  }
  double sum_v = 0, sum_i = 0, sum_p = 0;
  int cross_count = 0, samples = 0;
  bool last_cross = false, check_cross = false;
  while (cross_count < crossings && samples < timeout_pairs) {  // 2) the measurement loop
    ++samples;
    double last_filtered_v = filtered_v_;
    int sample_v = read_v_();
    int sample_i = read_i_();
    offset_v_ = offset_v_ + (sample_v - offset_v_) / kAdcCounts;
    filtered_v_ = sample_v - offset_v_;
    offset_i_ = offset_i_ + (sample_i - offset_i_) / kAdcCounts;
    double filtered_i = sample_i - offset_i_;
    sum_v += filtered_v_ * filtered_v_;
    sum_i += filtered_i * filtered_i;
    double phase_shifted_v = last_filtered_v + phasecal_ * (filtered_v_ - last_filtered_v);
    sum_p += phase_shifted_v * filtered_i;
    last_cross = check_cross;
    check_cross = sample_v > start_v;
    if (samples == 1) last_cross = check_cross;
    if (last_cross != check_cross) ++cross_count;
  }
  double v_ratio = vcal_ * (supply_v_ / kAdcCounts);
  double i_ratio = ical_ * (supply_v_ / kAdcCounts);
  EmonResult r;
  r.samples = samples;
  r.vrms = v_ratio * std::sqrt(sum_v / samples);
  r.irms = i_ratio * std::sqrt(sum_i / samples);
  r.real_power = v_ratio * i_ratio * sum_p / samples;
  r.apparent_power = r.vrms * r.irms;
  r.power_factor = r.apparent_power > 0 ? r.real_power / r.apparent_power : 0;
  return r;
}

EmonResult EmonLibBaseline::calc_irms(int samples) {
  double sum_i = 0;
  for (int n = 0; n < samples; ++n) {
    int sample_i = read_i_();
    offset_i_ = offset_i_ + (sample_i - offset_i_) / kAdcCounts;
    double filtered_i = sample_i - offset_i_;
    sum_i += filtered_i * filtered_i;
  }
  EmonResult r;
  r.samples = samples;
  r.irms = ical_ * (supply_v_ / kAdcCounts) * std::sqrt(sum_i / samples);
  return r;
}

}  // namespace cw::firmware::testing
