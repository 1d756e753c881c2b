// Legacy v1 codec (layout in legacy_v1.h). Bytes are assembled one by one so the result does not
// depend on the host's endianness or struct packing (the AVR packs <HHHLlH> without holes).
#include "protocol/legacy_v1.h"

#include "protocol/aes128.h"

namespace cw {
namespace protocol {
namespace {

void put(uint8_t* p, uint32_t v, int n) {
  for (int i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint32_t get(const uint8_t* p, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

void legacy_pack(const LegacyReading& r, uint8_t out[kLegacyFrame]) {
  put(out, r.power_w, 2);
  put(out + 2, r.voltage_v, 2);
  put(out + 4, r.battery_mv, 2);
  put(out + 6, r.timer_ms, 4);
  put(out + 10, static_cast<uint32_t>(r.padding4), 4);
  put(out + 14, r.padding2, 2);
}

void legacy_unpack(const uint8_t in[kLegacyFrame], LegacyReading* out) {
  out->power_w = static_cast<uint16_t>(get(in, 2));
  out->voltage_v = static_cast<uint16_t>(get(in + 2, 2));
  out->battery_mv = static_cast<uint16_t>(get(in + 4, 2));
  out->timer_ms = get(in + 6, 4);
  const uint32_t raw = get(in + 10, 4);
  // Two's complement back to signed without implementation-defined conversion.
  out->padding4 = raw <= 0x7FFFFFFFu ? static_cast<int32_t>(raw) : -static_cast<int32_t>(~raw) - 1;
  out->padding2 = static_cast<uint16_t>(get(in + 14, 2));
}

void legacy_seal(const LegacyReading& r, const uint8_t key[16], uint8_t out[kLegacyFrame]) {
  Aes128Key k;
  aes128_expand_key(key, &k);
  legacy_pack(r, out);
  aes128_encrypt(k, out, out);
  aes128_wipe(&k);
}

}  // namespace protocol
}  // namespace cw
