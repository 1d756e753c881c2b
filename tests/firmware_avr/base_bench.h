// The base station's ingest side for the simavr tests, with its real parts: a SQLite store in
// a fresh temporary folder, the sensor paired with its key, and the ingest Pipeline on a
// manual clock (frames arrive at the simulated instants the sensor sent them).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/frame_stats.h"
#include "core/sample.h"
#include "core/time.h"
#include "ingest/live_hub.h"
#include "ingest/pipeline.h"
#include "store/store.h"

namespace cw::firmware::testing {

constexpr TimeMs kBaseEpoch = 1'700'000'000'000;  // base time of the sensor's first boot

class BaseBench {
 public:
  BaseBench(SensorId id, const std::uint8_t key[16]);
  ~BaseBench();
  BaseBench(const BaseBench&) = delete;
  BaseBench& operator=(const BaseBench&) = delete;

  // The pipeline's verdict on a frame received at base time `at`.
  Verdict receive(const std::vector<std::uint8_t>& payload, TimeMs at);
  // Every stored raw sample of the sensor, after a flush.
  std::vector<Sample> samples();
  store::Sensor sensor();

 private:
  std::filesystem::path dir_;
  SensorId id_;
  ManualClock clock_{kBaseEpoch};
  ingest::LiveHub live_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ingest::Pipeline> pipeline_;
};

}  // namespace cw::firmware::testing
