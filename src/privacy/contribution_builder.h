// Builds a household's contribution for one local day from the base's store: the exact energy
// of the day (analytics::energy_by over the day rollup) and, when the household chose it, of each
// half-hour (the minute rollups summed: exact from the energy register, no new rollup level),
// each rounded to 10 Wh. Nothing else about the household goes in: no sample, no sensor id.
#pragma once

#include <optional>

#include "core/calendar.h"
#include "privacy/contribution.h"
#include "store/store.h"

namespace cw::privacy {

struct BuildRequest {
  SensorId sensor = 0;  // the household's main meter
  TimeMs day_start = 0;
  std::uint8_t purposes = 0;
  bool half_hours = false;
  Context context;
};

inline constexpr double kMinCoverage = 0.8;  // a day with less data would bias the statistics

// nullopt when the day has less than kMinCoverage of data; the contribution comes without its
// deletion hash and token (the caller adds them).
Result<std::optional<Contribution>> build_contribution(store::Store& store,
                                                       const Calendar& calendar,
                                                       const BuildRequest& req);

// The deletion handle of a day: HMAC-SHA-256(secret, "cw-delete-v1|" + period). The hub keeps
// only its SHA-256; with the secret, the base can always recompute it.
Bytes deletion_handle(std::span<const std::uint8_t> secret, const std::string& period);

}  // namespace cw::privacy
