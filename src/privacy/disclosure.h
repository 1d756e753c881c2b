// Statistical disclosure control for the hub's published cells (docs/privacy.md).
//
// Primary rules on every cell: at least k contributors (k >= 10), and no contributor above
// `dominance` (85 %) of the cell's total. Secondary rule on additive partitions: when a
// published parent has exactly one suppressed child, parent minus the others would reveal it,
// so the smallest published sibling is suppressed too (repeated until stable).
// Noise (optional): the two-sided geometric mechanism, the discrete Laplace, on integers, with
// randomness from OpenSSL's CSPRNG (no floating-point Laplace sampling: Mironov 2012).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace cw::privacy {

struct DisclosureRules {
  int k = 10;
  double dominance = 0.85;
};
Status check_rules(const DisclosureRules& r);  // k >= 10, 0 < dominance <= 0.85

enum class Suppression { kNone, kTooFew, kDominance, kSecondary, kBudget };
const char* suppression_name(Suppression s);

// The primary rules over a cell's contributions (non-negative values).
Suppression primary_suppression(const std::vector<std::int64_t>& values, const DisclosureRules& r);

// One cell of a partition, for the secondary rule.
struct PartitionCell {
  std::int64_t n = 0;
  Suppression* state = nullptr;
};
// Applies the secondary rule to the children of one published parent; true when it changed any.
bool secondary_suppression(std::vector<PartitionCell>& children);

// Percentiles by linear interpolation between order statistics (Hyndman-Fan type 7).
std::vector<std::pair<int, double>> percentiles(std::vector<std::int64_t> values,
                                                const std::vector<int>& ps);

// An integer drawn from the two-sided geometric distribution with P(z) ∝ exp(-eps |z| / delta).
std::int64_t geometric_noise(double epsilon, double sensitivity);

}  // namespace cw::privacy
