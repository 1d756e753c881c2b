#include "privacy/disclosure.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "privacy/encoding.h"

namespace cw::privacy {

namespace {

// Uniform in (0, 1), never 0 nor 1, from 53 random bits.
double uniform_open() {
  for (;;) {
    Bytes b = random_bytes(8);
    std::uint64_t v = 0;
    for (std::uint8_t c : b) v = (v << 8) | c;
    v >>= 11;
    if (v != 0) return double(v) / double(1ull << 53);
  }
}

// Geometric on {0, 1, ...} with P(k) = (1 - a) a^k.
std::int64_t geometric(double a) {
  return static_cast<std::int64_t>(std::floor(std::log(uniform_open()) / std::log(a)));
}

}  // namespace

Status check_rules(const DisclosureRules& r) {
  if (r.k < 10) return invalid_argument("k must be at least 10");
  if (!(r.dominance > 0 && r.dominance <= 0.85))
    return invalid_argument("dominance must be above 0 and at most 0.85");
  return Status::ok();
}

const char* suppression_name(Suppression s) {
  switch (s) {
    case Suppression::kNone:
      return "";
    case Suppression::kTooFew:
      return "fewer_than_k";
    case Suppression::kDominance:
      return "dominance";
    case Suppression::kSecondary:
      return "secondary";
    case Suppression::kBudget:
      return "epsilon_budget";
  }
  return "?";
}

Suppression primary_suppression(const std::vector<std::int64_t>& values, const DisclosureRules& r) {
  if (static_cast<std::int64_t>(values.size()) < r.k) return Suppression::kTooFew;
  const std::int64_t total = std::accumulate(values.begin(), values.end(), std::int64_t{0});
  const std::int64_t top = *std::max_element(values.begin(), values.end());
  // A zero total hides nobody's value but reveals that all are zero: still no one dominates.
  if (total > 0 && double(top) > r.dominance * double(total)) return Suppression::kDominance;
  return Suppression::kNone;
}

bool secondary_suppression(std::vector<PartitionCell>& children) {
  bool changed = false;
  for (;;) {
    int suppressed = 0;
    PartitionCell* smallest = nullptr;
    for (PartitionCell& c : children) {
      if (*c.state != Suppression::kNone)
        ++suppressed;
      else if (!smallest || c.n < smallest->n)
        smallest = &c;
    }
    if (suppressed != 1 || !smallest) return changed;
    *smallest->state = Suppression::kSecondary;
    changed = true;
  }
}

std::vector<std::pair<int, double>> percentiles(std::vector<std::int64_t> values,
                                                const std::vector<int>& ps) {
  std::vector<std::pair<int, double>> out;
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  for (int p : ps) {
    const double h = (double(values.size()) - 1) * p / 100.0;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    out.emplace_back(p, double(values[lo]) + (h - double(lo)) * double(values[hi] - values[lo]));
  }
  return out;
}

std::int64_t geometric_noise(double epsilon, double sensitivity) {
  const double a = std::exp(-epsilon / sensitivity);
  return geometric(a) - geometric(a);
}

}  // namespace cw::privacy
