#include "privacy/contribution_builder.h"

#include "analytics/energy.h"

namespace cw::privacy {

Result<std::optional<Contribution>> build_contribution(store::Store& store,
                                                       const Calendar& calendar,
                                                       const BuildRequest& req) {
  const TimeMs end = calendar.next(req.day_start, Period::kDay);
  auto days = analytics::energy_by(store, calendar, req.sensor, req.day_start, end, Period::kDay);
  if (!days) return days.status();
  if (days->size() != 1 || (*days)[0].coverage < kMinCoverage) return std::optional<Contribution>();
  Contribution c;
  c.period = format_day(calendar, req.day_start);
  c.purposes = req.purposes;
  c.context = req.context;
  c.daily_wh = round_energy((*days)[0].energy_wh);
  if (req.half_hours) {
    c.granularity = Granularity::kHalfHour;
    const int slots = half_hours_in_day(calendar, req.day_start);
    std::vector<std::int64_t> mwh(static_cast<std::size_t>(slots), 0);
    auto minutes = store.rollups(req.sensor, Level::kMinute, req.day_start, end);
    if (!minutes) return minutes.status();
    for (const Rollup& r : *minutes) {
      const auto slot = static_cast<std::size_t>((r.start - req.day_start) / (30 * kMinuteMs));
      if (slot < mwh.size()) mwh[slot] += r.energy_mwh;
    }
    for (std::int64_t e : mwh) c.half_hours_wh.push_back(round_energy(double(e) / 1000.0));
  }
  return std::optional<Contribution>(std::move(c));
}

Bytes deletion_handle(std::span<const std::uint8_t> secret, const std::string& period) {
  return hmac_sha256(secret, "cw-delete-v1|" + period);
}

}  // namespace cw::privacy
