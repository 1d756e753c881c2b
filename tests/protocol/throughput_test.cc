// A rough figure for the report: frames sealed and opened per second on one core. It asserts
// only correctness; the rate is printed and recorded as a test property.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "protocol/frame.h"
#include "protocol/host/openssl_aead.h"

namespace cw::protocol {
namespace {

TEST(FrameThroughput, SealAndOpenRate) {
  const std::uint8_t key[kKeySize] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
  constexpr int kFrames = 20000;
  std::uint8_t frame[kMaxFrame];
  auto start = std::chrono::steady_clock::now();
  std::uint64_t energy_sum = 0;
  for (int i = 1; i <= kFrames; ++i) {
    Measurement m{i, static_cast<std::uint32_t>(i), 2300, 3300, 0};
    std::size_t n =
        seal_measurement(1, static_cast<std::uint32_t>(i), m, key, openssl_aead(), frame);
    Measurement back{};
    ASSERT_EQ(open_measurement(frame, n, key, openssl_aead(), &back), FrameError::kOk);
    energy_sum += back.energy_wh;
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(energy_sum, std::uint64_t{kFrames} * (kFrames + 1) / 2);
  std::printf("frame v2: %.0f seal+open per second (one thread)\n", kFrames / s);
  ::testing::Test::RecordProperty("seal_open_per_s", static_cast<int>(kFrames / s));
}

}  // namespace
}  // namespace cw::protocol
