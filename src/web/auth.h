// Internal to the web layer: the one function that decides who may call a route.
//
// Credentials: "Authorization: Bearer cwt_..." (an API token) or the cw_session cookie.
// CSRF: a state-changing request (POST, PUT, PATCH, DELETE) that does not use a Bearer token must
// come from this origin: its Origin header names the Host, or, without Origin, Sec-Fetch-Site is
// same-origin. A request with neither header is accepted only without a cookie (a script or the
// CLI: it has no ambient credential to abuse).
#pragma once

#include <httplib.h>

#include <string>

#include "web/routes.h"

namespace cw::web {

struct Denial {
  int http_status = 401;
  std::string code;  // stable: unauthenticated, csrf_rejected, insufficient_scope, admin_only
  std::string message;
};

// The principal behind req when it may call a route of the given access, else why not.
// On success for a token, its last_used is refreshed (at most once a minute).
std::variant<Principal, Denial> authorize(ServerState& s, const httplib::Request& req,
                                          Access access);

// True when a state-changing request passes the same-origin rule above.
bool same_origin(const httplib::Request& req);

}  // namespace cw::web
