// A real SQLite store, its InputStore, a running Pipeline and an InputBinder, for tests of the
// inputs that are not radio frames (TIC, MQTT, HTTP).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <thread>
#include <vector>

#include "ingest/input_binder.h"
#include "ingest/pipeline.h"
#include "store/inputs.h"
#include "store/store.h"

namespace cw::ingest::testing {

// The bytes of a real TIC capture in ../shared/data/linky_tic.
inline std::vector<std::uint8_t> tic_capture(const std::string& rel) {
  std::ifstream in(std::string(CW_SHARED_DATA) + "/linky_tic/" + rel, std::ios::binary);
  EXPECT_TRUE(in.good()) << rel;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class InputFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cw_input_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    const std::string db = (dir_ / "citizenwatt.db").string();
    store_ = std::move(*store::open_sqlite_store(db, Calendar::utc()));
    auto in = store::open_sqlite_inputs(db);
    ASSERT_TRUE(in.is_ok()) << in.status().to_string();
    inputs_ = std::move(*in);
    pipeline_ = std::make_unique<Pipeline>(*store_, clock_, live_);
    ASSERT_TRUE(pipeline_->start().is_ok());
    binder_ = std::make_unique<InputBinder>(*store_, *inputs_, *pipeline_);
  }
  void TearDown() override {
    binder_.reset();
    pipeline_.reset();
    inputs_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::vector<Sample> stored(SensorId id) {
    EXPECT_TRUE(pipeline_->flush().is_ok());
    std::vector<Sample> out;
    EXPECT_TRUE(store_
                    ->scan_raw(id, 0, INT64_MAX,
                               [&](std::span<const Sample> s) {
                                 out.insert(out.end(), s.begin(), s.end());
                                 return true;
                               })
                    .is_ok());
    return out;
  }

  // Polls cond every few ms for up to 10 s.
  template <typename F>
  static bool eventually(F cond) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!cond()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  std::filesystem::path dir_;
  ManualClock clock_{1'700'000'000'000};
  LiveHub live_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::InputStore> inputs_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<InputBinder> binder_;
};

}  // namespace cw::ingest::testing
