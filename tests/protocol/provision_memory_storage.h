// Test support: SettingsStorage in RAM, standing in for the sensor's EEPROM, with switches to
// make reads or writes fail the way a worn or absent EEPROM would.
#pragma once

#include "protocol/provision_device.h"

namespace cw::protocol::provision::testing {

class MemoryStorage final : public SettingsStorage {
 public:
  bool load(Settings* out) override {
    if (fail_load) return false;
    *out = stored;
    return true;
  }
  bool save(const Settings& s) override {
    if (fail_save) return false;
    stored = s;
    if (corrupt_id_on_save) stored.sensor_id = static_cast<uint16_t>(stored.sensor_id ^ 1);
    ++saves;
    return true;
  }
  uint32_t frame_counter() override { return counter; }

  Settings stored;
  uint32_t counter = 0;
  int saves = 0;
  bool fail_load = false;
  bool fail_save = false;
  bool corrupt_id_on_save = false;  // an EEPROM that reads back something else than was written
};

}  // namespace cw::protocol::provision::testing
