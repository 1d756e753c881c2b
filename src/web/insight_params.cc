#include "web/insight_params.h"

#include "analytics/targets.h"
#include "web/params.h"

namespace cw::web {

using nlohmann::json;

Result<store::AlertQuery> parse_alert_query(const httplib::Params& p) {
  store::AlertQuery q;
  if (auto state = param(p, "state"); state && *state != "all") {
    auto s = store::parse_alert_state(*state);
    if (!s) return s.status();
    q.open = *s == store::AlertState::kOpen;
    q.acknowledged = *s == store::AlertState::kAcknowledged;
    q.closed = *s == store::AlertState::kClosed;
  } else if (state) {
    q.closed = true;
  }
  if (auto limit = param(p, "limit")) {
    auto n = parse_bounded(*limit, 1, 1000, "limit");
    if (!n) return n.status();
    q.limit = std::size_t(*n);
  }
  return q;
}

Result<std::optional<store::Target>> parse_target_body(const json& body, TimeMs now) {
  if (!body.is_object()) return invalid_argument("the body must be a JSON object");
  const json* t = &body;
  if (auto it = body.find("target"); it != body.end()) {
    if (it->is_null()) return std::optional<store::Target>();
    if (!it->is_object()) return invalid_argument("target must be {\"unit\", \"amount\"} or null");
    t = &*it;
  }
  auto unit = t->find("unit");
  auto amount = t->find("amount");
  if (unit == t->end() || !unit->is_string())
    return invalid_argument("unit must be \"eur\" or \"kwh\"");
  if (amount == t->end() || !amount->is_string())
    return invalid_argument("amount must be a decimal string such as \"45.00\"");
  auto target = analytics::make_target(unit->get<std::string>(), amount->get<std::string>(), now);
  if (!target) return target.status();
  return std::optional<store::Target>(std::move(*target));
}

}  // namespace cw::web
