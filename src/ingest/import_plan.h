// From an imported series to the samples to commit (docs/ecosystem.md, "Imports").
//
// The store only appends: a sensor's samples must come after its last one. So:
//   - a row at or before the sensor's last sample must already be stored (same time, same
//     power): it is counted as present and skipped. That makes a re-import add nothing, and an
//     export that was extended since the last import add only its new rows.
//   - a row at or before the last sample that is not stored is history the store cannot insert:
//     the whole import is refused, nothing written, and the message says to import it into a new
//     sensor (--new NAME).
//   - energy: a register row (an index, a cumulative kWh) is the energy, continuous with what is
//     stored; a load curve's mean power gives exact energy (P × step, carried in W·ms); a bare
//     power is integrated (trapezoid, nothing across gaps) and the sensor says "estimated".
// Pure: the stored samples are seen through `stored_at`.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "core/sample.h"
#include "ingest/import_formats.h"

namespace cw::ingest {

struct ImportPlan {
  std::vector<Sample> samples;                    // to append, in time order
  std::size_t present = 0;                        // rows already stored
  bool estimated = false;                         // energy integrated from bare power
  std::vector<store::RegisterReading> registers;  // all of the series' (replays add nothing)
};

struct StoredView {
  std::optional<Sample> last;  // the sensor's last stored sample
  // The stored sample at exactly t, if any (asked only for t <= last->t).
  std::function<std::optional<Sample>(TimeMs t)> at;
  std::uint32_t last_counter = 0;  // the sensor's sequence so far
  TimeMs max_gap_ms = 120 * kSecondMs;
};

Result<ImportPlan> plan_import(const ImportSeries& series, const StoredView& stored);

}  // namespace cw::ingest
