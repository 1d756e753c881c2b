// libFuzzer harness for the Linky TIC path: the byte stream decoder (protocol/tic.h), the
// interpretation of each frame (ingest/tic_reading.h) and the register recorder. Any byte stream
// must give frames, errors or nothing: never a crash, an overflow or an exception.
#include <cstddef>
#include <cstdint>

#include "ingest/register_recorder.h"
#include "ingest/tic_reading.h"
#include "protocol/tic.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cw;
  protocol::tic::Decoder d;
  ingest::RegisterRecorder recorder;
  TimeMs t = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (d.push(data[i]) != protocol::tic::Decoder::Event::kFrame) continue;
    auto r = ingest::interpret(d.frame());
    if (r) (void)recorder.update(r->registers, r->period, t += 60000);
  }
  protocol::tic::Group g;
  (void)protocol::tic::parse_group(data, size, &g);
  return 0;
}
