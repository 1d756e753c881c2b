#include "ingest/import_plan.h"

#include <cmath>

#include "ingest/legacy_rules.h"

namespace cw::ingest {

namespace {

// Energy of the rows after the stored part, continuous with the last stored sample.
class EnergyBuilder {
 public:
  EnergyBuilder(const ImportSeries& s, const StoredView& v) : series_(s), view_(v) {
    if (v.last) {
      energy_ = v.last->energy_wh;
      prev_t_ = v.last->t;
      prev_w_ = v.last->power_w;
    }
  }

  // The energy at row r (after the stored part); sets *estimated for integrated power.
  std::int64_t next(const ImportRow& r, std::optional<std::int64_t> matched_register,
                    bool* estimated) {
    if (r.energy_wh) return from_register(*r.energy_wh, matched_register);
    const std::int32_t w = std::int32_t(std::lround(r.power_w.value_or(0)));
    if (series_.interval_ms > 0) {
      // Mean power over the step that ends at r.t: exact energy.
      const TimeMs step =
          prev_t_ && r.t - prev_t_ <= series_.interval_ms ? r.t - prev_t_ : series_.interval_ms;
      rem_wms_ += std::int64_t(w) * step;
      energy_ += rem_wms_ / kHourMs;
      rem_wms_ %= kHourMs;
    } else {
      *estimated = true;
      energy_ = integrate_energy(memo_, energy_, prev_w_, prev_t_, w, r.t, view_.max_gap_ms);
    }
    prev_t_ = r.t;
    prev_w_ = w;
    return energy_;
  }

 private:
  std::int64_t from_register(std::int64_t reg, std::optional<std::int64_t> matched) {
    if (!offset_) {
      // Continue from the stored energy: through a row the store already has, or, for a file
      // that starts after it, by taking the register as it is when it has not gone back.
      if (matched)
        offset_ = *matched;
      else if (view_.last && reg < view_.last->energy_wh)
        offset_ = view_.last->energy_wh - reg;
      else
        offset_ = 0;
    }
    if (reg + *offset_ < energy_) offset_ = energy_ - reg;  // a register reset: carry on
    energy_ = reg + *offset_;
    return energy_;
  }

  const ImportSeries& series_;
  const StoredView& view_;
  std::int64_t energy_ = 0;
  TimeMs prev_t_ = 0;
  std::int32_t prev_w_ = 0;
  std::int64_t rem_wms_ = 0;
  std::optional<std::int64_t> offset_;
  LegacyMemo memo_;
};

std::int32_t row_power(const ImportSeries& s, std::size_t i) {
  const ImportRow& r = s.rows[i];
  if (r.power_w) return std::int32_t(std::lround(*r.power_w));
  if (i == 0 || !r.energy_wh || !s.rows[i - 1].energy_wh) return 0;
  const TimeMs dt = r.t - s.rows[i - 1].t;  // a register alone: its mean power since the last
  const double de = double(*r.energy_wh) - double(*s.rows[i - 1].energy_wh);
  const double w = dt > 0 && de >= 0 ? de * double(kHourMs) / double(dt) : 0;
  return w < 1e9 ? std::int32_t(w) : 0;  // an implausible jump is no power
}

}  // namespace

Result<ImportPlan> plan_import(const ImportSeries& series, const StoredView& stored) {
  ImportPlan plan;
  plan.registers = series.registers;
  EnergyBuilder energy(series, stored);
  std::optional<std::int64_t> matched_register;  // register of the last row already stored
  std::size_t missing = 0;
  TimeMs missing_from = 0, missing_to = 0;
  std::uint32_t seq = stored.last_counter;
  // A load curve's first step starts before its first row: a sample there makes its energy count.
  const bool lead = series.interval_ms > 0 && !series.rows.empty() &&
                    (!stored.last || series.rows[0].t - series.interval_ms > stored.last->t);
  if (lead) {
    const ImportRow& first = series.rows[0];
    const TimeMs t0 = first.t - series.interval_ms;
    plan.samples.push_back({t0, ++seq, std::int32_t(std::lround(first.power_w.value_or(0))),
                            stored.last ? stored.last->energy_wh : 0});
  }
  for (std::size_t i = 0; i < series.rows.size(); ++i) {
    const ImportRow& r = series.rows[i];
    const std::int32_t w = row_power(series, i);
    if (stored.last && r.t <= stored.last->t) {
      auto have = stored.at ? stored.at(r.t) : std::nullopt;
      if (have && have->power_w == w) {
        plan.present++;
        if (r.energy_wh) matched_register = have->energy_wh - *r.energy_wh;
        continue;
      }
      if (missing++ == 0) missing_from = r.t;
      missing_to = r.t;
      continue;
    }
    std::optional<std::int64_t> offset = matched_register;
    matched_register.reset();
    Sample s{r.t, ++seq, w, energy.next(r, offset, &plan.estimated)};
    plan.samples.push_back(s);
  }
  if (missing > 0)
    return invalid_argument(
        std::to_string(missing) + " rows from " + format_iso_utc(missing_from) + " to " +
        format_iso_utc(missing_to) + " fall before the sensor's last sample (" +
        format_iso_utc(stored.last->t) +
        ") and are not stored: the store only appends, so history before existing data goes "
        "into a new sensor (--new NAME). Nothing was imported.");
  return plan;
}

}  // namespace cw::ingest
