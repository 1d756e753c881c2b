// Legacy CitizenWatt v1 sensors through a real Pipeline and SQLite store, with frames built the
// way the 2014 sensor built them (OpenSSL AES-128-ECB, the default key 0..15, the padding left
// over from the previous ciphertext) from the real 2014 power captures.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "ingest/legacy_rules.h"
#include "ingest/pipeline.h"
#include "protocol/host/legacy_openssl.h"
#include "protocol/host/openssl_aead.h"
#include "store/store.h"

namespace cw::ingest {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;
using protocol::LegacyReading;

constexpr SensorId kLegacyId = 3;
const store::Key128 kDefaultKey = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// The rows of the 2014 capture: power W, Vcc mV.
std::vector<std::pair<int, int>> sample_rows(std::size_t n) {
  std::ifstream in(std::string(CW_SHARED_DATA) + "/citizenwatt_sensor_samples/sample");
  std::vector<std::pair<int, int>> rows;
  int p, v;
  while (rows.size() < n && in >> p >> v) rows.emplace_back(p, v);
  return rows;
}

// A 2014 sensor: encrypts its struct in place, so the padding of each frame is what the previous
// encryption left in bytes 10..15.
class LegacySensor {
 public:
  explicit LegacySensor(const store::Key128& key) : key_(key) {}
  Bytes next(std::uint16_t power, std::uint16_t battery, std::uint32_t timer) {
    protocol::legacy_unpack(block_, &r_);  // keeps the stale padding
    r_.power_w = power, r_.voltage_v = 0, r_.battery_mv = battery, r_.timer_ms = timer;
    std::uint8_t plain[16];
    protocol::legacy_pack(r_, plain);
    EXPECT_TRUE(protocol::legacy_encrypt_block(key_.data(), plain, block_));
    return {block_, block_ + 16};
  }

 private:
  store::Key128 key_;
  LegacyReading r_{};
  std::uint8_t block_[16] = {};
};

class LegacyPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::err);
    dir_ = fs::temp_directory_path() /
           ("cw_legacy_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto opened = store::open_sqlite_store((dir_ / "db").string(), Calendar::utc());
    ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
    store_ = std::move(*opened);
    store::NewSensor ns;
    ns.name = "2014";
    ns.kind = store::SensorKind::kLegacy;
    ns.key = kDefaultKey;
    ns.id = kLegacyId;
    ns.max_gap_ms = 60 * kSecondMs;
    ASSERT_TRUE(store_->add_sensor(ns).is_ok());
    start();
  }
  void TearDown() override {
    pipeline_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  void start() {
    pipeline_ = std::make_unique<Pipeline>(*store_, clock_, live_);
    ASSERT_TRUE(pipeline_->start().is_ok());
  }
  Verdict send(const Bytes& f, TimeMs dt = 5 * kSecondMs) {
    clock_.advance(dt);
    return pipeline_->submit(f);
  }
  std::vector<Sample> stored() {
    EXPECT_TRUE(pipeline_->flush().is_ok());
    std::vector<Sample> out;
    EXPECT_TRUE(store_
                    ->scan_raw(kLegacyId, 0, INT64_MAX,
                               [&](std::span<const Sample> s) {
                                 out.insert(out.end(), s.begin(), s.end());
                                 return true;
                               })
                    .is_ok());
    return out;
  }
  store::SensorState state() {
    EXPECT_TRUE(pipeline_->flush().is_ok());
    return store_->sensor(kLegacyId)->state;
  }

  fs::path dir_;
  ManualClock clock_{1'397'510'173'000};  // 2014-04-14, the capture's day
  LiveHub live_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Pipeline> pipeline_;
  LegacySensor sensor_{kDefaultKey};
};

TEST_F(LegacyPipelineTest, RealCaptureIsDecodedStoredAndIntegrated) {
  auto rows = sample_rows(2000);
  ASSERT_EQ(rows.size(), 2000u);
  std::uint32_t timer = 12'000;
  for (const auto& [p, v] : rows) {
    ASSERT_EQ(send(sensor_.next(p, v, timer)), Verdict::kAccepted) << "timer " << timer;
    timer += 5'100;  // millis() stops while the AVR sleeps: it runs slower than the wall clock
  }
  auto s = stored();
  ASSERT_EQ(s.size(), rows.size());
  std::int64_t wms = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s[i].power_w, rows[i].first);
    EXPECT_EQ(s[i].counter, i + 1);  // the base's own sequence
    if (i > 0) {
      EXPECT_EQ(s[i].t - s[i - 1].t, 5 * kSecondMs);
      wms += (std::int64_t{rows[i - 1].first} + rows[i].first) * 5000 / 2;
      EXPECT_EQ(s[i].energy_wh, wms / kHourMs) << "sample " << i;
    }
  }
  // About 2.8 h at ~155 W mean: a few hundred Wh, never decreasing.
  EXPECT_GT(s.back().energy_wh, 100);
  auto st = state();
  EXPECT_EQ(st.supply_mv, rows.back().second);
  EXPECT_EQ(st.last_power_w, rows.back().first);
  EXPECT_EQ(st.last_counter, 2000u);
  EXPECT_TRUE(st.flags & protocol::kFlagApparentOnly);
  EXPECT_EQ(st.frames[Verdict::kAccepted], 2000u);
}

