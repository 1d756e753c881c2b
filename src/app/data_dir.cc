#include "app/data_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cw::app {

Result<DataDir> prepare_data_dir(const std::string& dir) {
  umask(077);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status(Code::kUnavailable, "cannot create data folder '" + dir + "': " + ec.message());
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return invalid_argument("data folder '" + dir + "' is not a folder");
  if (access(dir.c_str(), W_OK) != 0)
    return Status(Code::kPermissionDenied,
                  "data folder '" + dir + "' is not writable: " + std::strerror(errno));
  if ((st.st_mode & 077) != 0) chmod(dir.c_str(), st.st_mode & ~mode_t(077));
  return DataDir{dir};
}

}  // namespace cw::app
