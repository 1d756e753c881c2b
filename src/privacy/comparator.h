// The comparator at home: the community distributions a base downloads from the hub
// (GET /open/v1/comparator), read defensively (they come from outside), and the household's
// rank against one of them. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace cw::privacy {

struct DistributionCell {
  std::string period, area, household_size;  // "" area or size: every area / every size
  int households = 0;
  std::vector<std::pair<double, double>> points;  // (percentile, Wh), percentile ascending
};

// The well-formed cells of a downloaded answer; anything malformed is skipped, never thrown.
std::vector<DistributionCell> parse_distributions(const nlohmann::json& answer);

// Share of the community (0..1) that used more than `wh`, by linear interpolation between the
// published percentiles (the tails beyond p5 / p95 are not resolved further).
double share_using_more(const std::vector<std::pair<double, double>>& points, double wh);

}  // namespace cw::privacy
