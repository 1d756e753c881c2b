// libFuzzer harness for the request parsing of the security routes (routes_security.cc) and of
// every JSON handler's first step: the body as a JSON object (json_body), the share-link and
// password-change bodies, and the session cookie read from a Cookie header. Every input must
// give a value or an error, never a crash. Built by scripts/fuzz.sh (CW_FUZZ, clang).
#include <cstddef>
#include <cstdint>
#include <string>

#include "web/http_util.h"
#include "web/security_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cw::web;
  const std::string in(reinterpret_cast<const char*>(data), size);
  httplib::Request req;
  req.set_header("Content-Type", "application/json");
  req.body = in;
  if (auto body = json_body(req)) {
    (void)parse_share_link_body(*body);
    (void)parse_password_change(*body);
    (void)string_member(*body, "name");
  }
  httplib::Request cookies;
  cookies.set_header("Cookie", in);
  (void)cookie_value(cookies, kSessionCookie);
  return 0;
}
