// libFuzzer harness for the bodies of the admin's sensor routes (web/sensor_body.h): any bytes
// sent as JSON must give a request or an error, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "web/http_util.h"
#include "web/sensor_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  httplib::Request req;
  req.body.assign(reinterpret_cast<const char*>(data), size);
  req.set_header("Content-Type", "application/json");
  auto body = cw::web::json_body(req);
  if (!body) return 0;
  if (auto s = cw::web::parse_new_sensor(*body); s.is_ok() && s->name.empty()) __builtin_trap();
  if (auto n = cw::web::parse_sensor_rename(*body); n.is_ok() && n->empty()) __builtin_trap();
  return 0;
}
