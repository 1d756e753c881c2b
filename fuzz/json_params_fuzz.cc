// libFuzzer harness for the web layer's input edge: query parameters, JSON bodies, cookies,
// user names. Every input must give a value or an error, never a crash or an exception.
//
// Not part of the default build (g++ has no libFuzzer). With clang:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I src fuzz/json_params_fuzz.cc \
//     src/web/params.cc src/web/http_util.cc src/web/passwords.cc src/core/time.cc \
//     src/core/status.cc -lcpp-httplib -lsodium -ldate-tz -o json_params_fuzz
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/http_util.h"
#include "web/params.h"
#include "web/passwords.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  // Split the input into up to 8 NUL-separated values for the named parameters.
  static const char* kNames[] = {"from", "to", "points", "unit", "by", "format", "sensor", "x"};
  httplib::Params params;
  std::size_t start = 0;
  for (const char* name : kNames) {
    if (start > in.size()) break;
    std::size_t end = in.find('\0', start);
    if (end == std::string_view::npos) end = in.size();
    params.emplace(name, std::string(in.substr(start, end - start)));
    start = end + 1;
  }
  using namespace cw::web;
  (void)parse_range(params, 1711965600000, cw::kDayMs);
  (void)parse_points(params);
  (void)parse_unit(params);
  (void)parse_energy_period(params);
  (void)parse_export_format(params);
  (void)parse_sensor_id(in);
  (void)parse_bounded(in, 0, INT64_MAX, "fuzz");
  (void)check_username(in);

  httplib::Request req;
  req.body = std::string(in);
  req.set_header("Content-Type", "application/json");
  req.set_header("Cookie", std::string(in));
  if (auto body = json_body(req); body.is_ok()) {
    (void)string_member(*body, "username");
    (void)string_member(*body, "password");
  }
  (void)cookie_value(req, kSessionCookie);
  return 0;
}
