// A virtual sensor: the state a real sensor keeps (id, key, frame counter, energy register) and
// the exact frames it sends. Energy is integrated from power in integer mW·ms, so no energy is
// ever lost to rounding: the register is the floor of the exact integral, the rest carries over.
//
// Not thread-safe: one owner.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "protocol/frame.h"
#include "simulate/power_source.h"

namespace cw::simulate {

using Key = std::array<std::uint8_t, protocol::kKeySize>;

struct VirtualSensorConfig {
  std::uint16_t id = 1;
  Key key{};
  std::uint32_t first_counter = 1;  // the next counter to use (a real sensor persists it)
  std::uint32_t initial_energy_wh = 0;
  std::uint16_t firmware_version = 0x0200;
  std::uint16_t calibration_id = 0;
  std::uint16_t period_s = 10;  // announced in the hello frame
  TimeMs max_gap_ms = 0;        // readings further apart: power unknown, no energy added
                                // (0 = always integrate)
};

class VirtualSensor {
 public:
  explicit VirtualSensor(const VirtualSensorConfig& config);

  // Takes one reading: the previous reading's power is integrated up to s.t, then s becomes the
  // current reading. Negative power (export) adds nothing: the register counts imported energy.
  void feed(const PowerSample& s);

  // Seal the next frame into out and consume one counter value. Return the frame length, 0 when
  // the counter is exhausted (the sensor must be re-paired) or sealing failed.
  std::size_t hello(std::uint8_t out[protocol::kMaxFrame]);
  std::size_t measurement(std::uint8_t out[protocol::kMaxFrame]);

  std::uint16_t id() const { return config_.id; }
  std::uint32_t next_counter() const { return counter_; }
  std::uint32_t energy_wh() const { return energy_wh_; }  // the register (wraps at 2^32)
  // Exact integrated energy, Wh (register plus the carried remainder).
  double energy_exact_wh() const;
  const PowerSample& current() const { return current_; }

 private:
  bool take_counter(std::uint32_t* c);

  VirtualSensorConfig config_;
  std::uint32_t counter_;
  bool counter_exhausted_ = false;
  std::uint32_t energy_wh_;
  std::int64_t remainder_mwms_ = 0;  // energy below 1 Wh, in mW·ms (1 Wh = 3.6e9 mW·ms)
  PowerSample current_;
  bool has_current_ = false;
  bool sent_measurement_ = false;
};

}  // namespace cw::simulate
