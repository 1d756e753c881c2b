#include "privacy/comparator.h"

#include <gtest/gtest.h>

namespace cw::privacy {
namespace {

using nlohmann::json;

TEST(Comparator, RanksBetweenPublishedPercentiles) {
  const std::vector<std::pair<double, double>> pts = {{10, 4000}, {50, 8000}, {90, 12000}};
  EXPECT_DOUBLE_EQ(share_using_more(pts, 8000), 0.5);
  EXPECT_DOUBLE_EQ(share_using_more(pts, 6000), 0.7);
  EXPECT_DOUBLE_EQ(share_using_more(pts, 1000), 0.9);  // below p10: "less than 90 %" at most
  EXPECT_NEAR(share_using_more(pts, 20000), 0.1, 1e-12);
}

TEST(Comparator, MalformedCellsFromTheHubAreSkipped) {
  json answer = json::parse(R"({"cells": [
    {"period": "2024-04-09", "area": "75111", "household_size": "", "n": 12,
     "percentiles": [{"p": 5, "wh": 100}, {"p": 95, "wh": 900}]},
    {"period": "2024-04-09", "area": 75111, "percentiles": [{"p": 5, "wh": 100}]},
    {"period": "2024-04-09", "area": "75112", "percentiles": [{"p": 50, "wh": 100}, {"p": 10, "wh": 50}]},
    {"period": "2024-04-09", "area": "75113", "percentiles": [{"p": "x", "wh": 100}]},
    {"period": "bad", "percentiles": [{"p": 5, "wh": 100}]},
    "garbage"]})");
  auto cells = parse_distributions(answer);
  ASSERT_EQ(cells.size(), 1u);  // a numeric area must not pass for "every area"
  EXPECT_EQ(cells[0].area, "75111");
  EXPECT_EQ(cells[0].households, 12);
  EXPECT_TRUE(parse_distributions(json::array()).empty());
  EXPECT_TRUE(parse_distributions(json{{"cells", 3}}).empty());
}

}  // namespace
}  // namespace cw::privacy
