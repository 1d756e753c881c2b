// The sensor's cumulative energy register (frame field "energy register", docs/protocol.md):
// whole watt-hours, which only grow, plus the exact remainder below one watt-hour, so that
// integrating a few watts over months loses nothing to rounding.
//
// Each window's power is held for the time that window stands for (the window itself and the
// sleep after it). Exported power (negative) adds nothing: the register counts what the
// household draws. The register wraps at 2^32 Wh, as the frame field does.
//
// Portable: no heap, no exceptions, no OS. Builds for AVR (8 bytes).
#pragma once

#include <stdint.h>

namespace cw {
namespace firmware {

constexpr uint32_t kMicrojoulesPerWh = 3600000000u;

class EnergyRegister {
 public:
  // Starts from a persisted value (the remainder is lost: at most 1 Wh at a reboot).
  void restore(uint32_t wh) {
    wh_ = wh;
    remainder_uj_ = 0;
  }

  // Adds power_mw held for duration_ms: power x time in microjoules, carried exactly.
  void add(int32_t power_mw, uint32_t duration_ms);

  uint32_t wh() const { return wh_; }
  uint32_t remainder_uj() const { return remainder_uj_; }  // < kMicrojoulesPerWh

 private:
  uint32_t wh_ = 0;
  uint32_t remainder_uj_ = 0;
};

}  // namespace firmware
}  // namespace cw
