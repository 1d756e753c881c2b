// The Store: where a base station keeps its sensors, their samples and the rollups.
//
// Thread-safety: every method may be called from any thread. commit() calls are serialised
// internally; reads run concurrently with a commit and see only whole, committed batches.
// Durability: when commit() returns ok, the batch survives a crash (kill -9, power cut at the
// OS level): samples, rollups and sensor state move together in one transaction.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/frame_stats.h"
#include "core/sample.h"
#include "core/status.h"

namespace cw::store {

using Key128 = std::array<std::uint8_t, 16>;

enum class SensorKind : std::uint8_t {
  kV2 = 0,      // authenticated frame v2 (docs/protocol.md)
  kLegacy = 1,  // CitizenWatt 2014 frames: insecure, accepted only when explicitly marked
  // Inputs that are not radio frames (docs/architecture.md, "Inputs that are not radio frames"):
  kTic = 2,     // a Linky / French meter's customer port
  kMqtt = 3,    // a Wi-Fi plug or meter through an MQTT broker (Tasmota, Shelly, ESPHome)
  kHttp = 4,    // an emoncms-style HTTP input (/input/post, /input/bulk)
  kImport = 5,  // history brought in by `citizenwatt import`
};

// Stable names on the wire: "v2", "legacy", "tic", "mqtt", "http", "import".
const char* sensor_kind_name(SensorKind k);
// Whether measures of this kind enter through Pipeline::submit_input.
bool is_input_kind(SensorKind k);

// What the base knows of a sensor between frames. Persisted with every commit that touches it.
struct SensorState {
  bool has_counter = false;
  std::uint32_t last_counter = 0;  // highest accepted frame counter
  TimeMs last_seen = 0;            // receipt time of the last accepted frame
  std::int32_t last_power_w = 0;
  std::int64_t last_raw_energy_wh = 0;  // the sensor's own register in its last frame
  std::int64_t energy_offset_wh = 0;    // added to the register so energy never goes back
  std::uint16_t voltage_dv = 0;         // last RMS voltage, 0.1 V; 0 = not measured
  std::uint16_t supply_mv = 0;          // last battery/supply voltage, mV; 0 = unknown
  std::uint8_t flags = 0;               // last frame flags (protocol::kFlag*)
  FrameStats frames;                    // verdict counters for this sensor
  friend bool operator==(const SensorState&, const SensorState&) = default;
};

struct Sensor {
  SensorId id = 0;
  std::string name;
  SensorKind kind = SensorKind::kV2;
  Key128 key{};  // never logged, never sent by the API
  TimeMs created = 0;
  TimeMs max_gap_ms = 120 * kSecondMs;  // a longer silence between samples is a gap
  SensorState state;
};

struct NewSensor {
  std::string name;
  SensorKind kind = SensorKind::kV2;
  Key128 key{};
  std::optional<SensorId> id;  // chosen by the store when absent
  TimeMs max_gap_ms = 120 * kSecondMs;
};

// New samples of one sensor, in time order, all after its last stored sample, and the state
// the sensor is in after them.
struct SensorBatch {
  SensorId sensor = 0;
  std::vector<Sample> samples;
  SensorState state;
};

struct CommitBatch {
  std::vector<SensorBatch> sensors;
  FrameStats unattributed;  // frames that named no known sensor, added to the global counters
};

struct StoreStats {
  std::uint64_t raw_samples = 0;  // samples currently kept raw
  std::uint64_t raw_blocks = 0;   // compressed blocks holding them
  std::uint64_t rollup_records = 0;
  std::uint64_t file_bytes = 0;  // database and its WAL on disk
  TimeMs oldest_raw = 0;         // 0 when there is none
  FrameStats unattributed;
};

struct RetentionPolicy {
  TimeMs raw_keep_ms = 365 * kDayMs;  // raw samples older than this go; rollups stay
};

class Store {
 public:
  virtual ~Store() = default;

  // Sensors.
  virtual Result<Sensor> add_sensor(const NewSensor& s) = 0;
  virtual Result<std::vector<Sensor>> sensors() = 0;
  virtual Result<Sensor> sensor(SensorId id) = 0;
  virtual Status rename_sensor(SensorId id, const std::string& name) = 0;
  virtual Status set_key(SensorId id, const Key128& key) = 0;
  // Removes the sensor and all its data.
  virtual Status remove_sensor(SensorId id) = 0;

  // Ingest: all or nothing, durable on return.
  virtual Status commit(const CommitBatch& batch) = 0;

  // Raw samples with from <= t < to, in time order, handed over in chunks; return false from
  // the callback to stop early. Memory stays bounded whatever the range.
  virtual Status scan_raw(SensorId id, TimeMs from, TimeMs to,
                          const std::function<bool(std::span<const Sample>)>& fn) = 0;

  // Rollup buckets of a level whose start is in [from, to), in time order, including the bucket
  // still open (partial). Buckets without samples nor energy are absent.
  virtual Result<std::vector<Rollup>> rollups(SensorId id, Level level, TimeMs from, TimeMs to) = 0;

  // The last stored sample of a sensor, if any.
  virtual Result<std::optional<Sample>> last_sample(SensorId id) = 0;

  virtual Result<StoreStats> stats() = 0;

  // Drops raw samples older than now - policy.raw_keep_ms. Rollups are kept.
  virtual Status enforce_retention(TimeMs now, const RetentionPolicy& policy) = 0;

  // Runs the database's own consistency check ("ok" when sound).
  virtual Result<std::string> integrity_check() = 0;
};

struct SqliteOptions {
  std::uint32_t block_samples = 32768;  // raw samples per block (docs/storage.md, "Block size")
  int busy_timeout_ms = 5000;
  bool synchronous_full = false;  // WAL + NORMAL survives process crashes; FULL also power cuts
  // Page size of a new file (512..65536, a power of two; an existing file keeps its own).
  // 1 KiB wastes less on small tables and on the tails of blobs (docs/storage.md, "Page size").
  int page_size = 512;
};

// Opens (creating if needed) the SQLite store at path. calendar decides local day buckets.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const Calendar& calendar,
                                                 const SqliteOptions& options = {});

}  // namespace cw::store
