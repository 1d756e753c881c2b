// The sensor's EEPROM (1 KiB): the provisioned settings and the frame counter's marks.
//
//   0x010..0x05F  frame counter: 16 slots of 5 bytes (protocol/frame_counter.h)
//   0x080..0x0AB  settings, copy A    0x0C0..0x0EB  settings, copy B
//
// A settings copy is the Settings fields, a sequence byte and a CRC-8 over both. save() writes
// the older copy with the next sequence and reads it back; load() takes the valid copy with
// the newer sequence. A write torn by a power cut leaves a bad CRC: the other copy, the old
// settings, holds. The key sits in EEPROM: set the lock bits so ISP cannot read it out
// (docs/hardware.md).
#pragma once

#include "protocol/frame_counter.h"
#include "protocol/provision_device.h"

namespace cw {
namespace avr {

constexpr uint16_t kCounterBase = 0x010;
constexpr uint8_t kCounterSlots = 16;
constexpr uint32_t kCounterWindow = 256;

class EepromStorage final : public protocol::provision::SettingsStorage {
 public:
  EepromStorage();
  bool load(protocol::provision::Settings* out) override;
  bool save(const protocol::provision::Settings& s) override;
  uint32_t frame_counter() override { return counter_.mark(); }

  protocol::FrameCounter& counter() { return counter_; }

 private:
  protocol::FrameCounter counter_;
};

}  // namespace avr
}  // namespace cw
