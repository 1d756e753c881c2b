// Consent and sharing (docs/api.md, "Privacy"): the consent per purpose with its exact text, the
// context a household adds, the hub it shares with, what was shared, and the comparator
// computed at home. Changing any of them is for an admin session.
#include "privacy/service.h"
#include "web/http_util.h"
#include "web/routes.h"

namespace cw::web {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

bool ready(ServerState& s, Response& res) {
  if (s.ctx.privacy) return true;
  send_error(res, 503, "unavailable", "sharing is not available on this base");
  return false;
}

void send_result(Response& res, const Result<json>& r) {
  if (!r) return send_status(res, r.status());
  send_json(res, 200, *r);
}

void put_consent(ServerState& s, const Request& req, Response& res) {
  auto body = json_body(req);
  if (!body) return send_status(res, body.status());
  auto purpose = string_member(*body, "purpose");
  if (!purpose) return send_status(res, purpose.status());
  auto item = privacy::parse_consent_item(*purpose);
  if (!item) return send_status(res, item.status());
  if (!body->contains("granted") || !(*body)["granted"].is_boolean())
    return send_error(res, 400, "invalid_argument", "granted must be true or false");
  const bool granted = (*body)["granted"];
  const json& backfill = body->value("backfill_days", json(0));
  if (!backfill.is_number_integer())
    return send_error(res, 400, "invalid_argument", "backfill_days must be an integer");
  const json& version = body->value("text_version", json(""));
  const json& lang = body->value("lang", json("fr"));
  if (!version.is_string() || !lang.is_string())
    return send_error(res, 400, "invalid_argument", "text_version and lang must be strings");
  Status st = s.ctx.privacy->set_consent(*item, granted, version.get<std::string>(),
                                         lang.get<std::string>(), backfill.get<int>());
  if (!st) return send_status(res, st);
  send_result(res, s.ctx.privacy->state());
}

void put_context(ServerState& s, const Request& req, Response& res) {
  auto body = json_body(req);
  if (!body) return send_status(res, body.status());
  privacy::Context c;
  for (auto [name, field] : {std::pair{"area", &c.area},
                             {"household_size", &c.household_size},
                             {"heating", &c.heating},
                             {"dwelling", &c.dwelling}}) {
    const json& v = body->value(name, json(""));
    if (!v.is_string())
      return send_error(res, 400, "invalid_argument", std::string(name) + " must be a string");
    *field = v.get<std::string>();
  }
  if (Status st = s.ctx.privacy->set_context(c); !st) return send_status(res, st);
  send_result(res, s.ctx.privacy->state());
}

void put_hub(ServerState& s, const Request& req, Response& res) {
  auto body = json_body(req);
  if (!body) return send_status(res, body.status());
  auto url = string_member(*body, "url");
  auto credential = string_member(*body, "credential");
  if (!url) return send_status(res, url.status());
  if (!credential) return send_status(res, credential.status());
  const json& ca = body->value("ca_pem", json(""));
  if (!ca.is_string()) return send_error(res, 400, "invalid_argument", "ca_pem must be a string");
  if (Status st = s.ctx.privacy->set_hub(*url, *credential, ca.get<std::string>()); !st)
    return send_status(res, st);
  send_result(res, s.ctx.privacy->state());
}

}  // namespace

std::vector<Route> privacy_routes(ServerState& s) {
  auto guard = [&s](auto fn) {
    return [&s, fn](const Request& req, Response& res, const Principal&) {
      if (ready(s, res)) fn(s, req, res);
    };
  };
  return {
      {"GET", "/api/v1/privacy", Access::kRead,
       guard([](ServerState& s, const Request&, Response& res) {
         send_result(res, s.ctx.privacy->state());
       })},
      {"PUT", "/api/v1/privacy/consent", Access::kAdmin, guard(put_consent)},
      {"DELETE", "/api/v1/privacy/consent", Access::kAdmin,
       guard([](ServerState& s, const Request&, Response& res) {
         if (Status st = s.ctx.privacy->revoke_all(); !st) return send_status(res, st);
         send_result(res, s.ctx.privacy->state());
       })},
      {"PUT", "/api/v1/privacy/context", Access::kAdmin, guard(put_context)},
      {"PUT", "/api/v1/privacy/hub", Access::kAdmin, guard(put_hub)},
      {"GET", "/api/v1/privacy/shared", Access::kRead,
       guard([](ServerState& s, const Request&, Response& res) {
         send_result(res, s.ctx.privacy->shared());
       })},
      {"GET", "/api/v1/privacy/comparator", Access::kRead,
       guard([](ServerState& s, const Request&, Response& res) {
         send_result(res, s.ctx.privacy->comparator());
       })},
  };
}

}  // namespace cw::web
