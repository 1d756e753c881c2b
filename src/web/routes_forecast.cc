// Forecasts of consumption and cost: the next 24 hours, the end of the month.
#include "web/routes.h"

namespace cw::web {

std::vector<Route> forecast_routes(ServerState&) {
  return {};
}

}  // namespace cw::web
