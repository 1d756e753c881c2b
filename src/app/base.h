// Opening a base's data for a subcommand: the data folder, its configuration, its calendar and
// its store, the same way `serve` does.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "app/data_dir.h"
#include "core/calendar.h"
#include "store/accounts.h"
#include "store/insights.h"
#include "store/store.h"

namespace cw::app {

struct OpenBase {
  DataDir dir;
  Config config;
  Calendar calendar = Calendar::utc();
  std::unique_ptr<store::Store> store;
};

// Reads DIR/citizenwatt.toml when present (config defaults otherwise) and opens the store.
Result<OpenBase> open_base(const std::string& data_dir);
Result<std::unique_ptr<store::AccountStore>> open_accounts(const std::string& data_dir);
// The insight tables of the base's store (open the store first: open_base).
Result<std::unique_ptr<store::InsightStore>> open_insights(const std::string& data_dir);

// Prints "citizenwatt: <message>" to stderr and returns the exit code for the status.
int report(const Status& s);

std::string hex(const std::uint8_t* data, std::size_t n);

}  // namespace cw::app
