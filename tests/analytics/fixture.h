// A real SQLite store in a fresh temp dir, with helpers to commit hand-made samples whose power
// and cumulative energy are known, for the analytics tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/sample.h"
#include "store/store.h"

namespace cw::analytics::testing {

inline TimeMs at(const char* iso) {
  return *parse_instant(iso);
}

// Builds a sensor's samples in time order, keeping a continuous integer Wh register: the register
// reads floor(integral of power), so at every sample it is exact to within 1 Wh.
class SampleWriter {
 public:
  explicit SampleWriter(TimeMs start) : t_(start) {}

  // Samples every step_ms until (and including) `until`, at power_w, integrating energy.
  void constant(std::int32_t power_w, TimeMs step_ms, TimeMs until) {
    if (samples_.empty()) emit(power_w);
    while (t_ + step_ms <= until) advance(step_ms, power_w);
  }
  // One sample at t, after silence, with the register advanced by wh.
  void after_gap(TimeMs t, std::int64_t wh, std::int32_t power_w) {
    wms_ += wh * kHourMs;
    t_ = t;
    emit(power_w);
  }
  void advance(TimeMs dt, std::int32_t power_w) {
    wms_ += std::int64_t(power_w) * dt;  // W·ms: integrates exactly
    t_ += dt;
    emit(power_w);
  }
  std::vector<Sample>& samples() { return samples_; }
  TimeMs t() const { return t_; }

 private:
  void emit(std::int32_t power_w) { samples_.push_back({t_, ++counter_, power_w, wms_ / kHourMs}); }
  TimeMs t_;
  std::int64_t wms_ = 0;
  std::uint32_t counter_ = 0;
  std::vector<Sample> samples_;
};

class StoreTest : public ::testing::Test {
 protected:
  explicit StoreTest(const std::string& zone = "Europe/Paris")
      : calendar_(*Calendar::in_zone(zone)) {}

  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("cw_analytics_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    auto s = store::open_sqlite_store((dir_ / "cw.db").string(), calendar_);
    ASSERT_TRUE(s.is_ok()) << s.status().to_string();
    store_ = std::move(s).value();
    auto sensor = store_->add_sensor({.name = "clamp"});
    ASSERT_TRUE(sensor.is_ok()) << sensor.status().to_string();
    sensor_ = sensor->id;
  }

  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Commits samples in batches, as the ingest pipeline would.
  void commit(const std::vector<Sample>& samples, std::size_t batch = 20000) {
    for (std::size_t i = 0; i < samples.size(); i += batch) {
      store::SensorBatch b;
      b.sensor = sensor_;
      b.samples.assign(samples.begin() + i, samples.begin() + std::min(samples.size(), i + batch));
      const Sample& last = b.samples.back();
      b.state.has_counter = true;
      b.state.last_counter = last.counter;
      b.state.last_seen = last.t;
      b.state.last_power_w = last.power_w;
      b.state.last_raw_energy_wh = last.energy_wh;
      Status st = store_->commit({.sensors = {b}});
      ASSERT_TRUE(st.is_ok()) << st.to_string();
    }
  }

  Calendar calendar_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  SensorId sensor_ = 0;
};

}  // namespace cw::analytics::testing
