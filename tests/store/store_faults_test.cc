// Faults on real files: garbage, foreign and damaged databases, corrupted blocks, a locked
// database, a full disk (a real tiny tmpfs when the test may mount one) and kill -9 mid-ingest.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "store/store.h"
#include "store_test_util.h"

namespace cw::store {
namespace {

using testing::make_samples;
using testing::TempDir;

constexpr TimeMs kT0 = 1704067200000;

CommitBatch batch(SensorId id, std::vector<Sample> samples) {
  CommitBatch b;
  b.sensors.push_back({id, std::move(samples), {}});
  return b;
}

void write_file(const std::string& path, const std::string& bytes, std::streamoff at = 0) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!f) f.open(path, std::ios::out | std::ios::binary);
  f.seekp(at);
  f.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

void exec_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST(StoreFaults, GarbageFileIsCorruption) {
  TempDir dir;
  const std::string path = dir.file("junk.db");
  write_file(path, random_bytes(16384, 1));
  auto st = open_sqlite_store(path, Calendar::utc());
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.status().code(), Code::kCorruption);
  EXPECT_NE(st.status().message().find("not a CitizenWatt store"), std::string::npos)
      << st.status().message();
}

TEST(StoreFaults, ForeignSqliteFileIsRefused) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  exec_sql(path, "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
  auto st = open_sqlite_store(path, Calendar::utc());
  EXPECT_EQ(st.status().code(), Code::kCorruption);
}

TEST(StoreFaults, CorruptedBlockIsReportedNotReturned) {
  TempDir dir;
  const std::string path = dir.file("cw.db");
  SqliteOptions o;
  o.block_samples = 16;
  {
    auto st = open_sqlite_store(path, Calendar::utc(), o);
    ASSERT_TRUE(st);
    ASSERT_TRUE((*st)->add_sensor({.name = "a"}));
    ASSERT_TRUE((*st)->commit(batch(1, make_samples(kT0, 40, 1000))).is_ok());
  }
  // Flip one byte inside the first block's payload, as a bad SD card sector would.
  exec_sql(path,
           "UPDATE raw_block SET data = substr(data, 1, 10) || "
           "char((unicode(substr(data, 11, 1)) + 1) % 256) || substr(data, 12) "
           "WHERE id = (SELECT min(id) FROM raw_block)");
  auto st = open_sqlite_store(path, Calendar::utc(), o);
  ASSERT_TRUE(st);
  Status s = (*st)->scan_raw(1, 0, INT64_MAX, [](auto) { return true; });
  EXPECT_EQ(s.code(), Code::kCorruption) << s.to_string();
}

TEST(StoreFaults, DamagedPagesNeverCrashAndAreReported) {
  TempDir dir;
  const std::string path = dir.file("cw.db");
  SqliteOptions o;
  o.block_samples = 64;
  {
    auto st = open_sqlite_store(path, Calendar::utc(), o);
    ASSERT_TRUE(st);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE((*st)->add_sensor({.name = "s"}));
    for (SensorId id = 1; id <= 4; ++id) {
      ASSERT_TRUE((*st)->commit(batch(id, make_samples(kT0, 20000, 1000, id))).is_ok());
    }
  }  // closing checkpoints the WAL into the main file
  const auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, 64 * 1024u);
  write_file(path, random_bytes(size / 2, 9), std::streamoff(size / 4));
  auto st = open_sqlite_store(path, Calendar::utc(), o);
  if (!st.is_ok()) {
    EXPECT_EQ(st.status().code(), Code::kCorruption) << st.status().to_string();
    return;
  }
  bool reported = false;
  for (SensorId id = 1; id <= 4; ++id) {
    Status s = (*st)->scan_raw(id, 0, INT64_MAX, [](auto) { return true; });
    if (!s.is_ok()) {
      EXPECT_EQ(s.code(), Code::kCorruption) << s.to_string();
      reported = true;
    }
  }
  auto check = (*st)->integrity_check();
  if (check.is_ok()) {
    reported = reported || *check != "ok";
  } else {
    EXPECT_EQ(check.status().code(), Code::kCorruption);
    reported = true;
  }
  EXPECT_TRUE(reported);
}