TEST_F(LegacyPipelineTest, ReplayStaleTimerRebootAndRange) {
  // Timers beyond the restart window: a stale frame from the sensor's first minutes would pass
  // as a reboot (legacy_rules.h), one more weakness of a format without a counter.
  Bytes f1 = sensor_.next(400, 3283, 3'600'000);
  ASSERT_EQ(send(f1), Verdict::kAccepted);
  EXPECT_EQ(send(f1), Verdict::kReplayed);  // exact duplicate of the last frame
  Bytes f2 = sensor_.next(410, 3283, 3'605'000);
  ASSERT_EQ(send(f2), Verdict::kAccepted);
  EXPECT_EQ(send(f1), Verdict::kReplayed);  // an older frame: timer went back, not near 0
  EXPECT_EQ(send(sensor_.next(420, 3283, 3'605'000)), Verdict::kReplayed);  // same timer
  EXPECT_EQ(send(sensor_.next(40'000, 3283, 3'610'000)), Verdict::kOutOfRange);
  // Reboot: millis() restarts near 0.
  LegacySensor rebooted(kDefaultKey);
  ASSERT_EQ(send(rebooted.next(430, 3290, 20'000)), Verdict::kAccepted);
  EXPECT_TRUE(state().flags & protocol::kFlagReboot);
  ASSERT_EQ(send(rebooted.next(440, 3290, 25'000)), Verdict::kAccepted);
  EXPECT_FALSE(state().flags & protocol::kFlagReboot);
  auto s = stored();
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[3].counter, 4u);
  auto st = state();
  EXPECT_EQ(st.frames[Verdict::kReplayed], 3u);
  EXPECT_EQ(st.frames[Verdict::kOutOfRange], 1u);
}

TEST_F(LegacyPipelineTest, NoEnergyAcrossAGap) {
  ASSERT_EQ(send(sensor_.next(3600, 3283, 10'000)), Verdict::kAccepted);
  ASSERT_EQ(send(sensor_.next(3600, 3283, 20'000), 10 * kSecondMs), Verdict::kAccepted);
  // 90 s of silence > max_gap (60 s): the energy meanwhile is unknown, not invented.
  ASSERT_EQ(send(sensor_.next(3600, 3283, 110'000), 90 * kSecondMs), Verdict::kAccepted);
  ASSERT_EQ(send(sensor_.next(3600, 3283, 120'000), 10 * kSecondMs), Verdict::kAccepted);
  auto s = stored();
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[1].energy_wh, 10);  // 3600 W for 10 s = 10 Wh
  EXPECT_EQ(s[2].energy_wh, 10);
  EXPECT_EQ(s[3].energy_wh, 20);
}

TEST_F(LegacyPipelineTest, EnergyAndReplayProtectionCarryOverARestart) {
  ASSERT_EQ(send(sensor_.next(3600, 3283, 10'000)), Verdict::kAccepted);
  ASSERT_EQ(send(sensor_.next(3600, 3283, 20'000), 10 * kSecondMs), Verdict::kAccepted);
  pipeline_->stop();
  start();
  ASSERT_EQ(send(sensor_.next(3600, 3283, 30'000), 10 * kSecondMs), Verdict::kAccepted);
  auto s = stored();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[2].energy_wh, 20);
  EXPECT_EQ(s[2].counter, 3u);
}

TEST_F(LegacyPipelineTest, WrongKeyNoiseAndV2SensorsAreRefused) {
  store::Key128 other{};
  other.fill(0x5A);
  LegacySensor stranger(other);
  int accepted = 0;
  for (std::uint32_t i = 0; i < 200; ++i)
    accepted += send(stranger.next(300, 3283, 10'000 + i * 5000)) == Verdict::kAccepted;
  // Without a MAC a wrong key is caught only by plausibility: ~9% of noise has a sane Vcc.
  EXPECT_LT(accepted, 60);
  EXPECT_GE(
      store_->stats()->unattributed[Verdict::kForged] + pipeline_->stats().frames[Verdict::kForged],
      100u);
}

TEST_F(LegacyPipelineTest, LegacyFrameIsMalformedWithoutLegacySensors) {
  ASSERT_TRUE(store_->remove_sensor(kLegacyId).is_ok());
  store::NewSensor ns;
  ns.name = "v2";
  ns.key = kDefaultKey;
  ns.id = 4;
  ASSERT_TRUE(store_->add_sensor(ns).is_ok());
  ASSERT_TRUE(pipeline_->reload_sensors().is_ok());
  EXPECT_EQ(send(sensor_.next(400, 3283, 1000)), Verdict::kMalformed);
  EXPECT_TRUE(store_->sensor(4)->state.frames == FrameStats{});
}

TEST(LegacyRules, TimerClassification) {
  LegacyMemo m;
  std::uint8_t plain[16] = {1};
  EXPECT_EQ(classify_timer(m, plain, 5), LegacyTimer::kNext);
  m.has_prev = true;
  m.last_timer_ms = 4'000'000'000u;
  std::memcpy(m.last_plain.data(), plain, 16);
  EXPECT_EQ(classify_timer(m, plain, 4'000'000'000u), LegacyTimer::kDuplicate);
  std::uint8_t other[16] = {2};
  EXPECT_EQ(classify_timer(m, other, 4'000'000'001u), LegacyTimer::kNext);
  EXPECT_EQ(classify_timer(m, other, 1000), LegacyTimer::kRestart);  // millis() wrapped
  EXPECT_EQ(classify_timer(m, other, kLegacyRestartWindowMs), LegacyTimer::kBack);
  EXPECT_EQ(classify_timer(m, other, 3'999'999'999u), LegacyTimer::kBack);
}

}  // namespace
}  // namespace cw::ingest
