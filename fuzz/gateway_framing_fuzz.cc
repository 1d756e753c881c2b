// libFuzzer target for the serial gateway framing decoder: arbitrary bytes must never crash it
// or make it report a frame outside 1..32 bytes, and every decoded frame must re-encode to a
// stream that decodes to that very frame and nothing else.
//
// Run with scripts/fuzz.sh, or stand-alone:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//     fuzz/gateway_framing_fuzz.cc src/ingest/gateway_framing.cc -o /tmp/gateway_framing_fuzz
//   /tmp/gateway_framing_fuzz -max_total_time=60
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cstdlib>

#include "ingest/gateway_framing.h"

using namespace cw::ingest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  GatewayDecoder d;
  for (size_t i = 0; i < size; ++i) {
    GatewayDecoder::Event e = d.push(data[i]);
    if (e == GatewayDecoder::Event::kError && d.error() == GatewayError::kNone) std::abort();
    if (e != GatewayDecoder::Event::kFrame) continue;
    if (d.frame_size() == 0 || d.frame_size() > kGatewayMaxPayload) std::abort();
    uint8_t frame[kGatewayMaxPayload];
    const size_t n = d.frame_size();
    memcpy(frame, d.frame(), n);
    uint8_t wire[kGatewayMaxEncoded];
    const size_t w = gateway_encode(frame, n, wire, sizeof wire);
    if (w == 0) std::abort();
    GatewayDecoder again;
    int frames = 0;
    for (size_t j = 0; j < w; ++j) {
      GatewayDecoder::Event e2 = again.push(wire[j]);
      if (e2 == GatewayDecoder::Event::kError) std::abort();
      if (e2 != GatewayDecoder::Event::kFrame) continue;
      if (++frames != 1 || again.frame_size() != n || memcmp(again.frame(), frame, n) != 0)
        std::abort();
    }
    if (frames != 1) std::abort();
  }
  return 0;
}
