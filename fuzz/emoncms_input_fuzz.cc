// libFuzzer harness for the emoncms input API (ingest/emoncms_input.h): NUL-separated values for
// node, time, fulljson, json, csv, data, sentat, offset, then both parsers and the mapping.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/emoncms_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  static const char* kNames[] = {"node", "time", "fulljson", "json",
                                 "csv",  "data", "sentat",   "offset"};
  cw::ingest::Params params;
  std::size_t start = 0;
  for (const char* name : kNames) {
    if (start > in.size()) break;
    std::size_t end = in.find('\0', start);
    if (end == std::string_view::npos) end = in.size();
    if (end > start) params.emplace(name, std::string(in.substr(start, end - start)));
    start = end + 1;
  }
  const cw::TimeMs now = 1711965600000;
  if (auto item = cw::ingest::parse_input_post(params, ""); item)
    (void)cw::ingest::map_inputs(*item);
  if (auto items = cw::ingest::parse_input_bulk(params, now); items)
    for (const auto& i : *items) (void)cw::ingest::map_inputs(i);
  return 0;
}
