// The base's data folder (--data DIR): created on first use, readable only by its owner, since
// it holds sensor keys and account hashes.
#pragma once

#include <string>

#include "core/status.h"

namespace cw::app {

struct DataDir {
  std::string path;
  std::string db_path() const { return path + "/citizenwatt.db"; }
  std::string config_path() const { return path + "/citizenwatt.toml"; }
};

// Creates dir (mode 0700) if missing, tightens the process umask to 077 and checks that dir is
// a writable folder.
Result<DataDir> prepare_data_dir(const std::string& dir);

}  // namespace cw::app
