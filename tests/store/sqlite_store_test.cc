#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/store.h"
#include "store_test_util.h"

namespace cw::store {
namespace {

using testing::make_samples;
using testing::TempDir;

constexpr TimeMs kT0 = 1704067200000;  // 2024-01-01T00:00:00Z

class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> open(SqliteOptions o = small()) {
    auto s = open_sqlite_store(dir_.file("cw.db"), Calendar::utc(), o);
    EXPECT_TRUE(s.is_ok()) << s.status().to_string();
    return s.is_ok() ? std::move(s).value() : nullptr;
  }
  static SqliteOptions small() {
    SqliteOptions o;
    o.block_samples = 8;
    return o;
  }
  static std::vector<Sample> read_all(Store& st, SensorId id, TimeMs from = INT64_MIN,
                                      TimeMs to = INT64_MAX) {
    std::vector<Sample> out;
    Status s = st.scan_raw(id, from, to, [&](std::span<const Sample> c) {
      out.insert(out.end(), c.begin(), c.end());
      return true;
    });
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return out;
  }
  static CommitBatch batch(SensorId id, std::vector<Sample> samples) {
    CommitBatch b;
    SensorBatch sb;
    sb.sensor = id;
    sb.state.has_counter = !samples.empty();
    sb.state.last_counter = samples.empty() ? 0 : samples.back().counter;
    sb.state.last_seen = samples.empty() ? 0 : samples.back().t;
    sb.samples = std::move(samples);
    b.sensors.push_back(std::move(sb));
    return b;
  }
  TempDir dir_;
};

TEST_F(StoreTest, AddSensorPicksLowestFreeIdAndPersists) {
  auto st = open();
  ASSERT_TRUE(st);
  auto a = st->add_sensor({.name = "a"});
  auto b = st->add_sensor({.name = "b", .id = SensorId(3)});
  auto c = st->add_sensor({.name = "c"});
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->id, 1);
  EXPECT_EQ(b->id, 3);
  EXPECT_EQ(c->id, 2);
  EXPECT_EQ(st->add_sensor({.name = "dup", .id = SensorId(3)}).status().code(),
            Code::kAlreadyExists);
  EXPECT_EQ(st->add_sensor({.name = "zero", .id = SensorId(0)}).status().code(),
            Code::kInvalidArgument);
  Key128 key{};
  key[0] = 7;
  ASSERT_TRUE(st->set_key(2, key).is_ok());
  ASSERT_TRUE(st->rename_sensor(2, "cuisine").is_ok());
  EXPECT_EQ(st->rename_sensor(9, "x").code(), Code::kNotFound);
  st.reset();
  st = open();
  auto all = st->sensors();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].name, "cuisine");
  EXPECT_EQ((*all)[1].key, key);
  EXPECT_GT((*all)[1].created, 0);
  EXPECT_EQ(st->sensor(9).status().code(), Code::kNotFound);
}

TEST_F(StoreTest, CommitReadBackAcrossCompactionBoundaries) {
  auto st = open();
  ASSERT_TRUE(st);
  ASSERT_TRUE(st->add_sensor({.name = "a"}));
  auto samples = make_samples(kT0, 50, 1000);
  // Batches of 1, 3, 7 (crosses block edge), 8, 31 (several blocks at once).
  std::size_t pos = 0;
  for (std::size_t n : {1, 3, 7, 8, 31}) {
    std::vector<Sample> part(samples.begin() + pos, samples.begin() + pos + n);
    Status s = st->commit(batch(1, part));
    ASSERT_TRUE(s.is_ok()) << s.to_string();
    pos += n;
    EXPECT_EQ(read_all(*st, 1), std::vector<Sample>(samples.begin(), samples.begin() + pos));
  }
  auto stats = st->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->raw_samples, 50u);
  // 6 full blocks and a partial newest one (a flush leaves the head empty; the next flush
  // reopens that block).
  EXPECT_EQ(stats->raw_blocks, 7u);
  EXPECT_EQ(stats->oldest_raw, kT0);
  EXPECT_GT(stats->file_bytes, 0u);
  // Range reads cut inside blocks and the head.
  EXPECT_EQ(read_all(*st, 1, kT0 + 5000, kT0 + 45500),
            std::vector<Sample>(samples.begin() + 5, samples.begin() + 46));
  auto last = st->last_sample(1);
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ(**last, samples.back());
  // Early stop.
  int calls = 0;
  ASSERT_TRUE(st->scan_raw(1, 0, INT64_MAX, [&](auto) { return ++calls < 2; }).is_ok());
  EXPECT_EQ(calls, 2);
}

