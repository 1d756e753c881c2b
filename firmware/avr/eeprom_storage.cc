#include "eeprom_storage.h"

#include <avr/eeprom.h>
#include <string.h>

namespace cw {
namespace avr {

namespace {

namespace pv = protocol::provision;

constexpr uint16_t kCopy[2] = {0x080, 0x0C0};
constexpr uint8_t kBody = 2 + 1 + protocol::kKeySize + pv::kRadioAddressSize + 4 * pv::kCalChannels;
constexpr uint8_t kCopySize = kBody + 2;  // + sequence + CRC

uint8_t io_read(void*, uint16_t addr) {
  return eeprom_read_byte(reinterpret_cast<const uint8_t*>(addr));
}
void io_write(void*, uint16_t addr, uint8_t v) {
  eeprom_update_byte(reinterpret_cast<uint8_t*>(addr), v);
}
const protocol::EepromIo kIo = {&io_read, &io_write, nullptr};

void pack(const pv::Settings& s, uint8_t* b) {
  b[0] = static_cast<uint8_t>(s.sensor_id);
  b[1] = static_cast<uint8_t>(s.sensor_id >> 8);
  b[2] = s.key_set ? 1 : 0;
  memcpy(b + 3, s.key, protocol::kKeySize);
  memcpy(b + 3 + protocol::kKeySize, s.radio_address, pv::kRadioAddressSize);
  uint8_t* c = b + 3 + protocol::kKeySize + pv::kRadioAddressSize;
  for (uint8_t k = 0; k < pv::kCalChannels; ++k)
    for (uint8_t i = 0; i < 4; ++i)
      c[4 * k + i] = static_cast<uint8_t>(static_cast<uint32_t>(s.calibration[k]) >> (8 * i));
}

void unpack(const uint8_t* b, pv::Settings* s) {
  s->sensor_id = static_cast<uint16_t>(b[0] | b[1] << 8);
  s->key_set = b[2] == 1;
  memcpy(s->key, b + 3, protocol::kKeySize);
  memcpy(s->radio_address, b + 3 + protocol::kKeySize, pv::kRadioAddressSize);
  const uint8_t* c = b + 3 + protocol::kKeySize + pv::kRadioAddressSize;
  for (uint8_t k = 0; k < pv::kCalChannels; ++k) {
    uint32_t v = 0;
    for (uint8_t i = 0; i < 4; ++i) v |= static_cast<uint32_t>(c[4 * k + i]) << (8 * i);
    s->calibration[k] = static_cast<int32_t>(v);
  }
}

// Reads copy k; true when its CRC holds. *seq is its sequence byte.
bool read_copy(uint8_t k, uint8_t* b, uint8_t* seq) {
  for (uint8_t i = 0; i < kCopySize; ++i) b[i] = io_read(nullptr, kCopy[k] + i);
  *seq = b[kBody];
  // An erased EEPROM (all 0xFF) is not a copy, whatever its CRC byte happens to be.
  return b[2] <= 1 && protocol::crc8(b, kBody + 1) == b[kBody + 1];
}

// Sequence a is newer than b (modulo 256).
bool newer(uint8_t a, uint8_t b) {
  return static_cast<int8_t>(a - b) > 0;
}

// The valid copy with the newer sequence, or -1.
int8_t current_copy(uint8_t* seq_out) {
  uint8_t b[kCopySize], seq[2];
  bool ok[2] = {read_copy(0, b, &seq[0]), read_copy(1, b, &seq[1])};
  memset(b, 0, sizeof b);  // it held the key
  if (ok[0] && ok[1]) {
    int8_t k = newer(seq[1], seq[0]) ? 1 : 0;
    *seq_out = seq[k];
    return k;
  }
  if (ok[0] || ok[1]) {
    int8_t k = ok[0] ? 0 : 1;
    *seq_out = seq[k];
    return k;
  }
  return -1;
}

}  // namespace

EepromStorage::EepromStorage() : counter_(kIo, kCounterBase, kCounterSlots, kCounterWindow) {}

bool EepromStorage::load(pv::Settings* out) {
  *out = pv::Settings{};
  uint8_t seq = 0;
  int8_t k = current_copy(&seq);
  if (k < 0) return true;  // never provisioned (or both copies lost): no settings
  uint8_t b[kCopySize];
  read_copy(static_cast<uint8_t>(k), b, &seq);
  unpack(b, out);
  memset(b, 0, sizeof b);
  return true;
}

bool EepromStorage::save(const pv::Settings& s) {
  uint8_t seq = 0;
  int8_t k = current_copy(&seq);
  uint8_t target = k == 0 ? 1 : 0;  // never overwrite the copy that holds
  uint8_t b[kCopySize];
  pack(s, b);
  b[kBody] = static_cast<uint8_t>(k < 0 ? 1 : seq + 1);
  b[kBody + 1] = protocol::crc8(b, kBody + 1);
  for (uint8_t i = 0; i < kCopySize; ++i) io_write(nullptr, kCopy[target] + i, b[i]);
  bool ok = true;
  for (uint8_t i = 0; i < kCopySize; ++i) ok = ok && io_read(nullptr, kCopy[target] + i) == b[i];
  memset(b, 0, sizeof b);
  return ok;
}

}  // namespace avr
}  // namespace cw
