#include "core/frame_stats.h"

namespace cw {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kAccepted: return "accepted";
    case Verdict::kMalformed: return "malformed";
    case Verdict::kWrongVersion: return "wrong_version";
    case Verdict::kUnknownSensor: return "unknown_sensor";
    case Verdict::kForged: return "forged";
    case Verdict::kReplayed: return "replayed";
    case Verdict::kOutOfRange: return "out_of_range";
    case Verdict::kStoreFailed: return "store_failed";
    case Verdict::kCount: break;
  }
  return "unknown";
}

}  // namespace cw
