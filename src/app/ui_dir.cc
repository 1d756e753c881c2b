#include "app/ui_dir.h"

#include <filesystem>
#include <system_error>

namespace cw::app {

std::string default_ui_dir(const std::string& built_in) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return built_in;
  fs::path installed = exe.parent_path().parent_path() / "share" / "citizenwatt" / "ui";
  if (fs::is_regular_file(installed / "index.html", ec)) return installed.string();
  return built_in;
}

}  // namespace cw::app
