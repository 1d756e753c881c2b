#include "privacy/contribution.h"

#include <array>
#include <cmath>

namespace cw::privacy {

namespace {

using nlohmann::json;

constexpr std::array<const char*, 4> kSizes = {"1", "2", "3-4", "5+"};
constexpr std::array<const char*, 4> kHeating = {"electric", "heat_pump", "gas", "other"};
constexpr std::array<const char*, 2> kDwelling = {"flat", "house"};

template <std::size_t N>
bool one_of(const std::string& v, const std::array<const char*, N>& allowed) {
  if (v.empty()) return true;
  for (const char* a : allowed)
    if (v == a) return true;
  return false;
}

Result<std::string> opt_string(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return invalid_argument(std::string(name) + " must be a string");
  return it->get<std::string>();
}

Result<std::int64_t> energy(const json& v, const char* what, std::int64_t max) {
  if (!v.is_number_integer()) return invalid_argument(std::string(what) + " must be an integer");
  const std::int64_t e = v.get<std::int64_t>();
  if (e < 0 || e > max) return invalid_argument(std::string(what) + " is out of range");
  if (e % kRoundWh) return invalid_argument(std::string(what) + " is not rounded to 10 Wh");
  return e;
}

Result<Bytes> b64_field(const json& obj, const char* name, std::size_t min, std::size_t max) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return invalid_argument(std::string(name) + " missing");
  auto b = from_b64url(it->get<std::string>());
  if (!b || b->size() < min || b->size() > max)
    return invalid_argument(std::string(name) + " is not valid");
  return b;
}

Result<Token> token_from_json(const json& j) {
  if (!j.is_object()) return invalid_argument("token must be an object");
  Token t;
  auto key = j.find("key_id");
  if (key == j.end() || !key->is_string() || key->get<std::string>().size() != 64 ||
      !from_hex(key->get<std::string>()))
    return invalid_argument("token.key_id must be 64 hex digits");
  t.key_id = key->get<std::string>();
  auto msg = b64_field(j, "msg", 64, 64);
  if (!msg) return msg.status();
  auto sig = b64_field(j, "sig", 256, 1024);
  if (!sig) return sig.status();
  t.msg = std::move(*msg);
  t.sig = std::move(*sig);
  return t;
}

Status read_purposes(const json& j, Contribution& c) {
  if (!j.is_array() || j.empty()) return invalid_argument("purposes must be a non-empty list");
  for (const auto& p : j) {
    if (!p.is_string()) return invalid_argument("purposes must be strings");
    auto purpose = parse_purpose(p.get<std::string>());
    if (!purpose) return purpose.status();
    c.purposes |= static_cast<std::uint8_t>(*purpose);
  }
  return Status::ok();
}

Status read_context(const json& j, Contribution& c) {
  if (j.is_null()) return Status::ok();
  if (!j.is_object()) return invalid_argument("context must be an object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "area" && it.key() != "household_size" && it.key() != "heating" &&
        it.key() != "dwelling")
      return invalid_argument("unknown context field " + it.key());
  auto area = opt_string(j, "area"), size = opt_string(j, "household_size"),
       heating = opt_string(j, "heating"), dwelling = opt_string(j, "dwelling");
  for (auto* r : {&area, &size, &heating, &dwelling})
    if (!*r) return r->status();
  c.context = Context{*area, *size, *heating, *dwelling};
  return check_context(c.context);
}

Status read_half_hours(const json& j, const Calendar& calendar, Contribution& c) {
  auto start = parse_day(calendar, c.period);
  if (!start) return start.status();
  const int slots = half_hours_in_day(calendar, *start);
  if (!j.is_array() || static_cast<int>(j.size()) != slots)
    return invalid_argument("half_hours_wh must have " + std::to_string(slots) + " values");
  std::int64_t sum = 0;
  for (const auto& v : j) {
    auto e = energy(v, "half_hours_wh", kMaxHalfHourWh);
    if (!e) return e.status();
    sum += *e;
    c.half_hours_wh.push_back(*e);
  }
  // Each value was rounded on its own: the sum may differ from the rounded total by half a step
  // per value.
  if (std::llabs(sum - c.daily_wh) > slots * kRoundWh / 2 + kRoundWh)
    return invalid_argument("half_hours_wh do not add up to daily_wh");
  return Status::ok();
}

}  // namespace

const char* purpose_name(Purpose p) {
  switch (p) {
    case Purpose::kOpenData:
      return "open_data";
    case Purpose::kComparator:
      return "comparator";
    case Purpose::kChallenges:
      return "challenges";
  }
  return "?";
}

Result<Purpose> parse_purpose(std::string_view s) {
  for (Purpose p : kAllPurposes)
    if (s == purpose_name(p)) return p;
  return invalid_argument("purpose must be open_data, comparator or challenges");
}

const char* granularity_name(Granularity g) {
  return g == Granularity::kDay ? "day" : "half_hour";
}

Result<Granularity> parse_granularity(std::string_view s) {
  if (s == "day") return Granularity::kDay;
  if (s == "half_hour") return Granularity::kHalfHour;
  return invalid_argument("granularity must be day or half_hour");
}

