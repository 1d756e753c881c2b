// The attack corpus: every way a frame v2 can be wrong, through a real Pipeline and a real SQLite
// store. Each frame must get the right Verdict, and a bad frame must change nothing but the
// verdict counters: no sample, no counter, no energy, no last-seen.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "ingest/pipeline.h"
#include "protocol/frame.h"
#include "protocol/host/openssl_aead.h"
#include "store/store.h"

namespace cw::ingest {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

constexpr SensorId kA = 7;  // no single bit flip of one id gives the other
constexpr SensorId kB = 300;

store::Key128 key_of(std::uint8_t seed) {
  store::Key128 k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed * 37 + i * 3);
  return k;
}

Bytes measurement(SensorId id, std::uint32_t counter, const store::Key128& key,
                  std::int32_t power = 500, std::uint32_t energy = 1000) {
  std::uint8_t out[protocol::kMaxFrame];
  protocol::Measurement m{power, energy, 2300, 3300, 0};
  std::size_t n =
      protocol::seal_measurement(id, counter, m, key.data(), protocol::openssl_aead(), out);
  return {out, out + n};
}

Bytes hello(SensorId id, std::uint32_t counter, const store::Key128& key) {
  std::uint8_t out[protocol::kMaxFrame];
  protocol::Hello h{0x0102, 7, 10, 0};
  std::size_t n = protocol::seal_hello(id, counter, h, key.data(), protocol::openssl_aead(), out);
  return {out, out + n};
}

// What the store holds for one sensor, verdict counters aside.
struct Snapshot {
  std::vector<Sample> samples;
  store::SensorState state;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

class AttackCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::err);  // thousands of rejections are expected here
    dir_ = fs::temp_directory_path() /
           ("cw_attack_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto opened = store::open_sqlite_store((dir_ / "db").string(), Calendar::utc());
    ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
    store_ = std::move(*opened);
    add(kA, key_of(1), store::SensorKind::kV2);
    add(kB, key_of(2), store::SensorKind::kV2);
    pipeline_ = std::make_unique<Pipeline>(*store_, clock_, live_);
    ASSERT_TRUE(pipeline_->start().is_ok());
    // Both sensors have a history the attacks must not disturb.
    for (std::uint32_t c = 100; c < 103; ++c) {
      ASSERT_EQ(submit(measurement(kA, c, key_of(1), 500, 1000 + c)), Verdict::kAccepted);
      ASSERT_EQ(submit(measurement(kB, c, key_of(2), 800, 5000 + c)), Verdict::kAccepted);
    }
    ASSERT_TRUE(pipeline_->flush().is_ok());
  }
  void TearDown() override {
    pipeline_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  void add(SensorId id, const store::Key128& key, store::SensorKind kind) {
    store::NewSensor ns;
    ns.name = "s" + std::to_string(id);
    ns.key = key;
    ns.id = id;
    ns.kind = kind;
    ASSERT_TRUE(store_->add_sensor(ns).is_ok());
  }
  Verdict submit(const Bytes& f) {
    clock_.advance(kSecondMs);
    return pipeline_->submit(f);
  }
  Snapshot snapshot(SensorId id) {
    EXPECT_TRUE(pipeline_->flush().is_ok());
    Snapshot s;
    EXPECT_TRUE(store_
                    ->scan_raw(id, 0, INT64_MAX,
                               [&](std::span<const Sample> part) {
                                 s.samples.insert(s.samples.end(), part.begin(), part.end());
                                 return true;
                               })
                    .is_ok());
    auto sensor = store_->sensor(id);
    EXPECT_TRUE(sensor.is_ok());
    if (sensor.is_ok()) s.state = sensor->state;
    s.state.frames = FrameStats{};  // compared separately
    return s;
  }
  FrameStats frames(SensorId id) { return store_->sensor(id)->state.frames; }
  FrameStats unattributed() { return store_->stats()->unattributed; }

  // Submits every frame expecting `want`; then checks that neither sensor changed and that the
  // verdicts were counted where they belong (a sensor's own counters, or the unattributed ones).
  void expect_all(const std::vector<Bytes>& corpus, const std::vector<Verdict>& want) {
    ASSERT_EQ(corpus.size(), want.size());
    Snapshot a = snapshot(kA), b = snapshot(kB);
    for (std::size_t i = 0; i < corpus.size(); ++i)
      EXPECT_EQ(submit(corpus[i]), want[i]) << "frame #" << i;
    EXPECT_EQ(snapshot(kA), a) << "a bad frame changed sensor A";
    EXPECT_EQ(snapshot(kB), b) << "a bad frame changed sensor B";
  }

  fs::path dir_;
  ManualClock clock_{1'700'000'000'000};
  LiveHub live_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Pipeline> pipeline_;
};

