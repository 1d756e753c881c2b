// The benchmark's datasets: the real recordings of ../shared/data at their native rate, turned
// into the samples a base would store (the virtual sensor's cumulative Wh register, exactly as a
// sensor would send it), and a synthetic year of 1 Hz samples of one household.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/sample.h"
#include "core/status.h"

namespace cw::bench {

// Streams a dataset's samples in time order, in chunks (a year at 1 Hz does not fit in memory
// comfortably on a small box, so it is generated on the fly, deterministically).
class SampleSource {
 public:
  virtual ~SampleSource() = default;
  // Appends up to n samples to out; returns how many (0 at the end).
  virtual std::size_t fill(std::vector<Sample>& out, std::size_t n) = 0;
};

struct Dataset {
  std::string name;
  std::string description;
  TimeMs step_ms = 0;
  std::size_t samples = 0;
  TimeMs first_t = 0;
  TimeMs last_t = 0;
  bool synthetic = false;
  std::function<std::unique_ptr<SampleSource>()> open;  // a fresh stream from the start
};

// The real datasets found under data_dir (one per recording).
Result<std::vector<Dataset>> real_datasets(const std::string& data_dir);

// `days` days of 1 Hz samples from the household model (seed 1), starting 2024-01-01 UTC.
Dataset synthetic_year(int days);

}  // namespace cw::bench
