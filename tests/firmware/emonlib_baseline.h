// The baseline the sensor's measurement core is compared with: OpenEnergyMonitor's EmonLib
// `calcVI` and `calcIrms`, re-implemented from their published description (the algorithm of
// EmonLib.cpp, in doubles as there), fed with the same front end as ours:
//
// calcVI(crossings, timeout): waits until the voltage sample is within 45-55 % of full scale
// (startV), then takes pairs (voltage, then current) until the voltage has crossed startV
// `crossings` times. Each channel's DC is tracked by a first-order low-pass filter
// (offset += (sample - offset) / 1024); the voltage is interpolated as
// lastV + PHASECAL * (V - lastV); Vrms, Irms and real power come from the sums scaled by
// CAL * (supply / 1024); apparent = Vrms * Irms.
//
// calcIrms(n): n current samples, same DC filter; apparent power = Irms * assumed voltage.
//
// The filter state persists between calls, as in EmonLib's EnergyMonitor object.
#pragma once

#include <functional>

namespace cw::firmware::testing {

struct EmonResult {
  double vrms = 0, irms = 0, real_power = 0, apparent_power = 0, power_factor = 0;
  int samples = 0;
};

class EmonLibBaseline {
 public:
  // Sample sources in EmonLib's order: the voltage of a pair, then its current.
  using Read = std::function<int()>;
  EmonLibBaseline(Read read_v, Read read_i, double vcal, double ical, double phasecal,
                  double supply_mv)
      : read_v_(std::move(read_v)),
        read_i_(std::move(read_i)),
        vcal_(vcal),
        ical_(ical),
        phasecal_(phasecal),
        supply_v_(supply_mv / 1000.0) {}

  // timeout in pairs (EmonLib's is in milliseconds of millis()).
  EmonResult calc_vi(int crossings, int timeout_pairs);
  EmonResult calc_irms(int samples);

 private:
  Read read_v_, read_i_;
  double vcal_, ical_, phasecal_, supply_v_;
  double offset_v_ = 512, offset_i_ = 512;
  double filtered_v_ = 0;
};

}  // namespace cw::firmware::testing
