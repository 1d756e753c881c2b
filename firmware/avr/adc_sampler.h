// Sampling of the current and voltage channels at a fixed rate: Timer1 starts the current's
// conversion every kPairPeriodUs; the ADC's interrupt then starts the voltage's, kSkewUs later
// (13 ADC clocks at 250 kHz plus the interrupt's entry), and queues the pair for the main loop.
// The measurement core removes that skew by interpolation (firmware/core/power_meter.h).
#pragma once

#include <stdint.h>

namespace cw {
namespace avr {

constexpr uint16_t kPairPeriodUs = 125;  // 8,000 pairs per second
constexpr uint16_t kSkewUs = 55;

struct Pair {
  uint16_t current;
  uint16_t voltage;
};

void sampler_start();
void sampler_stop();
// The oldest queued pair, if any.
bool sampler_pop(Pair* out);
// True when the main loop fell behind and pairs were dropped since sampler_start().
bool sampler_overrun();

// The supply (the ADC's reference) in mV, from a conversion of the 1.1 V band gap. Only while
// the sampler is stopped.
uint16_t read_supply_mv();

}  // namespace avr
}  // namespace cw
