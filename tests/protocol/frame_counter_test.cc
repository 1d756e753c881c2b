#include "protocol/frame_counter.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace cw::protocol {
namespace {

// An EEPROM that counts writes per cell and can lose power after a given number of byte writes.
struct FakeEeprom {
  std::vector<std::uint8_t> bytes = std::vector<std::uint8_t>(1024, 0xFF);
  std::vector<int> writes = std::vector<int>(1024, 0);
  long budget = -1;  // byte writes left before the power cut; -1 = never
  bool cut = false;

  EepromIo io() {
    return {[](void* c, std::uint16_t a) { return static_cast<FakeEeprom*>(c)->bytes[a]; },
            [](void* c, std::uint16_t a, std::uint8_t v) {
              auto* e = static_cast<FakeEeprom*>(c);
              if (e->budget == 0) {
                e->cut = true;
                return;  // power is gone: nothing more reaches the cell
              }
              if (e->budget > 0) --e->budget;
              e->bytes[a] = v;
              ++e->writes[a];
            },
            this};
  }
};

TEST(Crc8, MatchesTheSmbusCheckValue) {
  const char* s = "123456789";
  EXPECT_EQ(crc8(reinterpret_cast<const std::uint8_t*>(s), 9), 0xF4);
}

TEST(FrameCounter, NewSensorCountsFromOneAndResumesPastItsWindowAfterReboot) {
  FakeEeprom e;
  FrameCounter a(e.io(), 16, 8, 100);
  ASSERT_TRUE(a.boot());
  std::uint32_t c = 0;
  for (std::uint32_t want = 1; want <= 250; ++want) {
    ASSERT_TRUE(a.next(&c));
    EXPECT_EQ(c, want);
  }
  FrameCounter b(e.io(), 16, 8, 100);  // reboot
  ASSERT_TRUE(b.boot());
  ASSERT_TRUE(b.next(&c));
  EXPECT_EQ(c, 301u);  // 251..300 were reserved and are skipped, never reused
}

TEST(FrameCounter, NeverRepeatsWhateverTheMomentOfThePowerCut) {
  FakeEeprom e;
  std::mt19937 rng(7);
  std::uint32_t last = 0;
  int lives = 0;
  for (; lives < 2000; ++lives) {
    e.budget = static_cast<long>(rng() % 40);  // dies somewhere in the next few writes
    e.cut = false;
    FrameCounter fc(e.io(), 0, 4, 3);
    if (!fc.boot()) {
      ASSERT_TRUE(e.cut) << "boot failed without a power cut";
      continue;
    }
    for (int i = 0; i < 20; ++i) {
      std::uint32_t c = 0;
      bool ok = fc.next(&c);
      if (e.cut) break;  // the sensor died inside this call: its counter was never sent
      ASSERT_TRUE(ok);
      ASSERT_GT(c, last) << "counter reused after a power cut, life " << lives;
      last = c;
    }
  }
  EXPECT_GT(last, 1000u);
}

TEST(FrameCounter, WritesAreRareAndSpreadOverTheSlots) {
  FakeEeprom e;
  FrameCounter fc(e.io(), 0, 16, 256);
  ASSERT_TRUE(fc.boot());
  std::uint32_t c = 0;
  for (int i = 0; i < 1'000'000; ++i) ASSERT_TRUE(fc.next(&c));
  int max_writes = 0, total = 0;
  for (int w : e.writes) {
    max_writes = std::max(max_writes, w);
    total += w;
  }
  EXPECT_LE(total, (1'000'000 / 256 + 2) * int(kCounterSlotSize));
  EXPECT_LE(max_writes, 1'000'000 / 256 / 16 + 2);  // ~245 writes per cell for a million frames
}

TEST(FrameCounter, ExhaustedSpaceStopsTheSensor) {
  FakeEeprom e;
  // Plant a mark near the end of the counter space in slot 0.
  std::uint32_t v = UINT32_MAX - 5;
  std::uint8_t b[5] = {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16),
                       std::uint8_t(v >> 24), 0};
  b[4] = crc8(b, 4);
  for (int i = 0; i < 5; ++i) e.bytes[i] = b[i];
  FrameCounter fc(e.io(), 0, 4, 100);
  EXPECT_FALSE(fc.boot());
  std::uint32_t c = 0;
  EXPECT_FALSE(fc.next(&c));
}

TEST(FrameCounter, AWornCellThatDoesNotTakeTheWriteIsNotTrusted) {
  FakeEeprom e;
  FrameCounter fc(e.io(), 0, 4, 10);
  ASSERT_TRUE(fc.boot());
  e.budget = 0;  // from now on writes are lost, as with a dead cell
  std::uint32_t c = 0;
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(fc.next(&c));  // inside the reserved window
  EXPECT_TRUE(fc.next(&c));   // counter 10: still below the mark 11
  EXPECT_FALSE(fc.next(&c));  // the next window cannot be reserved: stop, do not reuse
}

}  // namespace
}  // namespace cw::protocol
