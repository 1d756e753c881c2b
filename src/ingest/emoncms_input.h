// The emoncms input API (Modules/input/input_methods.php of emoncms), so emonTx/emonESP,
// IoTaWatt, Tasmota and ESPHome uploaders post to CitizenWatt unchanged:
//
//   input/post?node=emontx&fulljson={"power1":100,"E1":5230}   JSON object, numbers
//   input/post?node=10&json={power1:100,power2:200}            emoncms's loose "json":
//   key:value,... input/post?node=10&csv=100,200,300                         values named 1,
//   2, 3... input/post/emontx?...                                      node in the path time=UNIX
//   seconds (or ISO 8601); default: stamped on receipt
//   input/bulk?data=[[t,node,v1,v2,...],[t,node,{"power1":100}],...]
//       t is an offset added to a reference: time=T, offset=O (now − O), sentat=S (now − S), or,
//       without any, now − the last item's t.
//
// Then the mapping of a node's inputs to CitizenWatt sensors (docs/ecosystem.md, "emoncms
// inputs"): powerN / PN / pN and any other name → power (W) of sensor "NODE/N"; EN, energyN, whN
// (Wh) and kwhN (kWh) → that sensor's cumulative energy register; vrms / V → its voltage;
// temperatures, humidity, rssi, pulse counts and battery levels are ignored. Pure functions,
// fuzzed (fuzz/emoncms_input_fuzz.cc).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace cw::ingest {

using Params = std::multimap<std::string, std::string>;  // httplib's request params

struct EmonItem {
  std::string node;
  TimeMs t = 0;  // UTC ms; 0 = not given (stamped on receipt)
  std::vector<std::pair<std::string, double>> inputs;
};

// node_in_path: the NODE of input/post/NODE, "" when absent.
Result<EmonItem> parse_input_post(const Params& params, const std::string& node_in_path);
Result<std::vector<EmonItem>> parse_input_bulk(const Params& params, TimeMs now);

// One measurement for one sensor, from a node's inputs.
struct EmonMeasurement {
  std::string address;  // "NODE/GROUP", bound to a sensor of kind http
  std::string name;     // the sensor's name when it is created: "NODE power1"
  TimeMs t = 0;
  std::int32_t power_w = 0;
  std::optional<std::int64_t> energy_wh;
  std::uint16_t voltage_dv = 0;
};

// Groups an item's inputs into measurements. Energy without a power input of the same group is
// not a measurement (ignored); so are the ignored names. invalid_argument for a value out of
// range (|power| > 10 MW, negative energy).
Result<std::vector<EmonMeasurement>> map_inputs(const EmonItem& item);

}  // namespace cw::ingest
