// A real SQLite store with one paired sensor and a running Pipeline, for source tests: what a
// source delivers is checked by what ends up stored.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

#include "ingest/pipeline.h"
#include "protocol/frame.h"
#include "protocol/host/openssl_aead.h"
#include "store/store.h"

namespace cw::ingest::testing {

class RadioFixture : public ::testing::Test {
 protected:
  static constexpr SensorId kSensor = 7;

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cw_radio_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::open_sqlite_store((dir_ / "db").string(), Calendar::utc()));
    store::NewSensor ns;
    ns.name = "clamp";
    ns.id = kSensor;
    key_.fill(0x5A);
    ns.key = key_;
    ASSERT_TRUE(store_->add_sensor(ns).is_ok());
    pipeline_ = std::make_unique<Pipeline>(*store_, clock_, live_);
    ASSERT_TRUE(pipeline_->start().is_ok());
  }
  void TearDown() override {
    pipeline_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A sealed measurement frame whose power encodes the counter, so tests can tell frames apart.
  std::vector<std::uint8_t> frame(std::uint32_t counter) const {
    std::uint8_t out[protocol::kMaxFrame];
    protocol::Measurement m{static_cast<std::int32_t>(100 + counter), 5000, 2300, 3300, 0};
    auto n =
        protocol::seal_measurement(kSensor, counter, m, key_.data(), protocol::openssl_aead(), out);
    return {out, out + n};
  }

  // Waits (bounded) until `want` samples are durable, then returns the stored powers.
  std::vector<std::int32_t> stored_powers(std::size_t want) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::vector<std::int32_t> out;
    for (;;) {
      EXPECT_TRUE(pipeline_->flush().is_ok());
      out.clear();
      EXPECT_TRUE(store_
                      ->scan_raw(kSensor, 0, INT64_MAX,
                                 [&](std::span<const Sample> s) {
                                   for (const auto& x : s) out.push_back(x.power_w);
                                   return true;
                                 })
                      .is_ok());
      if (out.size() >= want || std::chrono::steady_clock::now() > deadline) return out;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
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
  store::Key128 key_{};
  SystemClock clock_;
  LiveHub live_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Pipeline> pipeline_;
};

}  // namespace cw::ingest::testing
