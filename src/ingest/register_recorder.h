// Decides which meter register values are worth keeping (docs/architecture.md, "Inputs that are
// not radio frames"): a register's value is kept when first seen, and when it changed and either
// 5 minutes passed since its last kept value or the meter's current period changed. So energy
// per period between any two instants is a difference of readings interpolated over at most
// 5 minutes, and a period change is recorded exactly. Pure; one per meter.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ingest/tic_reading.h"
#include "store/inputs.h"

namespace cw::ingest {

inline constexpr TimeMs kRegisterKeepEveryMs = 5 * kMinuteMs;

class RegisterRecorder {
 public:
  // The readings to keep from this frame's registers at time t. Registers whose period the
  // frame does not say keep the period learnt when they were last the active one.
  std::vector<store::RegisterReading> update(const std::vector<TicRegister>& registers,
                                             const std::string& period, TimeMs t);

 private:
  struct Kept {
    std::int64_t wh = 0;
    TimeMs t = 0;
  };
  std::map<std::string, Kept> kept_;
  std::map<std::string, std::string> periods_;  // learnt register → period
  std::string period_;                          // current period at the last update
};

}  // namespace cw::ingest
