// Always-on power, alerts, targets and challenges, tips.
#include "web/routes.h"

namespace cw::web {

std::vector<Route> insight_routes(ServerState&) {
  return {};
}

}  // namespace cw::web
