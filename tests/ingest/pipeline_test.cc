#include "ingest/pipeline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "protocol/host/openssl_aead.h"
#include "store/store.h"

namespace cw::ingest {
namespace {

namespace fs = std::filesystem;
using protocol::Measurement;

store::Key128 key_of(std::uint8_t seed) {
  store::Key128 k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed * 31 + i);
  return k;
}

std::vector<std::uint8_t> frame(SensorId id, std::uint32_t counter, std::int32_t power,
                                std::uint32_t energy, const store::Key128& key,
                                std::uint8_t flags = 0) {
  std::uint8_t out[protocol::kMaxFrame];
  Measurement m{power, energy, 2300, 3300, flags};
  std::size_t n =
      protocol::seal_measurement(id, counter, m, key.data(), protocol::openssl_aead(), out);
  return {out, out + n};
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cw_pipeline_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = std::move(*store::open_sqlite_store((dir_ / "db").string(), Calendar::utc()));
    store::NewSensor ns;
    ns.name = "clamp";
    ns.key = key_of(1);
    ns.id = 7;
    ASSERT_TRUE(store_->add_sensor(ns).is_ok());
    pipeline_ = std::make_unique<Pipeline>(*store_, clock_, live_);
    ASSERT_TRUE(pipeline_->start().is_ok());
  }
  void TearDown() override {
    pipeline_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  Verdict send(std::uint32_t counter, std::int32_t power, std::uint32_t energy,
               std::uint8_t flags = 0) {
    clock_.advance(kSecondMs);
    auto f = frame(7, counter, power, energy, key_of(1), flags);
    return pipeline_->submit(f);
  }
  std::vector<Sample> stored() {
    std::vector<Sample> out;
    EXPECT_TRUE(store_
                    ->scan_raw(7, 0, INT64_MAX,
                               [&](std::span<const Sample> s) {
                                 out.insert(out.end(), s.begin(), s.end());
                                 return true;
                               })
                    .is_ok());
    return out;
  }

  fs::path dir_;
  ManualClock clock_{1'700'000'000'000};
  LiveHub live_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Pipeline> pipeline_;
};

TEST_F(PipelineTest, AcceptedFramesBecomeDurableAndLive) {
  EXPECT_EQ(send(1, 500, 1000), Verdict::kAccepted);
  EXPECT_EQ(send(2, 600, 1001), Verdict::kAccepted);
  ASSERT_TRUE(pipeline_->flush().is_ok());
  auto samples = stored();
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[1].power_w, 600);
  EXPECT_EQ(samples[1].energy_wh, 1001);
  EXPECT_EQ(samples[1].counter, 2u);
  auto read = live_.read_after(0, std::chrono::milliseconds(0));
  ASSERT_EQ(read.events.size(), 2u);
  EXPECT_EQ(read.events[0].sensor, 7);
  EXPECT_EQ(pipeline_->stats().committed_counter.at(7), 2u);
  auto s = store_->sensor(7);
  EXPECT_EQ(s->state.last_counter, 2u);
  EXPECT_EQ(s->state.frames[Verdict::kAccepted], 2u);
}

TEST_F(PipelineTest, WriterThreadCommitsWithoutBeingAsked) {
  ASSERT_EQ(send(1, 500, 1000), Verdict::kAccepted);
  auto read = live_.read_after(0, std::chrono::seconds(5));  // published only once durable
  ASSERT_EQ(read.events.size(), 1u);
  EXPECT_EQ(stored().size(), 1u);
}

TEST_F(PipelineTest, ReplaysAndDuplicatesAreRejectedAndCounted) {
  ASSERT_EQ(send(5, 500, 1000), Verdict::kAccepted);
  EXPECT_EQ(send(5, 500, 1000), Verdict::kReplayed);
  EXPECT_EQ(send(4, 500, 1000), Verdict::kReplayed);
  ASSERT_TRUE(pipeline_->flush().is_ok());
  EXPECT_EQ(stored().size(), 1u);
  EXPECT_EQ(store_->sensor(7)->state.frames[Verdict::kReplayed], 2u);
}

TEST_F(PipelineTest, ReplayProtectionSurvivesARestart) {
  ASSERT_EQ(send(9, 500, 1000), Verdict::kAccepted);
  pipeline_->stop();
  pipeline_ = std::make_unique<Pipeline>(*store_, clock_, live_);
  ASSERT_TRUE(pipeline_->start().is_ok());
  EXPECT_EQ(send(9, 500, 1000), Verdict::kReplayed);
  EXPECT_EQ(send(10, 500, 1001), Verdict::kAccepted);
}

