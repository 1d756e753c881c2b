// SoftInt128 (core/int128.h), the 128-bit integer of 32-bit targets. Where the compiler has
// __int128 (64-bit builds), every operation is compared with it on random and edge operands;
// everywhere (armhf under qemu too) the arithmetic identities and decimal products are checked.
#include "core/int128.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace cw {
namespace {

using S = SoftInt128;

// Decimal text, from the soft type's own division: checks / and % together.
std::string decimal(S v) {
  if (v == 0) return "0";
  const bool neg = v < 0;
  std::string out;
  while (v != 0) {
    S digit = v % 10;
    out.insert(out.begin(), char('0' + (neg ? -std::int64_t(digit) : std::int64_t(digit))));
    v /= 10;
  }
  return neg ? "-" + out : out;
}

TEST(SoftInt128, ProductsBeyond64BitsAreExact) {
  const S max64 = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(decimal(max64 * max64), "85070591730234615847396907784232501249");
  EXPECT_EQ(decimal(S(std::numeric_limits<std::int64_t>::min()) * -1), "9223372036854775808");
  EXPECT_EQ(decimal(S(1'000'000'000'000LL) * -1'000'000'000'000LL), "-1000000000000000000000000");
  EXPECT_EQ(decimal(S(-7) / 2), "-3");
  EXPECT_EQ(decimal(S(-7) % 2), "-1");
  EXPECT_EQ(decimal(S(7) % -2), "1");
}

TEST(SoftInt128, DivisionUndoesMultiplication) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const std::int64_t a = std::int64_t(rng()), b = std::int64_t(rng() >> (rng() % 63)) | 1;
    const S p = S(a) * b;
    EXPECT_EQ(p / b, S(a));
    EXPECT_EQ(p % b, S(0));
    EXPECT_EQ((p + 1) / b * b + (p + 1) % b, p + 1);
    EXPECT_EQ(std::int64_t(p / b), a);
  }
}

TEST(SoftInt128, OrderAndConversions) {
  EXPECT_LT(S(-1), S(0));
  EXPECT_LT(S(std::numeric_limits<std::int64_t>::max()) + 1,
            S(1) * std::numeric_limits<std::int64_t>::max() * 2);
  EXPECT_GT(S(std::numeric_limits<std::uint64_t>::max()),
            S(std::numeric_limits<std::int64_t>::max()));
  EXPECT_DOUBLE_EQ(double(S(-3) * 1'000'000'000'000LL * 1'000'000'000LL), -3e21);
  EXPECT_EQ(std::int64_t(S(-42)), -42);
  S x = 5;
  EXPECT_EQ(++x, S(6));
  EXPECT_EQ(--x, S(5));
}

#if defined(__SIZEOF_INT128__)
S soft(__int128 v) {
  return S(std::uint64_t(v >> 64)) * (S(1) + S(std::numeric_limits<std::uint64_t>::max())) +
         S(std::uint64_t(v));
}

TEST(SoftInt128, MatchesTheBuiltInType) {
  std::mt19937_64 rng(11);
  std::vector<__int128> edges = {0,
                                 1,
                                 -1,
                                 2,
                                 -2,
                                 10,
                                 std::numeric_limits<std::int64_t>::max(),
                                 std::numeric_limits<std::int64_t>::min(),
                                 __int128(std::numeric_limits<std::uint64_t>::max())};
  auto random128 = [&] {
    const __int128 v = (__int128(rng()) << 64) | rng();
    return v >> (rng() % 127);  // every magnitude, both signs
  };
  for (int i = 0; i < 20000; ++i) {
    const __int128 a = i < 81 ? edges[i % 9] : random128();
    const __int128 b = i < 81 ? edges[i / 9] : random128();
    const S sa = soft(a), sb = soft(b);
    ASSERT_EQ(sa + sb, soft(__int128(static_cast<unsigned __int128>(a) +
                                     static_cast<unsigned __int128>(b))));
    ASSERT_EQ(sa - sb, soft(__int128(static_cast<unsigned __int128>(a) -
                                     static_cast<unsigned __int128>(b))));
    ASSERT_EQ(sa * sb, soft(__int128(static_cast<unsigned __int128>(a) *
                                     static_cast<unsigned __int128>(b))));
    ASSERT_EQ(sa < sb, a < b);
    ASSERT_EQ(sa == sb, a == b);
    ASSERT_EQ(std::int64_t(sa), std::int64_t(a));
    ASSERT_DOUBLE_EQ(double(sa), double(a));
    const double d = double(a) / 3.0;  // from a double: truncated toward zero, as __int128 does
    ASSERT_EQ(SoftInt128(d), soft(__int128(d)));
    const bool overflow = a == (__int128(1) << 127) && b == -1;  // INT128_MIN / -1
    if (b != 0 && !overflow) {
      ASSERT_EQ(sa / sb, soft(a / b));
      ASSERT_EQ(sa % sb, soft(a % b));
    }
  }
}
#endif

}  // namespace
}  // namespace cw