Status check_context(const Context& c) {
  if (!c.area.empty()) {
    bool ok = c.area.size() == 5;
    for (char ch : c.area) ok = ok && ((ch >= '0' && ch <= '9') || ch == 'A' || ch == 'B');
    if (!ok) return invalid_argument("area must be a 5-character INSEE code such as 75111");
  }
  if (!one_of(c.household_size, kSizes))
    return invalid_argument("household_size must be 1, 2, 3-4 or 5+");
  if (!one_of(c.heating, kHeating))
    return invalid_argument("heating must be electric, heat_pump, gas or other");
  if (!one_of(c.dwelling, kDwelling)) return invalid_argument("dwelling must be flat or house");
  return Status::ok();
}

std::string binding_text(const Contribution& c) {
  std::string t = "cw-contribution-v1\n" + c.period + "\n" + granularity_name(c.granularity) +
                  "\n" + std::to_string(c.purposes) + "\n" + c.context.area + "\n" +
                  c.context.household_size + "\n" + c.context.heating + "\n" + c.context.dwelling +
                  "\n" + std::to_string(c.daily_wh) + "\n";
  for (std::size_t i = 0; i < c.half_hours_wh.size(); ++i)
    t += (i ? "," : "") + std::to_string(c.half_hours_wh[i]);
  t += "\n" + hex(c.delete_hash);
  return t;
}

json to_json(const Contribution& c) {
  json purposes = json::array();
  for (Purpose p : kAllPurposes)
    if (c.purposes & static_cast<std::uint8_t>(p)) purposes.push_back(purpose_name(p));
  json context = json::object();
  if (!c.context.area.empty()) context["area"] = c.context.area;
  if (!c.context.household_size.empty()) context["household_size"] = c.context.household_size;
  if (!c.context.heating.empty()) context["heating"] = c.context.heating;
  if (!c.context.dwelling.empty()) context["dwelling"] = c.context.dwelling;
  json j = {{"v", 1},
            {"period", c.period},
            {"granularity", granularity_name(c.granularity)},
            {"purposes", purposes},
            {"context", context},
            {"daily_wh", c.daily_wh},
            {"delete_hash", b64url(c.delete_hash)}};
  if (c.granularity == Granularity::kHalfHour) j["half_hours_wh"] = c.half_hours_wh;
  if (!c.token.sig.empty())
    j["token"] = {
        {"key_id", c.token.key_id}, {"msg", b64url(c.token.msg)}, {"sig", b64url(c.token.sig)}};
  return j;
}

Result<Contribution> contribution_from_json(const json& j, const Calendar& calendar) {
  if (!j.is_object()) return invalid_argument("a contribution is a JSON object");
  auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer() || v->get<int>() != 1)
    return invalid_argument("unsupported contribution version");
  Contribution c;
  auto period = opt_string(j, "period");
  if (!period || !parse_day(calendar, *period))
    return invalid_argument("period must be YYYY-MM-DD");
  c.period = *period;
  auto gran = opt_string(j, "granularity");
  if (!gran) return gran.status();
  auto g = parse_granularity(*gran);
  if (!g) return g.status();
  c.granularity = *g;
  CW_RETURN_IF_ERROR(read_purposes(j.value("purposes", json()), c));
  CW_RETURN_IF_ERROR(read_context(j.value("context", json()), c));
  auto daily = energy(j.value("daily_wh", json()), "daily_wh", kMaxDailyWh);
  if (!daily) return daily.status();
  c.daily_wh = *daily;
  const bool has_half = j.contains("half_hours_wh");
  if (has_half != (c.granularity == Granularity::kHalfHour))
    return invalid_argument("half_hours_wh is sent with the half_hour granularity only");
  if (has_half) CW_RETURN_IF_ERROR(read_half_hours(j["half_hours_wh"], calendar, c));
  auto dh = b64_field(j, "delete_hash", 32, 32);
  if (!dh) return dh.status();
  c.delete_hash = std::move(*dh);
  auto tok = j.find("token");
  if (tok == j.end()) return invalid_argument("token missing");
  auto t = token_from_json(*tok);
  if (!t) return t.status();
  c.token = std::move(*t);
  return c;
}

std::string format_day(const Calendar& calendar, TimeMs start) {
  return calendar.format_local(start).substr(0, 10);
}

Result<TimeMs> parse_day(const Calendar& calendar, std::string_view day) {
  if (day.size() != 10 || day[4] != '-' || day[7] != '-')
    return invalid_argument("a day is YYYY-MM-DD");
  auto utc_midnight = parse_instant(day);
  if (!utc_midnight) return utc_midnight.status();
  const TimeMs start = calendar.floor(*utc_midnight + 12 * kHourMs, Period::kDay);
  if (format_day(calendar, start) != day) return invalid_argument("not a valid day");
  return start;
}

int half_hours_in_day(const Calendar& calendar, TimeMs day_start) {
  return static_cast<int>((calendar.next(day_start, Period::kDay) - day_start) / (30 * kMinuteMs));
}

std::int64_t round_energy(double wh) {
  return static_cast<std::int64_t>(std::llround(wh / double(kRoundWh))) * kRoundWh;
}

}  // namespace cw::privacy
