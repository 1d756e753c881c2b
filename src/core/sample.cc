#include "core/sample.h"

#include <algorithm>

namespace cw {

const char* level_name(Level level) {
  switch (level) {
    case Level::kRaw: return "raw";
    case Level::kMinute: return "minute";
    case Level::kHour: return "hour";
    case Level::kDay: return "day";
  }
  return "raw";
}

void merge_into(Rollup& a, const Rollup& b) {
  if (b.count > 0) {
    a.min_w = a.count > 0 ? std::min(a.min_w, b.min_w) : b.min_w;
    a.max_w = a.count > 0 ? std::max(a.max_w, b.max_w) : b.max_w;
  }
  a.start = std::min(a.start, b.start);
  a.end = std::max(a.end, b.end);
  a.count += b.count;
  a.sum_wms += b.sum_wms;
  a.covered_ms += b.covered_ms;
  a.energy_mwh += b.energy_mwh;
  a.gap_energy_mwh += b.gap_energy_mwh;
}

}  // namespace cw