TEST(StoreFaults, LockedDatabaseIsUnavailableThenRecovers) {
  TempDir dir;
  const std::string path = dir.file("cw.db");
  SqliteOptions o;
  o.busy_timeout_ms = 100;
  auto st = open_sqlite_store(path, Calendar::utc(), o);
  ASSERT_TRUE(st);
  ASSERT_TRUE((*st)->add_sensor({.name = "a"}));
  auto samples = make_samples(kT0, 10, 1000);

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ((*st)->commit(batch(1, samples)).code(), Code::kUnavailable);
  // Reads still work while another writer holds the lock.
  EXPECT_TRUE((*st)->sensors().is_ok());
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  // The refused commit changed nothing in memory: the same batch now goes in.
  ASSERT_TRUE((*st)->commit(batch(1, samples)).is_ok());

  // A process holding the file in exclusive locking mode keeps a second store from opening.
  st = Status{Code::kInternal, "closed"};
  ASSERT_EQ(sqlite3_exec(other,
                         "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                         "UPDATE sensor SET name = 'b'; COMMIT;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto again = open_sqlite_store(path, Calendar::utc(), o);
  EXPECT_EQ(again.status().code(), Code::kUnavailable) << again.status().to_string();
  sqlite3_close(other);
  again = open_sqlite_store(path, Calendar::utc(), o);
  ASSERT_TRUE(again) << again.status().to_string();
  EXPECT_EQ((*again)->sensor(1)->name, "b");
}

// A tiny tmpfs: a real ENOSPC under SQLite. Needs CAP_SYS_ADMIN; skipped without it.
class TinyDisk {
 public:
  explicit TinyDisk(const std::filesystem::path& dir) : dir_(dir) {
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=400k") == 0;
  }
  ~TinyDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool grow() { return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT, "size=8m") == 0; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
};

TEST(StoreFaults, DiskFullRollsBackAndRecovers) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "disk");
  TinyDisk disk(dir.path() / "disk");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  const std::string path = (dir.path() / "disk" / "cw.db").string();
  SqliteOptions o;
  o.block_samples = 64;
  auto st = open_sqlite_store(path, Calendar::utc(), o);
  ASSERT_TRUE(st) << st.status().to_string();
  ASSERT_TRUE((*st)->add_sensor({.name = "a"}));
  // Incompressible-ish power so the disk fills within a few batches.
  std::vector<Sample> all;
  std::mt19937 rng(5);
  std::int64_t e = 0;
  for (int i = 0; i < 400000; ++i) {
    e += rng() % 3;
    all.push_back(
        {kT0 + i * 1000 + TimeMs(rng() % 500), std::uint32_t(i), std::int32_t(rng() % 100000), e});
  }
  std::size_t pos = 0, failed_at = 0;
  Status s;
  while (pos < all.size()) {
    std::vector<Sample> part(all.begin() + pos, all.begin() + pos + 2000);
    s = (*st)->commit(batch(1, part));
    if (!s.is_ok()) {
      failed_at = pos;
      break;
    }
    pos += 2000;
  }
  ASSERT_EQ(s.code(), Code::kResourceExhausted) << s.to_string();
  auto stats = (*st)->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->raw_samples, failed_at);
  auto last = (*st)->last_sample(1);
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ(**last, all[failed_at - 1]);
  // More room: the very same batch now commits, and everything reads back whole.
  ASSERT_TRUE(disk.grow());
  std::vector<Sample> part(all.begin() + failed_at, all.begin() + failed_at + 2000);
  s = (*st)->commit(batch(1, part));
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  std::vector<Sample> back;
  ASSERT_TRUE((*st)
                  ->scan_raw(1, 0, INT64_MAX,
                             [&](std::span<const Sample> c) {
                               back.insert(back.end(), c.begin(), c.end());
                               return true;
                             })
                  .is_ok());
  EXPECT_EQ(back, std::vector<Sample>(all.begin(), all.begin() + failed_at + 2000));
  auto days = (*st)->rollups(1, Level::kDay, 0, INT64_MAX);
  ASSERT_TRUE(days);
  std::int64_t energy = 0;
  for (const Rollup& r : *days) energy += r.energy_mwh;
  EXPECT_EQ(energy, (back.back().energy_wh - back.front().energy_wh) * 1000);
  EXPECT_EQ(*(*st)->integrity_check(), "ok");
}

// A child process ingests and reports each committed batch through a pipe; it is killed with
// SIGKILL at an arbitrary moment. Every reported batch must be there, whole, after reopening.
TEST(StoreFaults, KillNineLosesNoCommittedBatch) {
  TempDir dir;
  const std::string path = dir.file("cw.db");
  SqliteOptions o;
  o.block_samples = 100;
  {
    auto st = open_sqlite_store(path, Calendar::utc(), o);
    ASSERT_TRUE(st);
    ASSERT_TRUE((*st)->add_sensor({.name = "a"}));
  }
  const auto all = make_samples(kT0, 200000, 1000);
  constexpr std::size_t kBatch = 37;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    auto st = open_sqlite_store(path, Calendar::utc(), o);
    if (!st) ::_exit(2);
    for (std::size_t pos = 0; pos + kBatch <= all.size(); pos += kBatch) {
      std::vector<Sample> part(all.begin() + pos, all.begin() + pos + kBatch);
      if (!(*st)->commit(batch(1, part)).is_ok()) ::_exit(3);
      std::uint32_t n = std::uint32_t(pos / kBatch + 1);
      if (::write(fds[1], &n, sizeof n) != sizeof n) ::_exit(4);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::uint32_t reported = 0, n = 0;
  while (reported < 300 && ::read(fds[0], &n, sizeof n) == sizeof n) reported = n;
  ::kill(pid, SIGKILL);
  while (::read(fds[0], &n, sizeof n) == sizeof n) reported = n;  // drain what it sent
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  ASSERT_GE(reported, 300u);

  auto st = open_sqlite_store(path, Calendar::utc(), o);
  ASSERT_TRUE(st) << st.status().to_string();
  std::vector<Sample> back;
  ASSERT_TRUE((*st)
                  ->scan_raw(1, 0, INT64_MAX,
                             [&](std::span<const Sample> c) {
                               back.insert(back.end(), c.begin(), c.end());
                               return true;
                             })
                  .is_ok());
  ASSERT_GE(back.size(), reported * kBatch);
  EXPECT_EQ(back.size() % kBatch, 0u);  // whole batches only
  EXPECT_EQ(back, std::vector<Sample>(all.begin(), all.begin() + back.size()));
  EXPECT_EQ(*(*st)->integrity_check(), "ok");
  // Ingest continues where it stopped.
  ASSERT_TRUE((*st)->commit(batch(1, {all[back.size()]})).is_ok());
}

}  // namespace
}  // namespace cw::store
