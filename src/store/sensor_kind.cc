#include "store/store.h"

namespace cw::store {

const char* sensor_kind_name(SensorKind k) {
  switch (k) {
    case SensorKind::kV2:
      return "v2";
    case SensorKind::kLegacy:
      return "legacy";
    case SensorKind::kTic:
      return "tic";
    case SensorKind::kMqtt:
      return "mqtt";
    case SensorKind::kHttp:
      return "http";
    case SensorKind::kImport:
      return "import";
  }
  return "unknown";
}

bool is_input_kind(SensorKind k) {
  return k == SensorKind::kTic || k == SensorKind::kMqtt || k == SensorKind::kHttp ||
         k == SensorKind::kImport;
}

}  // namespace cw::store
