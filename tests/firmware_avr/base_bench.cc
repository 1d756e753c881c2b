#include "base_bench.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "core/calendar.h"

namespace cw::firmware::testing {

namespace fs = std::filesystem;

BaseBench::BaseBench(SensorId id, const std::uint8_t key[16]) : id_(id) {
  std::string tmpl = (fs::temp_directory_path() / "cw_firmware_sim_XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  auto store = store::open_sqlite_store((dir_ / "base.db").string(), Calendar::utc());
  if (!store.is_ok()) throw std::runtime_error("cannot open the store");
  store_ = std::move(*store);
  store::NewSensor ns;
  ns.name = "simavr";
  ns.id = id;
  std::memcpy(ns.key.data(), key, ns.key.size());
  if (!store_->add_sensor(ns).is_ok()) throw std::runtime_error("cannot pair the sensor");
  pipeline_ = std::make_unique<ingest::Pipeline>(*store_, clock_, live_);
  if (!pipeline_->start().is_ok()) throw std::runtime_error("cannot start the pipeline");
}

BaseBench::~BaseBench() {
  pipeline_.reset();
  store_.reset();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

Verdict BaseBench::receive(const std::vector<std::uint8_t>& payload, TimeMs at) {
  clock_.set(at);
  return pipeline_->submit(payload);
}

std::vector<Sample> BaseBench::samples() {
  EXPECT_TRUE(pipeline_->flush().is_ok());
  std::vector<Sample> out;
  EXPECT_TRUE(store_
                  ->scan_raw(id_, 0, INT64_MAX,
                             [&](std::span<const Sample> s) {
                               out.insert(out.end(), s.begin(), s.end());
                               return true;
                             })
                  .is_ok());
  return out;
}

store::Sensor BaseBench::sensor() {
  EXPECT_TRUE(pipeline_->flush().is_ok());
  auto s = store_->sensor(id_);
  EXPECT_TRUE(s.is_ok());
  return s.is_ok() ? *s : store::Sensor{};
}

}  // namespace cw::firmware::testing
