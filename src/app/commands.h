// The subcommands of citizenwatt. Each returns the process exit code and prints its own errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"

namespace cw::app {

// Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int run_serve(const Config& cfg);

struct SimulateArgs {
  std::string data_dir = "./var";
  std::string target = "udp://127.0.0.1:4200";
  std::string replay;  // dataset file or folder; empty = synthetic household
  double speed = 1.0;
  std::optional<int> sensor;  // sensor id to speak as (default: the first v2 sensor)
  std::uint64_t seed = 1;
  double duration_s = 0;  // 0 = until interrupted or the replay ends
};
int run_simulate(const SimulateArgs& args);

struct SensorAddArgs {
  std::string data_dir;
  std::string name;
  std::optional<int> id;
  int max_gap_s = 120;
  // A CitizenWatt v1 (2014) sensor, paired with the key its firmware already has (32 hex).
  std::optional<std::string> legacy_key;
};
int run_sensor_add(const SensorAddArgs& args);
int run_sensor_list(const std::string& data_dir);
int run_sensor_remove(const std::string& data_dir, int id);
int run_sensor_rekey(const std::string& data_dir, int id);

// citizenwatt sensor provision (provision_cmd.cc).
struct ProvisionArgs {
  std::string data_dir;
  std::string port;                      // the sensor's USB serial device
  std::optional<int> id;                 // default: the only v2 sensor
  std::string address = "e056d446d0";    // radio pipe address, as the nrf24 source's default
  std::vector<std::string> calibration;  // "CHANNEL:VALUE"
  double timeout_s = 3;                  // for each answer of the sensor
};
int run_sensor_provision(const ProvisionArgs& args);

// citizenwatt sensor calibrate (calibrate_cmd.cc).
struct CalibrateArgs {
  std::string port;                   // the sensor's USB serial device
  std::optional<double> reference_w;  // the reference load's power; asked when absent
  std::optional<double> reference_v;  // the mains voltage from a multimeter, if any
  int windows = 5;                    // MEASURE windows averaged per reading
  bool dry_run = false;               // measure and compute, write nothing
  double timeout_s = 3;               // for each answer of the sensor (MEASURE: at least 5 s)
};
int run_sensor_calibrate(const CalibrateArgs& args);
// citizenwatt backup / restore (backup_cmd.cc).
int run_backup(const std::string& data_dir, const std::string& to);
int run_restore(const std::string& file, const std::string& data_dir);

// citizenwatt import (import_cmd.cc).
struct ImportArgs {
  std::string data_dir;
  std::string file;
  std::string format;         // enedis, emoncms, ha, citizenwatt
  std::optional<int> sensor;  // into this sensor...
  std::string new_name;       // ...or a new one (kind import)
  std::string unit;           // emoncms / ha: W, kW, Wh, kWh ("" = from the file)
  std::string entity;         // ha: the entity_id to take when the file has several
  bool dry_run = false;
};
int run_import(const ImportArgs& args);

int run_user_add(const std::string& data_dir, const std::string& name, bool admin);
int run_token_create(const std::string& data_dir, const std::string& name,
                     const std::string& scope);
int run_token_list(const std::string& data_dir);
int run_token_revoke(const std::string& data_dir, std::int64_t id);
// Prints the SHA-256 fingerprint of DATA/tls/cert.pem (or cert), as the wizard shows it.
int run_tls_fingerprint(const std::string& data_dir, const std::string& cert);

}  // namespace cw::app
