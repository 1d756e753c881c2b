// What the base keeps of inputs that are not radio frames (docs/architecture.md, "Inputs that
// are not radio frames"): which sensor an outside address names, and the meter registers per
// tariff period.
//
// - A binding maps (kind, address) to a sensor: a TIC meter's ADCO/ADSC, an MQTT device, an
//   emoncms node and input. Created on first sight by ingest::InputBinder.
// - A register reading is a meter's own cumulative index, Wh, for one register (BASE, HCHC,
//   EASF01...) and the tariff period it counts, at an instant. Readings only grow per register.
// - The meter status is the last JSON document a meter's source wrote (period, tomorrow's
//   colour, subscribed power, overload, phases), shown by the API.
//
// Storage: the same SQLite file as the Store, a connection and tables of its own, versioned in
// `inputs_schema`. Thread-safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/sample.h"
#include "core/status.h"
#include "store/store.h"

namespace cw::store {

struct Binding {
  SensorKind kind = SensorKind::kHttp;
  std::string address;
  SensorId sensor = 0;
};

struct RegisterReading {
  std::string name;    // BASE, HCHC, BBRHPJR, EASF01...
  std::string period;  // analytics period name (base, hc, tempo_red_hp...), "" when unknown
  TimeMs t = 0;
  std::int64_t wh = 0;
  friend bool operator==(const RegisterReading&, const RegisterReading&) = default;
};

class InputStore {
 public:
  virtual ~InputStore() = default;

  virtual Result<std::optional<SensorId>> binding(SensorKind kind, const std::string& address) = 0;
  // already_exists when the address is bound to another sensor.
  virtual Status bind(SensorKind kind, const std::string& address, SensorId sensor) = 0;
  virtual Result<std::vector<Binding>> bindings() = 0;

  // Appends readings (any registers, each after that register's last one; an equal or older
  // reading of a register is skipped, so replays add nothing). One transaction.
  virtual Status add_readings(SensorId sensor, std::span<const RegisterReading> readings) = 0;
  // Readings with from <= t < to of every register of the sensor, by register then time.
  virtual Result<std::vector<RegisterReading>> readings(SensorId sensor, TimeMs from,
                                                        TimeMs to) = 0;
  // The last reading of each register, by register name.
  virtual Result<std::vector<RegisterReading>> last_readings(SensorId sensor) = 0;
  // For each register, the last reading before t (the left edge for interpolation).
  virtual Result<std::vector<RegisterReading>> readings_before(SensorId sensor, TimeMs t) = 0;
  // For each register, the first reading at or after t (the right edge).
  virtual Result<std::vector<RegisterReading>> readings_at_or_after(SensorId sensor, TimeMs t) = 0;

  virtual Status set_meter_status(SensorId sensor, const std::string& json, TimeMs t) = 0;
  // "" when the sensor has none.
  virtual Result<std::string> meter_status(SensorId sensor) = 0;

  // Drops the bindings, readings and status of a removed sensor.
  virtual Status forget_sensor(SensorId sensor) = 0;
};

// Opens (creating tables if needed) the inputs' tables in the SQLite file at path.
Result<std::unique_ptr<InputStore>> open_sqlite_inputs(const std::string& path);

}  // namespace cw::store
