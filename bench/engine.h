// One storage engine under benchmark: ingest batches durably, report its bytes on disk, answer a
// chart of N points. Three implementations: the CitizenWatt store, the 2014 design (one SQLite
// row per measure) and the emoncms PHPFina fixed-interval file.
//
// Lifecycle: open() once, commit() any number of times, finish() once (checkpoint, close the
// writer), then bytes() and chart() any number of times. Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "core/sample.h"
#include "core/status.h"

namespace cw::bench {

struct EngineSetup {
  std::filesystem::path dir;  // empty, owned by the engine until it is destroyed
  TimeMs step_ms = 1000;      // the dataset's nominal sampling step
  TimeMs first_t = 0;         // time of the dataset's first sample
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual Status open(const EngineSetup& setup) = 0;
  // Stores samples (time order, after every earlier batch); durable when it returns ok.
  virtual Status commit(std::span<const Sample> batch) = 0;
  // Ends ingest: checkpoints so that bytes() measures the steady file.
  virtual Status finish() = 0;
  virtual std::uint64_t bytes() const = 0;
  // A chart of [from, to) as `points` points; returns the number of points that hold data.
  // An engine may offer other ways to read a chart (variant 1, 2...); variant 0 is its default.
  virtual Result<std::size_t> chart(TimeMs from, TimeMs to, std::size_t points,
                                    int variant = 0) = 0;
  virtual int chart_variants() const { return 1; }
};

std::unique_ptr<Engine> make_citizenwatt_engine();
std::unique_ptr<Engine> make_sqlite_rows_engine();
std::unique_ptr<Engine> make_phpfina_engine();

std::uint64_t file_size_or_zero(const std::filesystem::path& p);

}  // namespace cw::bench
