// libFuzzer harness for the emoncms import parser (ingest/import_formats.h) and the import plan on
// what it parses: a series or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/import_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto s = cw::ingest::parse_emoncms_csv(text, cw::ingest::PowerUnit::kAuto, cw::Calendar::utc());
  if (s) (void)cw::ingest::plan_import(*s, cw::ingest::StoredView{});
  return 0;
}
