#include "app/base.h"

#include <filesystem>
#include <iostream>

#include "app/commands.h"

namespace cw::app {

Result<OpenBase> open_base(const std::string& data_dir) {
  auto dir = prepare_data_dir(data_dir);
  if (!dir) return dir.status();
  OpenBase base;
  base.dir = *dir;
  base.config.data_dir = data_dir;
  if (std::filesystem::exists(dir->config_path()))
    CW_RETURN_IF_ERROR(apply_config_file(dir->config_path(), base.config));
  auto cal = Calendar::in_zone(base.config.timezone);
  if (!cal) return cal.status();
  base.calendar = *cal;
  auto store = store::open_sqlite_store(dir->db_path(), base.calendar);
  if (!store) return store.status();
  base.store = std::move(*store);
  return base;
}

Result<std::unique_ptr<store::AccountStore>> open_accounts(const std::string& data_dir) {
  auto dir = prepare_data_dir(data_dir);
  if (!dir) return dir.status();
  return store::open_sqlite_accounts(dir->db_path());
}

Result<std::unique_ptr<store::InsightStore>> open_insights(const std::string& data_dir) {
  auto dir = prepare_data_dir(data_dir);
  if (!dir) return dir.status();
  return store::open_sqlite_insights(dir->db_path());
}

int report(const Status& s) {
  if (s.is_ok()) return kExitOk;
  std::cerr << "citizenwatt: " << s.message() << "\n";
  return s.code() == Code::kInvalidArgument || s.code() == Code::kAlreadyExists ||
                 s.code() == Code::kNotFound
             ? kExitUsage
             : kExitFailure;
}

std::string hex(const std::uint8_t* data, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

}  // namespace cw::app
