// Tariff settings, cost per period and the current bill (docs/api.md).
#include "web/routes.h"

namespace cw::web {

std::vector<Route> money_routes(ServerState&) {
  return {};
}

}  // namespace cw::web
