// A contribution: what one household sends the community hub for one local day, and nothing
// more (docs/privacy.md, "What leaves the home"). Shared by the base (which builds and queues
// it) and the hub (which decodes and checks it): one definition of the wire format.
//
// JSON on the wire:
//   {"v": 1, "period": "2024-04-01", "granularity": "day" | "half_hour",
//    "purposes": ["open_data", "comparator", "challenges"],
//    "context": {"area": "75111", "household_size": "3-4", "heating": "electric", "dwelling":
//    "flat"}, "daily_wh": 8530, "half_hours_wh": [...],            // half_hours_wh only for
//    half_hour "delete_hash": "<base64url SHA-256 of the deletion handle>", "token": {"key_id":
//    "<hex>", "msg": "<base64url>", "sig": "<base64url>"}}
// Energies are whole multiples of kRoundWh. A local day has 46, 48 or 50 half-hours (DST).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/status.h"
#include "privacy/encoding.h"

namespace cw::privacy {

inline constexpr std::int64_t kRoundWh = 10;
inline constexpr std::int64_t kMaxDailyWh = 500'000;    // 500 kWh a day: beyond a home
inline constexpr std::int64_t kMaxHalfHourWh = 50'000;  // 100 kW for 30 min

enum class Purpose : std::uint8_t { kOpenData = 1, kComparator = 2, kChallenges = 4 };
enum class Granularity : std::uint8_t { kDay = 0, kHalfHour = 1 };

const char* purpose_name(Purpose p);
Result<Purpose> parse_purpose(std::string_view s);
const char* granularity_name(Granularity g);
Result<Granularity> parse_granularity(std::string_view s);
inline constexpr Purpose kAllPurposes[] = {Purpose::kOpenData, Purpose::kComparator,
                                           Purpose::kChallenges};

// Coarse context the user chose to add; an empty field was not given.
struct Context {
  std::string area;            // INSEE commune / arrondissement code, 5 characters (e.g. 75111)
  std::string household_size;  // "1", "2", "3-4", "5+"
  std::string heating;         // "electric", "heat_pump", "gas", "other"
  std::string dwelling;        // "flat", "house"
  friend bool operator==(const Context&, const Context&) = default;
};
Status check_context(const Context& c);

struct Token {
  std::string key_id;  // hex SHA-256 of the period key
  Bytes msg;           // the prepared message: 32-byte prefix || SHA-256(binding)
  Bytes sig;
};

struct Contribution {
  std::string period;  // local day, YYYY-MM-DD
  Granularity granularity = Granularity::kDay;
  std::uint8_t purposes = 0;  // Purpose bits
  Context context;
  std::int64_t daily_wh = 0;
  std::vector<std::int64_t> half_hours_wh;  // empty for kDay
  Bytes delete_hash;                        // 32 bytes
  Token token;
};

// The text the token's message commits to: every field but the token, in a fixed order, so a
// token cannot be moved onto other data.
std::string binding_text(const Contribution& c);

nlohmann::json to_json(const Contribution& c);
// Decodes and checks everything that needs no key: shape, ranges, rounding, the day's number of
// half-hours in calendar's zone, sum of half-hours against the daily total.
Result<Contribution> contribution_from_json(const nlohmann::json& j, const Calendar& calendar);

// The local day "YYYY-MM-DD" that starts at `start` (UTC ms) and its start from the text.
std::string format_day(const Calendar& calendar, TimeMs start);
Result<TimeMs> parse_day(const Calendar& calendar, std::string_view day);
// Half-hours in the local day that starts at day_start.
int half_hours_in_day(const Calendar& calendar, TimeMs day_start);

// Rounds to the nearest multiple of kRoundWh (halves away from zero).
std::int64_t round_energy(double wh);

}  // namespace cw::privacy
