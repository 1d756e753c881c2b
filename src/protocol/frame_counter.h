// The sensor's frame counter, persisted in EEPROM so that it never repeats, even across power
// cuts at any instant, while writing the EEPROM rarely (docs/protocol.md, "Frame counter").
//
// The EEPROM holds a high-water mark H: counters below H may have been used, counters from H on
// never were. Before the sensor uses counter H it writes H + window, and only then goes on. At
// boot it resumes at the stored H, skipping what was left of the window it had reserved (the
// base sees a jump in the counter and the reboot flag: no loss is counted). A write torn by a
// power cut leaves a slot whose check byte is wrong: it is ignored and the previous mark holds,
// and no counter of the unwritten window was used.
//
// Wear levelling: marks rotate over `slots` cells of 5 bytes (value LE + CRC-8). With a window of
// 256 and a frame every 10 s, a cell is written once every slots × 43 minutes.
//
// Portable: no heap, no exceptions; the firmware passes its EEPROM access functions.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace cw {
namespace protocol {

struct EepromIo {
  uint8_t (*read)(void* ctx, uint16_t addr);
  void (*write)(void* ctx, uint16_t addr, uint8_t value);
  void* ctx;
};

constexpr size_t kCounterSlotSize = 5;

class FrameCounter {
 public:
  // base: first EEPROM address of the slots; the area is slots * kCounterSlotSize bytes.
  FrameCounter(const EepromIo& io, uint16_t base, uint8_t slots, uint32_t window);

  // Reads the stored mark and reserves the first window. Returns false when the counter space
  // is exhausted (the sensor must be re-keyed) or the configuration is invalid.
  bool boot();
  // The next counter to put in a frame, writing a new mark first when the window is used up.
  // Returns false when exhausted: the sensor must stop sending until it is re-keyed.
  bool next(uint32_t* out);
  // Counters from this value on were never used (the stored mark).
  uint32_t mark() const { return mark_; }

 private:
  bool load(uint32_t* value, uint8_t* slot) const;
  bool store(uint32_t value);

  EepromIo io_;
  uint16_t base_;
  uint8_t slots_;
  uint32_t window_;
  uint32_t next_ = 0;
  uint32_t mark_ = 0;
  uint8_t slot_ = 0;  // slot holding mark_
  bool booted_ = false;
};

// CRC-8 (polynomial 0x07, init 0) of n bytes.
uint8_t crc8(const uint8_t* data, size_t n);

}  // namespace protocol
}  // namespace cw
