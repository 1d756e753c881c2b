// Internal to the web layer: JSON replies, errors, cookies, request bodies.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace cw::web {

inline constexpr const char* kJsonType = "application/json";
inline constexpr const char* kSessionCookie = "cw_session";

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
// {"error": code, "message": message}
void send_error(httplib::Response& res, int status, std::string_view code,
                std::string_view message);
// Maps a Status to its HTTP status and its stable code name (core/status.h).
void send_status(httplib::Response& res, const Status& status);
int http_status_for(Code code);
// The generic body for a status httplib produced itself (404 of an unknown route, 413...).
void fill_error_body(httplib::Response& res);

// The Set-Cookie value of a session: HttpOnly, SameSite=Strict, Path=/, and Secure under TLS.
// An empty id with max_age 0 clears the cookie.
std::string session_cookie(const std::string& id, TimeMs max_age_ms, bool secure);

// The value of a cookie from the Cookie header, "" when absent.
std::string cookie_value(const httplib::Request& req, std::string_view name);

// The body as a JSON object; invalid_argument when it is not JSON, not an object, or not sent
// as application/json (a plain form cannot send that type cross-site without CORS).
Result<nlohmann::json> json_body(const httplib::Request& req);
// A string member of a JSON object; invalid_argument when absent or not a string.
Result<std::string> string_member(const nlohmann::json& obj, const char* name);

}  // namespace cw::web
