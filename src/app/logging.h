// Process-wide logging setup: levelled lines on stderr (journald keeps them under systemd).
#pragma once

#include <string>

namespace cw::app {

// level: trace, debug, info, warn, error (validated by the caller).
void setup_logging(const std::string& level);

}  // namespace cw::app
