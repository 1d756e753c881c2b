// libFuzzer target for the frame v2 decoder: arbitrary bytes must never crash parse_header,
// open_measurement or open_hello, and a frame that opens with the fixed key must re-seal to the
// very same bytes (the codec is a bijection on valid frames).
//
// Run with scripts/fuzz.sh (seeds: fuzz/corpus/frame_fuzz/, the docs/protocol.md examples,
// sealed with the key below so the re-seal check is reached), or stand-alone:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//     fuzz/frame_fuzz.cc src/protocol/frame.cc src/protocol/host/openssl_aead.cc \
//     -lcrypto -o /tmp/frame_fuzz
//   /tmp/frame_fuzz -max_len=64 -max_total_time=60 fuzz/corpus/frame_fuzz
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cstdlib>

#include "protocol/frame.h"
#include "protocol/host/openssl_aead.h"

namespace {

using namespace cw::protocol;

constexpr uint8_t kKey[kKeySize] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

void check_reseal(const uint8_t* data, size_t size, const uint8_t* resealed, size_t n) {
  if (n != size || memcmp(resealed, data, size) != 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Header h;
  FrameError parsed = parse_header(data, size, &h);
  Measurement m;
  Hello hello;
  // Both opens run on every input: they must re-check what parse_header checked.
  FrameError em = open_measurement(data, size, kKey, openssl_aead(), &m);
  FrameError eh = open_hello(data, size, kKey, openssl_aead(), &hello);
  if (parsed != FrameError::kOk && (em == FrameError::kOk || eh == FrameError::kOk)) std::abort();
  uint8_t out[kMaxFrame];
  if (em == FrameError::kOk) {
    check_reseal(data, size, out,
                 seal_measurement(h.sensor_id, h.counter, m, kKey, openssl_aead(), out));
  }
  if (eh == FrameError::kOk) {
    check_reseal(data, size, out,
                 seal_hello(h.sensor_id, h.counter, hello, kKey, openssl_aead(), out));
  }
  return 0;
}
