// The sensor's analog front end and ADC, modelled for the accuracy tests: the clamp on its
// burden and the AC-AC adapter on its divider, both biased at mid-supply, a 10-bit ADC with
// Gaussian noise before quantisation, a bias that drifts, and the clamp's phase lead over the
// voltage adapter. Each sample is taken at its own instant: the ADC converts one channel after
// the other.
#pragma once

#include <cstdint>
#include <random>

#include "mains_signal.h"

namespace cw::firmware::testing {

struct FrontEnd {
  double vref_v = 5.0;            // ADC reference = the AVR's supply
  double current_gain = 24.390;   // A per V at the pin (SCT-013-000 on 82 ohm)
  double voltage_gain = 281.111;  // V per V at the pin (9 V adapter, 100k/10k divider)
  double bias_i_v = 2.47;         // bias divider, not exactly mid-supply
  double bias_v_v = 2.53;
  double drift_v_per_s = 0;       // both biases move (supply ripple, temperature)
  double noise_lsb = 0.5;         // ADC noise, rms
  double current_lead_deg = 1.5;  // the clamp leads the adapter by this much at 50 Hz
};

class Sampler {
 public:
  Sampler(const MainsSignal& s, const FrontEnd& fe, std::uint64_t seed)
      : s_(s), fe_(fe), rng_(seed) {}

  std::uint16_t current(double t) {
    double lead_s = fe_.current_lead_deg / (360.0 * 50.0);
    return adc(fe_.bias_i_v + fe_.drift_v_per_s * t + s_.current(t + lead_s) / fe_.current_gain);
  }
  std::uint16_t voltage(double t) {
    return adc(fe_.bias_v_v + fe_.drift_v_per_s * t + s_.voltage(t) / fe_.voltage_gain);
  }

 private:
  std::uint16_t adc(double pin_v) {
    double code = pin_v / fe_.vref_v * 1024.0 + noise_(rng_) * fe_.noise_lsb;
    if (code < 0) return 0;
    if (code > 1023) return 1023;
    return static_cast<std::uint16_t>(code);
  }

  const MainsSignal& s_;
  FrontEnd fe_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> noise_{0.0, 1.0};
};

}  // namespace cw::firmware::testing
