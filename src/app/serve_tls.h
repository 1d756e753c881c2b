// Whether `serve` speaks HTTPS, and with which certificate (docs/security.md, "TLS").
#pragma once

#include <string>

#include "app/config.h"
#include "core/status.h"
#include "web/server.h"

namespace cw::app {

// 127.0.0.0/8, ::1 and "localhost": a listener only this machine can reach.
bool is_loopback_host(const std::string& host);

// The web options for cfg on host: with tls "auto" HTTPS is on unless host is loopback (so that
// `make run` on localhost:8080 stays plain HTTP); the user's files, or DATA/tls/ made at first
// start. Logs the fingerprint, for the user to compare with the browser's.
Result<web::WebOptions> serve_web_options(const Config& cfg, const std::string& host);

}  // namespace cw::app
