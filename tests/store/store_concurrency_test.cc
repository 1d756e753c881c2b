// Reads run while another thread commits, and always see whole committed batches.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/store.h"
#include "store_test_util.h"

namespace cw::store {
namespace {

using testing::make_samples;
using testing::TempDir;

TEST(StoreConcurrency, ReadersSeeWholeBatchesWhileAWriterCommits) {
  TempDir dir;
  SqliteOptions o;
  o.block_samples = 64;  // compaction happens often while readers read
  auto opened = open_sqlite_store(dir.file("cw.db"), Calendar::utc(), o);
  ASSERT_TRUE(opened);
  Store& st = **opened;
  ASSERT_TRUE(st.add_sensor({.name = "a"}));
  constexpr std::size_t kBatch = 25, kBatches = 400;
  const auto all = make_samples(1704067200000, kBatch * kBatches, 1000);

  std::atomic<bool> done{false};
  std::atomic<int> bad{0}, reads{0};
  auto reader = [&] {
    while (!done.load()) {
      std::vector<Sample> got;
      Status s = st.scan_raw(1, 0, INT64_MAX, [&](std::span<const Sample> c) {
        got.insert(got.end(), c.begin(), c.end());
        return true;
      });
      auto hours = st.rollups(1, Level::kHour, 0, INT64_MAX);
      if (!s.is_ok() || !hours.is_ok() || got.size() % kBatch != 0 ||
          !std::equal(got.begin(), got.end(), all.begin())) {
        ++bad;
      }
      ++reads;
    }
  };
  std::thread r1(reader), r2(reader);
  for (std::size_t b = 0; b < kBatches; ++b) {
    CommitBatch batch;
    batch.sensors.push_back({1, {all.begin() + b * kBatch, all.begin() + (b + 1) * kBatch}, {}});
    Status s = st.commit(batch);
    ASSERT_TRUE(s.is_ok()) << s.to_string();
  }
  done = true;
  r1.join();
  r2.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 2);
  std::size_t n = 0;
  ASSERT_TRUE(st.scan_raw(1, 0, INT64_MAX, [&](auto c) {
                  n += c.size();
                  return true;
                }).is_ok());
  EXPECT_EQ(n, all.size());
}

}  // namespace
}  // namespace cw::store
