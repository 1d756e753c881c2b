// citizenwatt hub in a build without the community hub (-DCW_BUILD_HUB=OFF: the Raspberry Pi
// cross builds, CMakeLists.txt says why). A base never runs the hub; the command says so plainly
// instead of disappearing, so a script that calls it gets a clear error and exit code 1.
#include <string>

#include "app/base.h"
#include "app/hub_cmd.h"

namespace cw::app {

namespace {

int not_built_in() {
  return report(
      Status(Code::kUnavailable,
             "this build has no community hub (built with -DCW_BUILD_HUB=OFF); run the hub "
             "from a build with it, on a server with PostgreSQL (docs/hub.md)"));
}

}  // namespace

int run_hub(const HubArgs&) {
  return not_built_in();
}
int run_hub_enrol(const HubArgs&, const std::string&) {
  return not_built_in();
}
int run_hub_revoke(const HubArgs&, const std::string&) {
  return not_built_in();
}
int run_hub_publish(const HubArgs&) {
  return not_built_in();
}

}  // namespace cw::app
