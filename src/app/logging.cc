#include "app/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace cw::app {

void setup_logging(const std::string& level) {
  static bool installed = false;
  if (!installed) {
    auto logger = spdlog::stderr_color_mt("citizenwatt");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
    installed = true;
  }
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::flush_on(spdlog::level::info);
}

}  // namespace cw::app
