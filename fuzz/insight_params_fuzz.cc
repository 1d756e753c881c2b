// libFuzzer harness for the insight routes' input edge: the alert query (state, limit), the body
// of PUT /api/v1/target, and the durations of the [alerts] configuration. Every input must give
// a value or an error, never a crash or an exception.
//
// Built by scripts/fuzz.sh (clang, -DCW_FUZZ=ON); seeds in fuzz/corpus/insight_params_fuzz/.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "analytics/targets.h"
#include "app/config.h"
#include "web/http_util.h"
#include "web/insight_params.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  // The first two NUL-separated values are the query's state and limit.
  httplib::Params params;
  const std::size_t a = in.find('\0');
  params.emplace("state", std::string(in.substr(0, a)));
  if (a != std::string_view::npos) {
    const std::size_t b = in.find('\0', a + 1);
    params.emplace("limit",
                   std::string(in.substr(a + 1, b == std::string_view::npos ? b : b - a - 1)));
  }
  (void)cw::web::parse_alert_query(params);

  httplib::Request req;
  req.body = std::string(in);
  req.set_header("Content-Type", "application/json");
  if (auto body = cw::web::json_body(req); body.is_ok()) {
    if (auto t = cw::web::parse_target_body(*body, 1711965600000); t.is_ok() && t->has_value())
      (void)cw::analytics::target_amount_text(**t);
  }
  (void)cw::analytics::make_target(in.substr(0, a), in, 0);
  (void)cw::app::parse_duration(in);
  return 0;
}
