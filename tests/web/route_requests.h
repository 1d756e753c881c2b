// Requests to any registered route, for the tests that go through all of them: a path its
// pattern matches, a reply that keeps what the tests look at, a send that cuts a live stream.
#pragma once

#include <cstring>
#include <regex>
#include <set>
#include <string>

#include "web_fixture.h"

namespace cw::web::testing {

inline const std::set<std::string> kAuthCodes = {"unauthenticated", "csrf_rejected",
                                                 "insufficient_scope", "admin_only"};

// A path that the route's pattern matches: ids become 1, optional parts are left out.
inline std::string concrete_path(const std::string& pattern) {
  std::string p = pattern;
  for (const char* opt : {R"((?:/emoncms)?)", R"((?:\.json)?)", R"((?:/([A-Za-z0-9_. -]{1,64}))?)"})
    for (std::size_t at; (at = p.find(opt)) != std::string::npos;) p.erase(at, std::strlen(opt));
  p = std::regex_replace(p, std::regex(R"(\(\\d\{1,\d+\}\))"), "1");
  if (p.ends_with("/?")) p.resize(p.size() - 2);
  return p;
}

struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  std::string code() const {
    auto j = nlohmann::json::parse(body, nullptr, false);
    return j.is_object() ? j.value("error", "") : "";
  }
};

class RouteTest : public WebTest {
 protected:
  // Sends method path; a streaming reply (live) is cut after its head.
  Reply send(const std::string& method, const std::string& path, httplib::Headers h,
             const std::string& body = "{}", const std::string& type = "application/json") {
    auto c = client();
    Reply out;
    if (method == "GET") {
      c->Get(
          path, h,
          [&](const httplib::Response& r) {
            out.status = r.status;
            out.headers = r.headers;
            return path.find("/live") == std::string::npos || r.status != 200;
          },
          [&](const char* data, std::size_t n) {
            out.body.append(data, n);
            return out.body.size() < (1u << 20);
          });
      return out;
    }
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = std::move(h);
    req.body = body;
    req.set_header("Content-Type", type);
    auto r = c->send(req);
    if (r) out = {r->status, r->body, r->headers};
    return out;
  }
};

}  // namespace cw::web::testing
