// Runs one engine over one dataset in the two ingest shapes and reads its charts.
//
// Live shape: one durable commit per second of data (one sample per commit at 1 Hz and
// slower), as a base station's pipeline flushes; measured on a prefix (live_max_samples or
// live_max_seconds of engine time, whichever comes first) because a commit per sample is slow
// by design for some engines. Bulk shape: commits of bulk_batch samples over the dataset (or
// its first bulk_max_samples), then the file is checkpointed and measured, and the charts are
// read from it.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>

#include "datasets.h"
#include "engine.h"

namespace cw::bench {

struct RunOptions {
  std::size_t bulk_batch = 10000;
  std::size_t bulk_max_samples = 0;  // 0 = the whole dataset
  std::size_t live_max_samples = 20000;
  double live_max_seconds = 8;
  int chart_repeats = 5;  // the median is reported (warm page cache)
};

// A chart range: the last `span` of the data, or all of it when the data is shorter.
struct ChartRange {
  std::string name;  // "year", "month", "day"
  TimeMs span = 0;
};

struct ChartResult {
  double ms = 0;
  std::size_t points_with_data = 0;
  bool whole_span = false;  // the dataset is shorter than the range: its whole span was used
  bool extrapolated = false;
};

struct EngineResult {
  std::string label;
  std::size_t stored = 0;  // samples in the measured file
  TimeMs stored_last_t = 0;
  std::uint64_t bytes = 0;
  double bytes_per_sample = 0;  // extrapolated to the whole dataset when only a prefix was stored
  bool bytes_extrapolated = false;
  std::size_t live_samples = 0;
  double live_rate = 0;  // samples/s
  double bulk_rate = 0;
  std::vector<std::array<ChartResult, 3>> charts;  // one row per chart variant
  std::string error;                               // set when the run failed
};

using EngineFactory = std::function<std::unique_ptr<Engine>()>;

EngineResult run_engine(const std::string& label, const EngineFactory& make, const Dataset& d,
                        const RunOptions& o);

inline const std::array<ChartRange, 3> kChartRanges = {
    ChartRange{"year", 365 * kDayMs}, ChartRange{"month", 30 * kDayMs}, ChartRange{"day", kDayMs}};

}  // namespace cw::bench
