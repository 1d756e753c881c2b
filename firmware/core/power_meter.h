// The sensor's measurement core: from interleaved ADC samples of current and voltage, the
// readings of one window of whole mains cycles (Vrms, Irms, real power P, apparent power S,
// power factor, frequency).
//
// Samples come in pairs at a fixed rate: the current first, the voltage `skew_us` later (one
// ADC converts both, one after the other). Per pair the core does integer work only, sized for
// an 8-bit AVR at 8,000 pairs per second:
// - DC bias: each channel is centred on the previous window's mean (a running mean), and at the
//   window's end its own mean and drift are removed from the integer sums. The drift is the
//   slope between the means of the window's first and last whole cycles, which hold no AC: a
//   least-squares line through the samples would take some of the signal with it (a sine that
//   starts at a zero crossing correlates with a ramp), and a bare mean would leave the ramp in;
// - phase: the voltage is interpolated (Q14 weight) to the instant of the current sample,
//   shifted by the calibrated phase; that removes the ADC's sequential skew and the clamp's
//   phase lead;
// - windows of whole cycles: a window starts at an upward zero crossing of the reference
//   channel (voltage, or current in current-only mode) and ends at the `cycles`-th next one, so
//   no part-cycle biases the means. Crossings are seen on the sum of the last 8 samples (noise
//   / 2.8, a constant delay that whole cycles do not mind); one needs the signal to go below
//   -hysteresis first and is ignored less than 3/4 of a nominal cycle after the previous one;
//   with no crossing for 1.5 nominal cycles (no load, no voltage), a nominal cycle is counted.
// The sums are exact integers (64-bit); floating point is used once per window.
//
// Portable: no heap, no exceptions, no OS. Builds for AVR (about 110 bytes of RAM).
#pragma once

#include <stdint.h>

#include "firmware/core/calibration.h"

namespace cw {
namespace firmware {

constexpr uint16_t kAdcCounts = 1024;  // 10-bit ADC
constexpr uint16_t kNominalHz = 50;
// A window ends after this many pairs whatever the crossings (keeps the 64-bit sums exact).
constexpr uint16_t kMaxWindowPairs = 16000;

struct MeterSetup {
  uint16_t pair_period_us = 125;  // one current and one voltage sample every period
  uint16_t skew_us = 55;          // voltage sample after the current sample of its pair
  uint8_t cycles = 25;            // whole mains cycles per window
};

struct Reading {
  float vrms = 0;          // V; 0 when there is no voltage channel
  float irms = 0;          // A
  float real_w = 0;        // W; in current-only mode, equal to apparent_va
  float apparent_va = 0;   // VA
  float power_factor = 0;  // real / apparent; 0 when nothing flows
  float frequency_hz = 0;  // 0 when no crossing was seen (no signal on the reference channel)
  uint16_t samples = 0;    // pairs in the window
  uint16_t cycles = 0;     // cycles the window spans (crossings seen or nominal ones)
  uint32_t duration_us = 0;
  bool apparent_only = false;  // no voltage measured: real_w is apparent power at nominal
  bool clamp_missing = false;  // current channel far from mid-scale: no clamp, no bias
  bool clipped = false;        // some sample at 0 or full scale: over range
  // False when the window was centred more than 2 counts off its own mean (the first after
  // begin(), centred on mid-scale), or saw some crossings but not all: it may not be whole
  // cycles. The next one is centred on this one's mean.
  bool settled = false;
};

class PowerMeter {
 public:
  void begin(const MeterSetup& setup, const Calibration& cal);

  // Takes one pair of raw ADC values (0..1023). Returns true when it completed a window; its
  // reading is then in reading() until the next window completes. The sample that ends a window
  // starts the next one, so back-to-back windows cover every sample once.
  bool add(uint16_t current, uint16_t voltage);

  // Forgets the window under way (samples were lost); the next one starts at a crossing.
  void restart();

  const Reading& reading() const { return reading_; }
  // The ADC reference (the AVR's supply, measured against its band gap), used to scale the
  // windows that complete from now on.
  void set_supply_mv(uint16_t mv) { supply_mv_ = mv; }

 private:
  enum class State : uint8_t { kSeeking, kMeasuring };
  struct Sums {
    uint16_t n;
    int32_t i, v, y;     // centred current, centred voltage, shifted voltage (x16)
    int64_t ii, vv, iy;  // and their squares / products
    int64_t ki, kv, ky;  // products with the sample index k, for the drift
    uint16_t clipped;
  };

  void accumulate(int16_t i, int16_t v, bool clipped);
  // True at a crossing of the reference channel; *frac_q8 says how far back it fell, and
  // *real whether it was seen (false: a nominal cycle elapsed without one).
  bool crossing(int16_t ref, uint8_t* frac_q8, bool* real);
  void start_window(uint8_t frac_q8);
  void recentre(int16_t di, int16_t dv);
  void finish(uint8_t end_frac_q8);
  int16_t shifted_voltage() const;

  MeterSetup setup_;
  Calibration cal_;
  uint16_t supply_mv_ = 5000;
  State state_ = State::kSeeking;
  int16_t offset_i_ = kAdcCounts / 2, offset_v_ = kAdcCounts / 2;
  int16_t hysteresis_ = 8;  // in sums of 8 samples
  // The pair being accounted is two pairs old: the voltage may be shifted up to two periods
  // either way. Centred values, newest last.
  int16_t vhist_[5] = {};
  int16_t ihist_[3] = {};
  uint8_t filled_ = 0;      // history entries valid
  int8_t base_ = 0;         // interpolation between vhist_[base_] and vhist_[base_ + 1]
  int16_t weight_q14_ = 0;  // weight of vhist_[base_ + 1]
  bool armed_ = false;
  bool crossed_once_ = false;
  int16_t last_ref_ = 0;    // sum of the last kSmooth reference samples
  int16_t smooth_[8] = {};  // the last reference samples, a ring
  uint8_t smooth_at_ = 0;
  uint16_t since_cross_ = 0;  // pairs since the last crossing
  uint16_t min_gap_ = 0, max_gap_ = 0, nominal_ = 0;
  uint16_t cycles_seen_ = 0;
  bool all_real_ = true;  // every crossing of the window was seen, none was nominal
  bool any_real_ = false;
  uint8_t start_frac_q8_ = 0;  // where the starting crossing fell, in 1/256 of a period back
  Sums sums_ = {};
  // The means of the first and of the current cycle of the window, for the drift.
  struct CycleSums {
    int32_t i, v;
    uint16_t n;
  };
  CycleSums cycle_ = {}, first_ = {};
  Reading reading_;
};

}  // namespace firmware
}  // namespace cw
