// Publication: turns a day's contributions into the published cells of every dataset, with
// disclosure control on each cell (privacy/disclosure.h), and optional noise with its ε ledger.
//
// Datasets (docs/hub.md): daily (open data: daily totals per area and group, with percentiles),
// load_curve (open data: half-hourly totals per area), comparator (percentiles of daily energy
// per area and household size), challenges (daily totals per area). A contribution feeds only
// the datasets of the purposes it carries. A day is recomputed whole, in one transaction, when a
// contribution arrives or leaves (dirty_periods): a deleted contribution is in no later release.
#pragma once

#include <string>

#include "core/status.h"
#include "hub/hub_db.h"
#include "privacy/disclosure.h"

namespace cw::hub {

struct PublishOptions {
  privacy::DisclosureRules rules;
  double epsilon = 0;          // ε per partition of a release of the daily dataset; 0 = no noise
  double epsilon_budget = 10;  // at most this much ε spent per day of the daily dataset
  std::int64_t clip_wh = 100'000;  // contributions clipped to this for the noisy sums
};

class Publisher {
 public:
  Publisher(HubDb& db, PublishOptions options) : db_(db), options_(options) {}
  // Recomputes every dirty day; returns how many.
  Result<int> publish_dirty();
  Status recompute(const std::string& period);

 private:
  HubDb& db_;
  const PublishOptions options_;
};

}  // namespace cw::hub
