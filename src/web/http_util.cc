#include "web/http_util.h"

namespace cw::web {

using nlohmann::json;

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  // Sensor and user names come from people: never let a bad byte turn into an exception.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), kJsonType);
}

void send_error(httplib::Response& res, int status, std::string_view code,
                std::string_view message) {
  send_json(res, status, json{{"error", code}, {"message", message}});
}

int http_status_for(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
      return 409;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kUnavailable:
      return 503;
    case Code::kResourceExhausted:
      return 507;
    case Code::kCorruption:
    case Code::kInternal:
      return 500;
  }
  return 500;
}

void send_status(httplib::Response& res, const Status& status) {
  send_error(res, http_status_for(status.code()), code_name(status.code()), status.message());
}

void fill_error_body(httplib::Response& res) {
  switch (res.status) {
    case 400:
      return send_error(res, 400, "bad_request", "the request is malformed");
    case 401:
      return send_error(res, 401, "unauthenticated", "please log in");
    case 403:
      return send_error(res, 403, "permission_denied", "not allowed");
    case 404:
      return send_error(res, 404, "not_found", "no such resource");
    case 405:
      return send_error(res, 405, "method_not_allowed", "method not allowed here");
    case 413:
      return send_error(res, 413, "payload_too_large", "the request body is too large");
    case 414:
      return send_error(res, 414, "uri_too_long", "the request URI is too long");
    case 416:
      return send_error(res, 416, "range_not_satisfiable", "bad Range header");
    case 503:
      return send_error(res, 503, "unavailable", "try again later");
    default:
      return send_error(res, res.status, res.status >= 500 ? "internal" : "bad_request",
                        "the request failed");
  }
}

std::string session_cookie(const std::string& id, TimeMs max_age_ms, bool secure) {
  return std::string(kSessionCookie) + "=" + id +
         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age_ms / 1000) +
         (secure ? "; Secure" : "");
}

std::string cookie_value(const httplib::Request& req, std::string_view name) {
  const std::size_t n = req.get_header_value_count("Cookie");
  for (std::size_t k = 0; k < n; ++k) {
    const std::string header = req.get_header_value("Cookie", k);
    std::string_view h = header;
    while (!h.empty()) {
      std::size_t semi = h.find(';');
      std::string_view part = h.substr(0, semi);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      std::size_t eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name)
        return std::string(part.substr(eq + 1));
      if (semi == std::string_view::npos) break;
      h.remove_prefix(semi + 1);
    }
  }
  return "";
}

Result<json> json_body(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  if (type.rfind(kJsonType, 0) != 0)
    return invalid_argument("the body must be sent as application/json");
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return invalid_argument("the body must be a JSON object");
  return body;
}

Result<std::string> string_member(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string())
    return invalid_argument(std::string("'") + name + "' must be a string");
  return it->get<std::string>();
}

}  // namespace cw::web
