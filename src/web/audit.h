// Internal to the web layer: writing the audit log (store/security_log.h).
//
// server.cc records every state change that was made (who, from where, which route); login and
// setup record themselves, failed logins too, with the name that was tried. Refused and failed
// requests are not written otherwise: a bad input changes nothing, and a flood of them would push
// real events out of the bounded log (failed logins are bounded by the login throttle). Measurement
// inputs (Access::kIngest) are not security events and are not written either.
#pragma once

#include <httplib.h>

#include <string>

#include "web/routes.h"

namespace cw::web {

// "alice", "token:<name>", "share:<name>", "" for nobody.
std::string actor_of(const Principal& p);

// Appends one event; a failure to write is logged, never turned into a failed request.
void audit(ServerState& s, const httplib::Request& req, const std::string& actor,
           const std::string& action, const std::string& detail, bool ok);

// The generic record of a state change made through route (see above).
void audit_change(ServerState& s, const httplib::Request& req, const httplib::Response& res,
                  const Route& route, const Principal& who);

}  // namespace cw::web
