#include "firmware/core/energy_register.h"

namespace cw {
namespace firmware {

void EnergyRegister::add(int32_t power_mw, uint32_t duration_ms) {
  if (power_mw <= 0) return;
  // 2^31 mW x 2^32 ms < 2^63: no overflow whatever the period.
  uint64_t uj = static_cast<uint64_t>(power_mw) * duration_ms + remainder_uj_;
  wh_ += static_cast<uint32_t>(uj / kMicrojoulesPerWh);
  remainder_uj_ = static_cast<uint32_t>(uj % kMicrojoulesPerWh);
}

}  // namespace firmware
}  // namespace cw
