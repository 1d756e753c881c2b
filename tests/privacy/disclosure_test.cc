#include "privacy/disclosure.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cw::privacy {
namespace {

TEST(Disclosure, KAndDominance) {
  DisclosureRules r;
  EXPECT_EQ(primary_suppression(std::vector<std::int64_t>(9, 1000), r), Suppression::kTooFew);
  EXPECT_EQ(primary_suppression(std::vector<std::int64_t>(10, 1000), r), Suppression::kNone);
  std::vector<std::int64_t> v(9, 100);
  v.push_back(5101);  // 5101 / 6001 = 85.0 %: just above
  EXPECT_EQ(primary_suppression(v, r), Suppression::kDominance);
  v.back() = 5099;  // 84.99 %
  EXPECT_EQ(primary_suppression(v, r), Suppression::kNone);
  r.k = 20;
  EXPECT_EQ(primary_suppression(std::vector<std::int64_t>(19, 1), r), Suppression::kTooFew);
  EXPECT_FALSE(check_rules({9, 0.85}).is_ok());
  EXPECT_FALSE(check_rules({10, 0.9}).is_ok());
  EXPECT_TRUE(check_rules({25, 0.5}).is_ok());
}

TEST(Disclosure, SecondarySuppressionNeverLeavesOneSuppressedChild) {
  Suppression a = Suppression::kNone, b = Suppression::kNone, c = Suppression::kTooFew;
  std::vector<PartitionCell> kids = {{30, &a}, {12, &b}, {5, &c}};
  EXPECT_TRUE(secondary_suppression(kids));
  EXPECT_EQ(a, Suppression::kNone);
  EXPECT_EQ(b, Suppression::kSecondary);
  // Two suppressed already: nothing to add.
  EXPECT_FALSE(secondary_suppression(kids));
  Suppression x = Suppression::kNone, y = Suppression::kNone;
  std::vector<PartitionCell> clean = {{30, &x}, {12, &y}};
  EXPECT_FALSE(secondary_suppression(clean));
}

TEST(Disclosure, PercentilesInterpolate) {
  auto p = percentiles({40, 10, 30, 20}, {0, 50, 100, 25});
  ASSERT_EQ(p.size(), 4u);
  EXPECT_DOUBLE_EQ(p[0].second, 10);
  EXPECT_DOUBLE_EQ(p[1].second, 25);
  EXPECT_DOUBLE_EQ(p[2].second, 40);
  EXPECT_DOUBLE_EQ(p[3].second, 17.5);
}

TEST(Disclosure, GeometricNoiseHasTheLaplaceScale) {
  // Var of the two-sided geometric with a = exp(-eps/delta) is 2a / (1-a)^2.
  const double eps = 1.0, delta = 10.0, a = std::exp(-eps / delta);
  const int n = 20000;
  double sum = 0, sq = 0;
  for (int i = 0; i < n; ++i) {
    const double z = double(geometric_noise(eps, delta));
    sum += z;
    sq += z * z;
  }
  const double mean = sum / n, var = sq / n - mean * mean, expected = 2 * a / ((1 - a) * (1 - a));
  EXPECT_NEAR(mean, 0.0, 0.5);
  EXPECT_NEAR(var / expected, 1.0, 0.1);
}

}  // namespace
}  // namespace cw::privacy
