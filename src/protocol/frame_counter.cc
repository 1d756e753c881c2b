#include "protocol/frame_counter.h"

namespace cw {
namespace protocol {

uint8_t crc8(const uint8_t* data, size_t n) {
  uint8_t crc = 0;
  for (size_t i = 0; i < n; ++i) {
    crc = static_cast<uint8_t>(crc ^ data[i]);
    for (int b = 0; b < 8; ++b)
      crc = static_cast<uint8_t>((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
  }
  return crc;
}

FrameCounter::FrameCounter(const EepromIo& io, uint16_t base, uint8_t slots, uint32_t window)
    : io_(io), base_(base), slots_(slots), window_(window) {}

// The highest valid mark over all slots; false when no slot is valid (a new sensor).
bool FrameCounter::load(uint32_t* value, uint8_t* slot) const {
  bool found = false;
  for (uint8_t s = 0; s < slots_; ++s) {
    uint8_t b[kCounterSlotSize];
    for (size_t i = 0; i < kCounterSlotSize; ++i)
      b[i] = io_.read(io_.ctx, static_cast<uint16_t>(base_ + s * kCounterSlotSize + i));
    // Erased EEPROM reads 0xFF: an all-0xFF slot has a wrong CRC, so it is never taken as a mark.
    if (crc8(b, 4) != b[4]) continue;
    uint32_t v = uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
    if (!found || v > *value) {
      *value = v;
      *slot = s;
      found = true;
    }
  }
  return found;
}

// Writes value into the slot after the current one, so the current mark survives a torn write.
bool FrameCounter::store(uint32_t value) {
  uint8_t s = static_cast<uint8_t>((slot_ + 1) % slots_);
  uint8_t b[kCounterSlotSize] = {static_cast<uint8_t>(value), static_cast<uint8_t>(value >> 8),
                                 static_cast<uint8_t>(value >> 16),
                                 static_cast<uint8_t>(value >> 24), 0};
  b[4] = crc8(b, 4);
  for (size_t i = 0; i < kCounterSlotSize; ++i)
    io_.write(io_.ctx, static_cast<uint16_t>(base_ + s * kCounterSlotSize + i), b[i]);
  // Read back: a write that did not take (worn cell) must not let us use the window.
  uint32_t check = 0;
  uint8_t at = 0;
  if (!load(&check, &at) || check != value) return false;
  slot_ = at;
  mark_ = value;
  return true;
}

bool FrameCounter::boot() {
  booted_ = false;
  if (slots_ < 2 || window_ == 0) return false;
  uint32_t h = 1;  // a new sensor starts at 1: counter 0 is never sent
  uint8_t s = static_cast<uint8_t>(slots_ - 1);  // so that the first mark goes to slot 0
  if (!load(&h, &s)) h = 1;
  slot_ = s;
  if (h > UINT32_MAX - window_) return false;
  next_ = h;
  if (!store(h + window_)) return false;
  booted_ = true;
  return true;
}

bool FrameCounter::next(uint32_t* out) {
  if (!booted_) return false;
  if (next_ >= mark_) {
    if (mark_ > UINT32_MAX - window_ || !store(mark_ + window_)) return false;
  }
  *out = next_++;
  return true;
}

}  // namespace protocol
}  // namespace cw
