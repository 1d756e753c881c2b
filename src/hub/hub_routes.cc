// /hub/v1: what bases call (docs/hub.md). Only /hub/v1/tokens knows who calls; every other
// route is anonymous by design, and no handler logs anything about the caller.
#include <httplib.h>

#include "hub/hub_server.h"
#include "privacy/blind_rsa.h"
#include "privacy/encoding.h"
#include "web/http_util.h"

namespace cw::hub {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

constexpr std::size_t kMaxTokenRequests = 64;
constexpr std::size_t kMaxHandles = 1000;

std::string bearer(const Request& req) {
  const std::string h = req.get_header_value("Authorization");
  return h.rfind("Bearer ", 0) == 0 ? h.substr(7) : "";
}

void get_key(HubContext& ctx, const Request& req, Response& res) {
  const std::string period = req.matches[1];
  if (!in_window(ctx, period, 1))
    return web::send_error(res, 404, "not_found", "no key for that day: outside the window");
  auto key = ctx.db.key(period, true);
  if (!key) return web::send_status(res, key.status());
  web::send_json(res, 200,
                 {{"period", period},
                  {"key_id", (*key)->key_id},
                  {"public_key", (*key)->pk.to_pem()},
                  {"scheme", "RSABSSA-SHA384-PSS-Randomized"}});
}

json issue_one(HubContext& ctx, const std::string& base, const json& r) {
  if (!r.is_object() || !r.contains("period") || !r["period"].is_string() ||
      !r.contains("blinded_msg") || !r["blinded_msg"].is_string())
    return {{"error", "bad_request"}};
  const std::string period = r["period"];
  if (!in_window(ctx, period, 1)) return {{"error", "period_closed"}};
  auto key = ctx.db.key(period, false);
  if (!key || !r.contains("key_id") || !r["key_id"].is_string() || r["key_id"] != (*key)->key_id)
    return {{"error", "unknown_key"}};
  auto blinded = privacy::from_b64url(r["blinded_msg"].get<std::string>());
  if (!blinded || blinded->size() != (*key)->pk.modulus_bytes()) return {{"error", "bad_request"}};
  auto sig = ctx.db.issue(base, period, **key, *blinded);
  if (!sig) {
    if (sig.status().code() == Code::kAlreadyExists) return {{"error", "already_issued"}};
    if (sig.status().code() == Code::kInvalidArgument) return {{"error", "bad_request"}};
    return {{"error", "unavailable"}};
  }
  return {{"blind_sig", privacy::b64url(*sig)}};
}

void post_tokens(HubContext& ctx, const Request& req, Response& res) {
  auto base = ctx.db.authenticate(bearer(req));
  if (!base) return web::send_status(res, base.status());
  auto body = web::json_body(req);
  if (!body) return web::send_status(res, body.status());
  const json& requests = (*body)["requests"];
  if (!requests.is_array() || requests.empty() || requests.size() > kMaxTokenRequests)
    return web::send_error(res, 400, "invalid_argument", "requests must be a list of 1 to 64");
  json results = json::array();
  for (const json& r : requests) results.push_back(issue_one(ctx, *base, r));
  web::send_json(res, 200, {{"results", results}});
}

void post_contribution(HubContext& ctx, const Request& req, Response& res) {
  auto body = web::json_body(req);
  if (!body) return web::send_status(res, body.status());
  auto c = privacy::contribution_from_json(*body, ctx.calendar);
  if (!c) return web::send_status(res, c.status());
  if (!in_window(ctx, c->period, 0))
    return web::send_error(res, 400, "period_closed",
                           "the hub takes finished days of the last " +
                               std::to_string(ctx.options.window_days) + " days");
  auto key = ctx.db.key(c->period, false);
  if (!key || (*key)->key_id != c->token.key_id)
    return web::send_error(res, 403, "forged_token", "the token is not signed by this day's key");
  // The token's message commits to the contribution: prefix (32 bytes) || SHA-256(binding).
  const privacy::Bytes binding = privacy::sha256(privacy::binding_text(*c));
  const std::span<const std::uint8_t> committed(c->token.msg.data() + privacy::kPrefixBytes, 32);
  if (!privacy::equal_secret(committed, binding))
    return web::send_error(res, 403, "forged_token", "the token was made for other data");
  if (!privacy::verify((*key)->pk, c->token.msg, c->token.sig))
    return web::send_error(res, 403, "forged_token", "the token's signature is not valid");
  auto stored = ctx.db.store(*c);
  if (!stored) {
    if (stored.status().code() == Code::kAlreadyExists)
      return web::send_error(res, 409, "token_spent", stored.status().message());
    return web::send_status(res, stored.status());
  }
  if (*stored == Stored::kDuplicate) return web::send_json(res, 200, {{"status", "duplicate"}});
  web::send_json(res, 201, {{"status", "stored"}});
}

void delete_contributions(HubContext& ctx, const Request& req, Response& res) {
  auto body = web::json_body(req);
  if (!body) return web::send_status(res, body.status());
  const json& list = (*body)["handles"];
  if (!list.is_array() || list.empty() || list.size() > kMaxHandles)
    return web::send_error(res, 400, "invalid_argument", "handles must be a list of 1 to 1000");
  std::vector<privacy::Bytes> handles;
  for (const json& h : list) {
    auto b = h.is_string() ? privacy::from_b64url(h.get<std::string>())
                           : Result<privacy::Bytes>(invalid_argument(""));
    if (!b || b->size() != 32)
      return web::send_error(res, 400, "invalid_argument", "a handle is 32 bytes in base64url");
    handles.push_back(std::move(*b));
  }
  auto n = ctx.db.erase(handles);
  if (!n) return web::send_status(res, n.status());
  web::send_json(res, 200, {{"deleted", *n}});
}

}  // namespace

void add_hub_routes(httplib::Server& http, HubContext& ctx) {
  http.Get("/hub/v1/health", [](const Request&, Response& res) {
    web::send_json(res, 200, {{"status", "ok"}});
  });
  http.Get(R"(/hub/v1/keys/(\d{4}-\d{2}-\d{2}))",
           [&ctx](const Request& req, Response& res) { get_key(ctx, req, res); });
  http.Post("/hub/v1/tokens",
            [&ctx](const Request& req, Response& res) { post_tokens(ctx, req, res); });
  http.Post("/hub/v1/contributions",
            [&ctx](const Request& req, Response& res) { post_contribution(ctx, req, res); });
  http.Delete("/hub/v1/contributions",
              [&ctx](const Request& req, Response& res) { delete_contributions(ctx, req, res); });
}

}  // namespace cw::hub
