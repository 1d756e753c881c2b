// libFuzzer harness for what the hub takes from anyone: a contribution's JSON (shape, ranges,
// rounding, DST days, token fields), with the base64url and hex decoders it relies on. Every
// input must give a contribution or an error, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "privacy/contribution.h"
#include "privacy/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cw::Calendar calendar = *cw::Calendar::in_zone("Europe/Paris");
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)cw::privacy::from_b64url(in);
  (void)cw::privacy::from_hex(in);
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return 0;
  auto c = cw::privacy::contribution_from_json(j, calendar);
  if (c) {
    // What decodes must encode back to the same binding.
    auto again = cw::privacy::contribution_from_json(cw::privacy::to_json(*c), calendar);
    if (!again || cw::privacy::binding_text(*again) != cw::privacy::binding_text(*c))
      __builtin_trap();
  }
  return 0;
}