TEST_F(StoreTest, ReopenKeepsSamplesStateAndOpenBuckets) {
  auto samples = make_samples(kT0, 200, 1000);
  std::vector<Rollup> minutes_before;
  {
    auto st = open();
    ASSERT_TRUE(st->add_sensor({.name = "a"}));
    CommitBatch b = batch(1, {samples.begin(), samples.begin() + 100});
    b.sensors[0].state.frames[Verdict::kAccepted] = 100;
    b.sensors[0].state.energy_offset_wh = 42;
    b.unattributed[Verdict::kUnknownSensor] = 3;
    ASSERT_TRUE(st->commit(b).is_ok());
  }
  auto st = open();
  EXPECT_EQ(read_all(*st, 1), std::vector<Sample>(samples.begin(), samples.begin() + 100));
  auto s = st->sensor(1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->state.frames[Verdict::kAccepted], 100u);
  EXPECT_EQ(s->state.energy_offset_wh, 42);
  EXPECT_EQ(s->state.last_counter, samples[99].counter);
  EXPECT_EQ(st->stats()->unattributed[Verdict::kUnknownSensor], 3u);
  // The rest continues the open buckets seamlessly: same rollups as one uninterrupted store.
  ASSERT_TRUE(st->commit(batch(1, {samples.begin() + 100, samples.end()})).is_ok());
  auto reopened = st->rollups(1, Level::kMinute, 0, INT64_MAX);

  TempDir other;
  auto ref = open_sqlite_store(other.file("ref.db"), Calendar::utc(), small());
  ASSERT_TRUE(ref);
  ASSERT_TRUE((*ref)->add_sensor({.name = "a"}));
  ASSERT_TRUE((*ref)->commit(batch(1, samples)).is_ok());
  auto expected = (*ref)->rollups(1, Level::kMinute, 0, INT64_MAX);
  ASSERT_TRUE(reopened && expected);
  EXPECT_EQ(*reopened, *expected);
  EXPECT_EQ(reopened->size(), 4u);  // 200 s from a minute edge: 3 full minutes and an open one
}

TEST_F(StoreTest, CommitRefusalWritesNothing) {
  auto st = open();
  ASSERT_TRUE(st->add_sensor({.name = "a"}));
  ASSERT_TRUE(st->add_sensor({.name = "b"}));
  auto samples = make_samples(kT0, 20, 1000);
  ASSERT_TRUE(st->commit(batch(1, {samples.begin(), samples.begin() + 10})).is_ok());
  auto stats0 = st->stats();
  auto rollups0 = st->rollups(1, Level::kMinute, 0, INT64_MAX);

  auto expect_refused = [&](CommitBatch b) {
    Status s = st->commit(b);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << s.to_string();
  };
  // A good sensor batch followed by a bad one: nothing of either is written.
  CommitBatch mixed = batch(2, make_samples(kT0, 5, 1000));
  mixed.sensors.push_back(batch(1, {samples[9]}).sensors[0]);  // not after the last stored
  expect_refused(mixed);
  auto dec = std::vector<Sample>(samples.begin() + 10, samples.begin() + 12);
  dec[1].energy_wh = dec[0].energy_wh - 1;
  expect_refused(batch(1, dec));
  auto dup = std::vector<Sample>{samples[10], samples[10]};
  expect_refused(batch(1, dup));
  expect_refused(batch(77, {samples[10]}));

  EXPECT_EQ(st->stats()->raw_samples, stats0->raw_samples);
  EXPECT_TRUE(read_all(*st, 2).empty());
  EXPECT_EQ(*st->rollups(1, Level::kMinute, 0, INT64_MAX), *rollups0);
  // And the store still takes the right continuation.
  ASSERT_TRUE(st->commit(batch(1, {samples.begin() + 10, samples.end()})).is_ok());
  EXPECT_EQ(read_all(*st, 1), samples);
}

