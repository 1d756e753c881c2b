// libFuzzer target for the legacy v1 decoder: arbitrary bytes must never crash open_legacy_v1;
// a 16-byte input always opens (nothing is authenticated), its plaintext re-packs to the same
// bytes, and the firmware's seal of the decoded reading gives back the input (ECB is a bijection,
// the portable AES and OpenSSL agree). The legacy timer rules must be total as well.
//
// Run with scripts/fuzz.sh, or stand-alone:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc fuzz/legacy_v1_fuzz.cc \
//     src/protocol/legacy_v1.cc src/protocol/aes128.cc src/protocol/host/legacy_openssl.cc \
//     src/ingest/legacy_rules.cc -lcrypto -o /tmp/legacy_v1_fuzz
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cstdlib>

#include "ingest/legacy_rules.h"
#include "protocol/host/legacy_openssl.h"
#include "protocol/legacy_v1.h"

namespace {

using namespace cw::protocol;
constexpr uint8_t kKey[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  LegacyReading r{};
  uint8_t plain[kLegacyFrame];
  const bool opened = open_legacy_v1(data, size, kKey, &r, plain);
  if (opened != (size == kLegacyFrame)) std::abort();
  if (!opened) return 0;
  uint8_t repacked[kLegacyFrame], resealed[kLegacyFrame];
  legacy_pack(r, repacked);
  if (memcmp(repacked, plain, kLegacyFrame) != 0) std::abort();
  legacy_seal(r, kKey, resealed);
  if (memcmp(resealed, data, kLegacyFrame) != 0) std::abort();
  cw::ingest::LegacyMemo memo;
  memo.has_prev = true;
  memo.last_timer_ms = r.timer_ms ^ 0x00FF00FFu;
  (void)cw::ingest::classify_timer(memo, plain, r.timer_ms);
  (void)cw::ingest::legacy_shape_ok(r);
  return 0;
}
