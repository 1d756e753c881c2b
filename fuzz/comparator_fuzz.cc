// libFuzzer harness for what a base takes from the hub for the comparator: the downloaded
// distributions (any JSON) and the rank computed from them. Never a crash, an exception, or a
// share outside [0, 1].
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "privacy/comparator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return 0;
  for (const auto& cell : cw::privacy::parse_distributions(j)) {
    for (double wh : {0.0, 1234.0, 1e9}) {
      const double s = cw::privacy::share_using_more(cell.points, wh);
      if (!(s >= 0.0 && s <= 1.0)) __builtin_trap();
    }
  }
  return 0;
}