TEST_F(PipelineTest, ForgedUnknownAndMalformedFramesChangeNothing) {
  clock_.advance(kSecondMs);
  auto wrong_key = frame(7, 1, 500, 1000, key_of(2));
  EXPECT_EQ(pipeline_->submit(wrong_key), Verdict::kForged);
  auto unknown = frame(8, 1, 500, 1000, key_of(1));
  EXPECT_EQ(pipeline_->submit(unknown), Verdict::kUnknownSensor);
  auto good = frame(7, 1, 500, 1000, key_of(1));
  auto truncated = std::vector<std::uint8_t>(good.begin(), good.end() - 1);
  EXPECT_EQ(pipeline_->submit(truncated), Verdict::kMalformed);
  auto flipped = good;
  flipped[10] ^= 0x01;
  EXPECT_EQ(pipeline_->submit(flipped), Verdict::kForged);
  EXPECT_EQ(pipeline_->submit(std::span<const std::uint8_t>()), Verdict::kMalformed);
  ASSERT_TRUE(pipeline_->flush().is_ok());
  EXPECT_TRUE(stored().empty());
  // The forged frame with counter 1 must not have burnt counter 1 for the real sensor.
  EXPECT_EQ(pipeline_->submit(good), Verdict::kAccepted);
  auto stats = store_->stats();
  EXPECT_EQ(stats->unattributed[Verdict::kUnknownSensor], 1u);
  EXPECT_EQ(stats->unattributed[Verdict::kMalformed], 2u);
  EXPECT_EQ(store_->sensor(7)->state.frames[Verdict::kForged], 2u);
}

TEST_F(PipelineTest, CounterResetNeverMakesNegativeOrDoubledEnergy) {
  ASSERT_EQ(send(100, 500, 50000), Verdict::kAccepted);
  ASSERT_EQ(send(101, 500, 50001), Verdict::kAccepted);
  // Reflashed sensor: counter moves on (persisted), register restarts near zero.
  ASSERT_EQ(send(200, 500, 3, protocol::kFlagReboot), Verdict::kAccepted);
  ASSERT_EQ(send(201, 500, 4), Verdict::kAccepted);
  ASSERT_TRUE(pipeline_->flush().is_ok());
  auto s = stored();
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[2].energy_wh, 50001);  // carries on: the unknown energy is not invented
  EXPECT_EQ(s[3].energy_wh, 50002);
  for (std::size_t i = 1; i < s.size(); ++i) EXPECT_GE(s[i].energy_wh, s[i - 1].energy_wh);
  EXPECT_EQ(store_->sensor(7)->state.frames.lost, 0u);  // a reboot's counter jump is no loss
}

TEST_F(PipelineTest, LostFramesAreCountedFromCounterGaps) {
  ASSERT_EQ(send(1, 500, 100), Verdict::kAccepted);
  ASSERT_EQ(send(5, 500, 101), Verdict::kAccepted);
  ASSERT_TRUE(pipeline_->flush().is_ok());
  EXPECT_EQ(store_->sensor(7)->state.frames.lost, 3u);
}

TEST_F(PipelineTest, ImplausibleValuesAreOutOfRange) {
  EXPECT_EQ(send(1, 2'000'000, 100), Verdict::kOutOfRange);
  ASSERT_EQ(send(2, 500, 100), Verdict::kAccepted);
  // One frame later the register cannot have grown by 1 MWh (not even at 100 kW for a minute).
  EXPECT_EQ(send(3, 500, 1'000'100), Verdict::kOutOfRange);
  EXPECT_EQ(send(4, 500, 100 + 1600), Verdict::kAccepted);  // a burst of plausible frames is fine
  ASSERT_TRUE(pipeline_->flush().is_ok());
  EXPECT_EQ(stored().size(), 2u);
}

TEST_F(PipelineTest, BaseClockGoingBackKeepsSamplesInOrder) {
  ASSERT_EQ(send(1, 500, 100), Verdict::kAccepted);
  clock_.advance(-60 * kSecondMs);
  ASSERT_EQ(send(2, 500, 100), Verdict::kAccepted);
  ASSERT_TRUE(pipeline_->flush().is_ok());
  auto s = stored();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_GT(s[1].t, s[0].t);
}

TEST_F(PipelineTest, NewlyPairedSensorIsHeardAfterReload) {
  store::NewSensor ns;
  ns.name = "second";
  ns.key = key_of(3);
  ns.id = 9;
  ASSERT_TRUE(store_->add_sensor(ns).is_ok());
  auto f = frame(9, 1, 100, 10, key_of(3));
  EXPECT_EQ(pipeline_->submit(f), Verdict::kUnknownSensor);
  ASSERT_TRUE(pipeline_->reload_sensors().is_ok());
  EXPECT_EQ(pipeline_->submit(f), Verdict::kAccepted);
}

TEST_F(PipelineTest, ASensorRemovedWithPendingSamplesDoesNotHoldBackTheOthers) {
  store::NewSensor ns;
  ns.name = "second";
  ns.key = key_of(3);
  ns.id = 9;
  ASSERT_TRUE(store_->add_sensor(ns).is_ok());
  ASSERT_TRUE(pipeline_->reload_sensors().is_ok());
  pipeline_->stop();  // no writer thread: this test decides when the commit happens
  ASSERT_EQ(send(1, 500, 1000), Verdict::kAccepted);
  auto f = frame(9, 1, 100, 10, key_of(3));
  ASSERT_EQ(pipeline_->submit(f), Verdict::kAccepted);
  ASSERT_TRUE(store_->remove_sensor(9).is_ok());  // as `citizenwatt sensor remove` does
  ASSERT_TRUE(pipeline_->flush().is_ok());
  EXPECT_EQ(stored().size(), 1u);
  EXPECT_EQ(pipeline_->stats().pending, 0u);
  EXPECT_EQ(pipeline_->submit(frame(9, 2, 100, 11, key_of(3))), Verdict::kUnknownSensor);
}

}  // namespace
}  // namespace cw::ingest
