#include "ingest/register_recorder.h"

namespace cw::ingest {

std::vector<store::RegisterReading> RegisterRecorder::update(
    const std::vector<TicRegister>& registers, const std::string& period, TimeMs t) {
  const bool period_changed = !period_.empty() && period != period_;
  if (!period.empty()) period_ = period;
  std::vector<store::RegisterReading> out;
  for (const auto& r : registers) {
    if (!r.period.empty()) periods_[r.name] = r.period;
    auto it = kept_.find(r.name);
    const bool first = it == kept_.end();
    const bool changed = !first && r.wh != it->second.wh;
    if (!first && !(changed && (period_changed || t - it->second.t >= kRegisterKeepEveryMs)))
      continue;
    if (!first && r.wh < it->second.wh) continue;  // a register never goes back; noise
    auto p = periods_.find(r.name);
    out.push_back({r.name, p == periods_.end() ? "" : p->second, t, r.wh});
    kept_[r.name] = {r.wh, t};
  }
  return out;
}

}  // namespace cw::ingest