TEST_F(StoreTest, RemoveSensorDeletesAllItsRows) {
  auto st = open();
  ASSERT_TRUE(st->add_sensor({.name = "a"}));
  ASSERT_TRUE(st->add_sensor({.name = "b"}));
  ASSERT_TRUE(st->commit(batch(1, make_samples(kT0, 300, 1000))).is_ok());
  ASSERT_TRUE(st->commit(batch(2, make_samples(kT0, 30, 1000))).is_ok());
  ASSERT_TRUE(st->remove_sensor(1).is_ok());
  EXPECT_EQ(st->remove_sensor(1).code(), Code::kNotFound);
  auto stats = st->stats();
  EXPECT_EQ(stats->raw_samples, 30u);
  EXPECT_EQ(st->scan_raw(1, 0, INT64_MAX, [](auto) { return true; }).code(), Code::kNotFound);
  // The freed id is reused and starts empty.
  auto again = st->add_sensor({.name = "c"});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, 1);
  EXPECT_TRUE(read_all(*st, 1).empty());
  EXPECT_TRUE(st->rollups(1, Level::kHour, 0, INT64_MAX)->empty());
  EXPECT_FALSE(st->last_sample(1)->has_value());
}

TEST_F(StoreTest, ACleanCloseLeavesNoFreePageAndNewFilesUseSmallPages) {
  {
    auto st = open();
    ASSERT_TRUE(st->add_sensor({.name = "a"}));
    ASSERT_TRUE(st->commit(batch(1, make_samples(kT0, 300, 1000))).is_ok());
    ASSERT_TRUE(st->remove_sensor(1).is_ok());  // frees every page its blocks held
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.file("cw.db").c_str(), &db), SQLITE_OK);
  auto pragma = [&](const char* sql) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(s), SQLITE_ROW);
    const auto v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
  };
  EXPECT_EQ(pragma("PRAGMA freelist_count"), 0);
  EXPECT_EQ(pragma("PRAGMA page_size"), 512);
  sqlite3_close(db);
}

TEST_F(StoreTest, RetentionDropsWholeOldBlocksKeepsRollups) {
  auto st = open();
  ASSERT_TRUE(st->add_sensor({.name = "a"}));
  auto samples = make_samples(kT0, 100, 1000);  // 12 blocks of 8 + 4 in the head
  ASSERT_TRUE(st->commit(batch(1, samples)).is_ok());
  auto hours = st->rollups(1, Level::kHour, 0, INT64_MAX);
  RetentionPolicy keep;
  keep.raw_keep_ms = 60000;
  // now - keep = kT0 + 50 s: blocks ending before it go; block [48..55] straddles and stays.
  ASSERT_TRUE(st->enforce_retention(kT0 + 110000, keep).is_ok());
  auto left = read_all(*st, 1);
  ASSERT_FALSE(left.empty());
  EXPECT_EQ(left.front(), samples[48]);
  EXPECT_EQ(left.back(), samples.back());
  EXPECT_EQ(st->stats()->oldest_raw, samples[48].t);
  EXPECT_EQ(*st->rollups(1, Level::kHour, 0, INT64_MAX), *hours);
  // Everything raw can go; the last sample is still known so ingest continues in order.
  ASSERT_TRUE(st->enforce_retention(kT0 + 10 * kDayMs, keep).is_ok());
  EXPECT_EQ(st->stats()->raw_samples, 0u);
  EXPECT_EQ(**st->last_sample(1), samples.back());
  EXPECT_EQ(st->commit(batch(1, {samples.back()})).code(), Code::kInvalidArgument);
  auto more = make_samples(samples.back().t + 1000, 20, 1000, 2, samples.back().energy_wh);
  ASSERT_TRUE(st->commit(batch(1, more)).is_ok());
  EXPECT_EQ(read_all(*st, 1), more);
}

}  // namespace
}  // namespace cw::store