// The verdict a single bit flip at `bit` of a valid frame of sensor A must get.
Verdict flip_verdict(const Bytes& frame, std::size_t bit) {
  const std::size_t byte = bit / 8;
  if (byte == 0) return Verdict::kWrongVersion;  // version or type; type 1 <-> 2 needs 2 bits
  if (byte <= 2) {
    Bytes f = frame;
    f[byte] ^= static_cast<std::uint8_t>(1 << (bit % 8));
    SensorId id = static_cast<SensorId>(f[1] | f[2] << 8);
    return id == kB ? Verdict::kForged : Verdict::kUnknownSensor;
  }
  return Verdict::kForged;  // counter (associated data), ciphertext or tag
}

TEST_F(AttackCorpusTest, EveryBitFlipOfValidFramesIsRefused) {
  for (const Bytes& valid : {measurement(kA, 200, key_of(1)), hello(kA, 200, key_of(1))}) {
    std::vector<Bytes> corpus;
    std::vector<Verdict> want;
    for (std::size_t bit = 0; bit < valid.size() * 8; ++bit) {
      Bytes f = valid;
      f[bit / 8] ^= static_cast<std::uint8_t>(1 << (bit % 8));
      corpus.push_back(f);
      want.push_back(flip_verdict(valid, bit));
    }
    const FrameStats before = frames(kA);
    expect_all(corpus, want);
    const auto forged_here = std::count(want.begin(), want.end(), Verdict::kForged);
    EXPECT_EQ(frames(kA)[Verdict::kForged], before[Verdict::kForged] + forged_here);
  }
  // The untouched frames still pass: no forgery burnt counter 200.
  EXPECT_EQ(submit(hello(kA, 200, key_of(1))), Verdict::kAccepted);
  EXPECT_EQ(submit(measurement(kA, 201, key_of(1), 500, 1110)), Verdict::kAccepted);
}

TEST_F(AttackCorpusTest, EveryTruncationIsMalformed) {
  std::vector<Bytes> corpus;
  for (const Bytes& valid : {measurement(kA, 200, key_of(1)), hello(kA, 200, key_of(1))})
    for (std::size_t n = 0; n < valid.size(); ++n)
      corpus.emplace_back(valid.begin(), valid.begin() + n);
  const FrameStats before = unattributed();
  expect_all(corpus, std::vector<Verdict>(corpus.size(), Verdict::kMalformed));
  EXPECT_EQ(unattributed()[Verdict::kMalformed], before[Verdict::kMalformed] + corpus.size());
}

TEST_F(AttackCorpusTest, OverlongFramesAreMalformed) {
  std::vector<Bytes> corpus;
  for (const Bytes& valid : {measurement(kA, 200, key_of(1)), hello(kA, 200, key_of(1))}) {
    for (std::size_t extra : {1, 2, 4, 10, 100, 1000}) {
      Bytes f = valid;
      f.resize(valid.size() + extra, 0xA5);
      corpus.push_back(f);
    }
  }
  // A measurement cut to hello length with a hello header claims the wrong exact size too.
  Bytes as_hello = measurement(kA, 200, key_of(1));
  as_hello[0] = 0x22;
  corpus.push_back(as_hello);
  expect_all(corpus, std::vector<Verdict>(corpus.size(), Verdict::kMalformed));
}

TEST_F(AttackCorpusTest, ReplaysReorderingAndDuplicatesAreReplayed) {
  ASSERT_EQ(submit(measurement(kA, 110, key_of(1), 500, 1110)), Verdict::kAccepted);
  ASSERT_EQ(submit(measurement(kA, 112, key_of(1), 500, 1112)), Verdict::kAccepted);
  const FrameStats before = frames(kA);
  std::vector<Bytes> corpus = {
      measurement(kA, 112, key_of(1), 500, 1112),  // exact resend
      measurement(kA, 111, key_of(1), 500, 1111),  // older counter after a newer one
      measurement(kA, 112, key_of(1), 900, 1200),  // same counter, other (authentic) content
      measurement(kA, 100, key_of(1), 500, 1100),  // from the fixture's history
      hello(kA, 112, key_of(1)),                   // hello shares the counter space
      hello(kA, 1, key_of(1)),
  };
  expect_all(corpus, std::vector<Verdict>(corpus.size(), Verdict::kReplayed));
  EXPECT_EQ(frames(kA)[Verdict::kReplayed], before[Verdict::kReplayed] + corpus.size());
  EXPECT_EQ(store_->sensor(kA)->state.last_counter, 112u);
}

