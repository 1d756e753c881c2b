// Plays a parsed Recording back as a PowerSource, in its original timestamps (the Simulation
// maps them onto the send clock). Several sources may share one recording.
#pragma once

#include <cstddef>
#include <memory>

#include "simulate/power_source.h"
#include "simulate/recording.h"

namespace cw::simulate {

class ReplaySource final : public PowerSource {
 public:
  explicit ReplaySource(std::shared_ptr<const Recording> recording) : rec_(std::move(recording)) {}

  bool next(PowerSample* out) override {
    if (i_ >= rec_->samples.size()) return false;
    *out = rec_->samples[i_++];
    return true;
  }
  TimeMs nominal_step_ms() const override { return rec_->nominal_step_ms; }

 private:
  std::shared_ptr<const Recording> rec_;
  std::size_t i_ = 0;
};

}  // namespace cw::simulate
