// Internal to the web layer: the security headers sent with every response.
//
// The Content-Security-Policy allows only this origin's own files: no inline script or style,
// no eval, no plugin, no framing (clickjacking), no <base> trick, forms post only here. The UI
// (ui/index.html, ui/js) is written to it: one module script file, styles from style.css.
// Under TLS, HSTS tells the browser to come back over HTTPS only.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cw::web {

inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

inline std::vector<std::pair<std::string, std::string>> security_headers(bool tls) {
  std::vector<std::pair<std::string, std::string>> h = {
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
  };
  if (tls) h.emplace_back("Strict-Transport-Security", "max-age=31536000");
  return h;
}

}  // namespace cw::web