TEST_F(AttackCorpusTest, CounterNeverWraps) {
  ASSERT_EQ(submit(measurement(kA, 0xFFFFFFFEu, key_of(1), 500, 1103)), Verdict::kAccepted);
  ASSERT_EQ(submit(hello(kA, 0xFFFFFFFFu, key_of(1))), Verdict::kAccepted);
  // The counter is exhausted: the sensor must be re-keyed. Small counters after the huge one are
  // replays, whatever their content and type.
  std::vector<Bytes> corpus = {
      measurement(kA, 0, key_of(1), 500, 1104),         measurement(kA, 1, key_of(1), 500, 1104),
      measurement(kA, 103, key_of(1), 500, 1104),       hello(kA, 0, key_of(1)),
      measurement(kA, 0xFFFFFFFFu, key_of(1), 1, 1104),  // the last value, already used
  };
  expect_all(corpus, std::vector<Verdict>(corpus.size(), Verdict::kReplayed));
  EXPECT_EQ(store_->sensor(kA)->state.last_counter, 0xFFFFFFFFu);
}

TEST_F(AttackCorpusTest, CrossSensorKeysAreForged) {
  Bytes b_relabelled = measurement(kB, 500, key_of(2));
  b_relabelled[1] = kA & 0xFF, b_relabelled[2] = kA >> 8;
  Bytes a_relabelled = measurement(kA, 500, key_of(1));
  a_relabelled[1] = kB & 0xFF, a_relabelled[2] = kB >> 8;
  const FrameStats fa = frames(kA), fb = frames(kB);
  expect_all(
      {measurement(kA, 500, key_of(2)),  // A's frame sealed with B's key
       b_relabelled,                     // B's frame relabelled as A
       hello(kA, 500, key_of(2)), a_relabelled, measurement(kB, 500, key_of(1))},
      {Verdict::kForged, Verdict::kForged, Verdict::kForged, Verdict::kForged, Verdict::kForged});
  EXPECT_EQ(frames(kA)[Verdict::kForged], fa[Verdict::kForged] + 3);
  EXPECT_EQ(frames(kB)[Verdict::kForged], fb[Verdict::kForged] + 2);
  // None of them burnt counter 500.
  EXPECT_EQ(submit(measurement(kA, 500, key_of(1), 500, 1103)), Verdict::kAccepted);
  EXPECT_EQ(submit(measurement(kB, 500, key_of(2), 800, 5103)), Verdict::kAccepted);
}

TEST_F(AttackCorpusTest, WrongVersionOrTypeIsRefusedBeforeCryptography) {
  std::vector<Bytes> corpus;
  Bytes m = measurement(kA, 200, key_of(1)), h = hello(kA, 200, key_of(1));
  for (std::uint8_t b0 : {0x01, 0x11, 0x31, 0xF1, 0x20, 0x23, 0x2F, 0x12}) {
    Bytes f = m;
    f[0] = b0;
    corpus.push_back(f);
  }
  for (std::uint8_t b0 : {0x02, 0x32, 0x24}) {
    Bytes f = h;
    f[0] = b0;
    corpus.push_back(f);
  }
  expect_all(corpus, std::vector<Verdict>(corpus.size(), Verdict::kWrongVersion));
}

TEST_F(AttackCorpusTest, V2FrameForALegacySensorIsWrongVersion) {
  add(9, key_of(3), store::SensorKind::kLegacy);
  ASSERT_TRUE(pipeline_->reload_sensors().is_ok());
  Snapshot before = snapshot(9);
  EXPECT_EQ(submit(measurement(9, 1, key_of(3))), Verdict::kWrongVersion);
  EXPECT_EQ(snapshot(9), before);
  EXPECT_TRUE(before.samples.empty());
}

TEST_F(AttackCorpusTest, UnknownSensorsAreCountedUnattributed) {
  const FrameStats before = unattributed();
  expect_all({measurement(99, 1, key_of(1)), hello(99, 1, key_of(9)), measurement(0, 1, key_of(1)),
              measurement(0xFFFF, 1, key_of(2))},
             std::vector<Verdict>(4, Verdict::kUnknownSensor));
  EXPECT_EQ(unattributed()[Verdict::kUnknownSensor], before[Verdict::kUnknownSensor] + 4);
}

TEST_F(AttackCorpusTest, RandomNoiseNeverGetsIn) {
  std::uint32_t x = 12345;
  std::vector<Bytes> corpus;
  for (int i = 0; i < 2000; ++i) {
    Bytes f(i % 40);
    for (auto& b : f) b = static_cast<std::uint8_t>((x = x * 1103515245u + 12345u) >> 16);
    if (f.size() >= 3 && i % 2 == 0) f[0] = 0x21, f[1] = kA, f[2] = 0;  // aimed at sensor A
    corpus.push_back(f);
  }
  Snapshot a = snapshot(kA), b = snapshot(kB);
  for (const Bytes& f : corpus) EXPECT_NE(submit(f), Verdict::kAccepted);
  EXPECT_EQ(snapshot(kA), a);
  EXPECT_EQ(snapshot(kB), b);
}

}  // namespace
}  // namespace cw::ingest
