// libFuzzer harness for the store's block codec (src/store/column_codec.h).
// Any input must decode to a block or to Code::kCorruption, without crashing; a block that
// decodes must re-encode and decode back to itself. The record mappings (samples, rollups) are
// exercised on the same bytes. Build with clang -fsanitize=fuzzer,address,undefined and link
// cw_store (see docs/storage.md, "Fuzzing").
#include <cstdint>
#include <cstdlib>
#include <span>

#include "store/column_codec.h"
#include "store/record_blocks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cw::store;
  std::span<const std::uint8_t> bytes(data, size);
  auto block = decode_block(bytes);
  if (!block.is_ok()) {
    if (block.status().code() != cw::Code::kCorruption) std::abort();
  } else {
    auto again = encode_block(*block);
    if (!again.is_ok()) std::abort();
    auto back = decode_block(*again);
    if (!back.is_ok() || !(*back == *block)) std::abort();
  }
  auto samples = decode_samples(bytes);
  if (samples.is_ok()) {
    auto enc = encode_samples(*samples);
    if (!enc.is_ok()) std::abort();
    auto back = decode_samples({reinterpret_cast<const std::uint8_t*>(enc->data()), enc->size()});
    if (!back.is_ok() || *back != *samples) std::abort();
  }
  auto rollups = decode_rollups(bytes);
  if (rollups.is_ok()) {
    auto enc = encode_rollups(*rollups);
    if (!enc.is_ok()) std::abort();
    auto back = decode_rollups({reinterpret_cast<const std::uint8_t*>(enc->data()), enc->size()});
    if (!back.is_ok() || *back != *rollups) std::abort();
  }
  return 0;
}
