#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "app/hub_cmd.h"
#include "app/logging.h"

namespace cw::app {

namespace {

// Config precedence: defaults < DIR/citizenwatt.toml (or --config) < flags.
int serve_from_flags(Config flags_cfg, const std::string& config_path, CLI::App& serve) {
  Config cfg;
  cfg.data_dir = flags_cfg.data_dir;
  std::string path = config_path;
  if (path.empty() && std::filesystem::exists(cfg.data_dir + "/citizenwatt.toml"))
    path = cfg.data_dir + "/citizenwatt.toml";
  if (!path.empty()) {
    if (Status s = apply_config_file(path, cfg); !s) {
      std::cerr << "citizenwatt: " << s.message() << "\n";
      return kExitUsage;
    }
  }
  if (serve.count("--listen")) cfg.listen = flags_cfg.listen;
  if (serve.count("--timezone")) cfg.timezone = flags_cfg.timezone;
  if (serve.count("--log-level")) cfg.log_level = flags_cfg.log_level;
  if (serve.count("--source")) cfg.sources = flags_cfg.sources;
  if (serve.count("--simulate")) cfg.simulate = true;
  if (serve.count("--speed")) cfg.simulate_speed = flags_cfg.simulate_speed;
  if (serve.count("--ui")) cfg.ui_dir = flags_cfg.ui_dir;
  if (serve.count("--flush-ms")) cfg.flush_interval_ms = flags_cfg.flush_interval_ms;
  if (serve.count("--retention-days")) cfg.raw_retention_days = flags_cfg.raw_retention_days;
  if (serve.count("--mqtt")) cfg.mqtt = flags_cfg.mqtt;
  if (serve.count("--privacy-poll-ms")) cfg.privacy_poll_ms = flags_cfg.privacy_poll_ms;
  if (serve.count("--privacy-spread-ms")) cfg.privacy_spread_ms = flags_cfg.privacy_spread_ms;
  if (serve.count("--privacy-backoff-ms")) cfg.privacy_backoff_ms = flags_cfg.privacy_backoff_ms;
  if (serve.count("--privacy-settle-ms")) cfg.privacy_settle_ms = flags_cfg.privacy_settle_ms;
  if (serve.count("--privacy-comparator-ms"))
    cfg.privacy_comparator_ms = flags_cfg.privacy_comparator_ms;
  if (serve.count("--tls")) cfg.tls = flags_cfg.tls;
  if (serve.count("--tls-cert")) cfg.tls_cert = flags_cfg.tls_cert;
  if (serve.count("--tls-key")) cfg.tls_key = flags_cfg.tls_key;
  if (Status s = validate(cfg); !s) {
    std::cerr << "citizenwatt: " << s.message() << "\n";
    return kExitUsage;
  }
  setup_logging(cfg.log_level);
  return run_serve(cfg);
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"CitizenWatt: see your home's electricity, at low cost, without giving it away."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("citizenwatt ") + CW_VERSION);
  std::string data_dir = "./var";

  Config flags;
  std::string config_path;
  auto* serve = app.add_subcommand("serve", "Run the base station");
  serve->add_option("--data", flags.data_dir, "Data folder")->capture_default_str();
  serve->add_option("--config", config_path,
                    "TOML configuration file (default: DATA/citizenwatt.toml)");
  serve->add_option("--listen", flags.listen, "HTTP address HOST:PORT")->capture_default_str();
  serve->add_option("--source", flags.sources,
                    "Frame source URI, e.g. udp://0.0.0.0:4200 (repeatable)");
  serve->add_flag("--simulate", flags.simulate, "Run a simulated household in-process");
  serve->add_option("--speed", flags.simulate_speed, "Simulated time speed-up");
  serve->add_option("--timezone", flags.timezone, "Household time zone (IANA)");
  serve->add_option("--log-level", flags.log_level, "trace, debug, info, warn or error");
  serve->add_option("--ui", flags.ui_dir, "Folder of the web UI");
  serve->add_option("--flush-ms", flags.flush_interval_ms,
                    "Max delay before samples are durable (ms)");
  serve->add_option("--retention-days", flags.raw_retention_days, "Days raw samples are kept");
  serve->add_option("--mqtt", flags.mqtt,
                    "MQTT broker URI, e.g. mqtt://localhost:1883?subscribe=tele/+/SENSOR");
  // The privacy layer's upload worker (docs/privacy.md); tests shorten every delay.
  serve->add_option("--privacy-poll-ms", flags.privacy_poll_ms, "Upload worker period (ms)")
      ->check(CLI::Range(10, 86400000));
  serve->add_option("--privacy-spread-ms", flags.privacy_spread_ms, "Uploads spread over this (ms)")
      ->check(CLI::Range(0, 86400000));
  serve->add_option("--privacy-backoff-ms", flags.privacy_backoff_ms, "First retry delay (ms)")
      ->check(CLI::Range(10, 86400000));
  serve
      ->add_option("--privacy-settle-ms", flags.privacy_settle_ms,
                   "Delay after a day ends before it is shared (ms)")
      ->check(CLI::Range(0, 86400000));
  serve->add_option("--tls", flags.tls, "HTTPS: auto (on unless loopback), on or off");
  serve->add_option("--tls-cert", flags.tls_cert,
                    "Your own certificate (PEM); default DATA/tls/cert.pem");
  serve->add_option("--tls-key", flags.tls_key, "Its private key (PEM); default DATA/tls/key.pem");
  serve
      ->add_option("--privacy-comparator-ms", flags.privacy_comparator_ms,
                   "How often distributions are fetched (ms)")
      ->check(CLI::Range(100, 86400000));

  SimulateArgs sim;
  auto* simulate = app.add_subcommand("simulate", "Send frames of virtual sensors");
  simulate->add_option("--data", sim.data_dir, "Data folder of the base (for the sensor's key)")
      ->capture_default_str();
  simulate->add_option("--target", sim.target, "Where to send frames")->capture_default_str();
  simulate->add_option("--replay", sim.replay,
                       "Replay a recorded dataset file instead of the synthetic home");
  simulate->add_option("--speed", sim.speed, "Time speed-up")->capture_default_str();
  simulate->add_option("--sensor", sim.sensor, "Sensor id to send as (default: the first sensor)");
  simulate->add_option("--seed", sim.seed, "Seed of the synthetic household")
      ->capture_default_str();
  simulate->add_option("--duration", sim.duration_s, "Stop after this many real seconds");

  auto* sensor = app.add_subcommand("sensor", "Pair and manage sensors");
  sensor->require_subcommand(1);
  SensorAddArgs add;
  auto* sensor_add = sensor->add_subcommand("add", "Pair a new sensor: prints its id and key once");
  sensor_add->add_option("name", add.name, "Name shown in the interface")->required();
  sensor_add->add_option("--id", add.id, "Radio id (1-65535; default: the lowest free one)");
  sensor_add->add_option("--max-gap", add.max_gap_s, "Seconds of silence that make a gap")
      ->capture_default_str();
  sensor_add->add_option(
      "--legacy", add.legacy_key,
      "Pair a CitizenWatt v1 (2014) sensor with its existing key (32 hex digits)");
  auto* sensor_list = sensor->add_subcommand("list", "List sensors");
  int sensor_id = 0;
  auto* sensor_remove = sensor->add_subcommand("remove", "Remove a sensor and all its data");
  sensor_remove->add_option("id", sensor_id)->required();
  auto* sensor_rekey = sensor->add_subcommand("rekey", "Give a sensor a new key: prints it once");
  sensor_rekey->add_option("id", sensor_id)->required();
  // sensor provision (provision_cmd.cc)
  ProvisionArgs prov;
  auto* sensor_provision = sensor->add_subcommand(
      "provision", "Write a sensor's id, key and radio address over USB serial");
  sensor_provision
      ->add_option("--port", prov.port, "Serial device of the sensor, e.g. /dev/ttyUSB0")
      ->required();
  sensor_provision->add_option("--id", prov.id, "Sensor to write (default: the only v2 sensor)");
  sensor_provision->add_option("--address", prov.address, "Radio address, 10 hex digits")
      ->capture_default_str();
  sensor_provision->add_option("--cal", prov.calibration, "Calibration CHANNEL:VALUE (repeatable)");
  sensor_provision->add_option("--timeout", prov.timeout_s, "Seconds to wait for each answer")
      ->capture_default_str();
  // sensor calibrate (calibrate_cmd.cc)
  CalibrateArgs calib;
  auto* sensor_calibrate = sensor->add_subcommand(
      "calibrate", "Calibrate a provisioned sensor against a resistive load of known power");
  sensor_calibrate
      ->add_option("--port", calib.port, "Serial device of the sensor, e.g. /dev/ttyUSB0")
      ->required();
  sensor_calibrate->add_option("--reference-w", calib.reference_w,
                               "Power of the reference load, W (asked when absent)");
  sensor_calibrate->add_option("--reference-v", calib.reference_v,
                               "Mains voltage read on a multimeter, V");
  sensor_calibrate->add_option("--windows", calib.windows, "Measurement windows averaged")
      ->capture_default_str();
  sensor_calibrate->add_flag("--dry-run", calib.dry_run, "Measure and compute, write nothing");
  sensor_calibrate->add_option("--timeout", calib.timeout_s, "Seconds to wait for each answer")
      ->capture_default_str();
  for (auto* c : {sensor_add, sensor_list, sensor_remove, sensor_rekey, sensor_provision})
    c->add_option("--data", data_dir, "Data folder")->capture_default_str();

  auto* user = app.add_subcommand("user", "Manage accounts");
  user->require_subcommand(1);
  std::string user_name;
  bool admin = false;
  auto* user_add =
      user->add_subcommand("add", "Create an account (password from the terminal or stdin)");
  user_add->add_option("name", user_name)->required();
  user_add->add_flag("--admin", admin, "Administrator (may change settings and accounts)");
  user_add->add_option("--data", data_dir, "Data folder")->capture_default_str();

  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  std::string token_name, scope = "read";
  std::int64_t token_id = 0;
  auto* token_create = token->add_subcommand("create", "Create a token: prints it once");
  token_create->add_option("name", token_name)->required();
  token_create->add_option("--scope", scope, "read, write or ingest (may only post inputs)")
      ->capture_default_str();
  auto* token_list = token->add_subcommand("list", "List tokens (never their secret)");
  auto* token_revoke = token->add_subcommand("revoke", "Revoke a token");
  token_revoke->add_option("id", token_id)->required();
  for (auto* c : {token_create, token_list, token_revoke})
    c->add_option("--data", data_dir, "Data folder")->capture_default_str();

  // tls fingerprint (tls_cmd.cc)
  auto* tls = app.add_subcommand("tls", "The base's HTTPS certificate");
  tls->require_subcommand(1);
  std::string tls_cert;
  auto* tls_fp = tls->add_subcommand("fingerprint", "Print the certificate's SHA-256 fingerprint");
  tls_fp->add_option("--data", data_dir, "Data folder")->capture_default_str();
  tls_fp->add_option("--cert", tls_cert, "A certificate of your own (default DATA/tls/cert.pem)");

  // import, backup, restore (import_cmd.cc, backup_cmd.cc)
  ImportArgs imp;
  std::string backup_to, restore_from;
  int import_sensor = 0;
  auto* import = app.add_subcommand("import", "Import history from an export file (idempotent)");
  import->add_option("file", imp.file, "The export file")->required();
  import->add_option("--format", imp.format, "enedis, emoncms, ha or citizenwatt")->required();
  import->add_option("--sensor", import_sensor, "Into this input sensor");
  import->add_option("--new", imp.new_name, "Into a new sensor of this name");
  import->add_option("--unit", imp.unit,
                     "emoncms/ha values: W, kW, Wh or kWh (default: W; ha: by entity)");
  import->add_option("--entity", imp.entity, "ha: the entity_id to import");
  import->add_flag("--dry-run", imp.dry_run, "Say what would be imported, change nothing");
  auto* backup =
      app.add_subcommand("backup", "Copy the base's data to one file, even while it runs");
  backup->add_option("--to", backup_to, "Backup file to write")->required();
  auto* restore = app.add_subcommand("restore", "Put a backup back (the base must be stopped)");
  restore->add_option("file", restore_from, "Backup file")->required();
  for (auto* c : {import, backup, restore})
    c->add_option("--data", data_dir, "Data folder")->capture_default_str();
  // hub (hub_cmd.cc): the community server, and its operator's commands.
  HubArgs hub_args;
  std::string hub_label, hub_base;
  auto* hub = app.add_subcommand("hub", "Run the community hub (PostgreSQL), or manage it");
  hub->require_subcommand(0, 1);
  hub->add_option("--db", hub_args.db, "postgresql://... URL")->required();
  hub->add_option("--listen", hub_args.listen, "HTTPS address HOST:PORT")->capture_default_str();
  hub->add_option("--tls-cert", hub_args.cert, "Certificate chain (PEM)");
  hub->add_option("--tls-key", hub_args.key, "Private key of the certificate (PEM)");
  hub->add_option("--timezone", hub_args.timezone, "Local days of the hub (IANA)")
      ->capture_default_str();
  hub->add_option("--k", hub_args.k, "Contributors a published cell needs (>= 10)")
      ->capture_default_str();
  hub->add_option("--dominance", hub_args.dominance, "Largest share of one contributor (<= 0.85)")
      ->capture_default_str();
  hub->add_option("--epsilon", hub_args.epsilon,
                  "Noise: epsilon per partition and release (0: none)");
  hub->add_option("--epsilon-budget", hub_args.epsilon_budget,
                  "Epsilon a day of a dataset may spend");
  hub->add_option("--window-days", hub_args.window_days, "Days back contributions are taken")
      ->check(CLI::Range(1, 366));
  hub->add_option("--threads", hub_args.threads, "HTTPS worker threads")->check(CLI::Range(1, 256));
  hub->add_option("--key-bits", hub_args.key_bits, "RSA bits of the daily token keys")
      ->check(CLI::Range(2048, 8192));
  hub->add_option("--publish-ms", hub_args.publish_ms, "How often changed days are republished")
      ->check(CLI::Range(10, 86400000));
  auto* hub_enrol =
      hub->add_subcommand("enrol", "Enrol a base station: prints its credential once");
  hub_enrol->add_option("label", hub_label, "Operator's note (never published)")->required();
  auto* hub_revoke = hub->add_subcommand("revoke", "Revoke a base's credential");
  hub_revoke->add_option("id", hub_base)->required();
  auto* hub_publish = hub->add_subcommand("publish", "Recompute the changed days now");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (!serve->parsed()) setup_logging("warn");
  if (serve->parsed()) return serve_from_flags(flags, config_path, *serve);
  if (simulate->parsed()) {
    setup_logging("info");
    return run_simulate(sim);
  }
  if (sensor_add->parsed()) {
    add.data_dir = data_dir;
    return run_sensor_add(add);
  }
  if (sensor_list->parsed()) return run_sensor_list(data_dir);
  if (sensor_remove->parsed()) return run_sensor_remove(data_dir, sensor_id);
  if (sensor_rekey->parsed()) return run_sensor_rekey(data_dir, sensor_id);
  if (sensor_provision->parsed()) {
    prov.data_dir = data_dir;
    return run_sensor_provision(prov);
  }
  if (sensor_calibrate->parsed()) return run_sensor_calibrate(calib);
  if (import->parsed()) {
    imp.data_dir = data_dir;
    if (import->count("--sensor")) imp.sensor = import_sensor;
    return run_import(imp);
  }
  if (backup->parsed()) return run_backup(data_dir, backup_to);
  if (restore->parsed()) return run_restore(restore_from, data_dir);
  if (user_add->parsed()) return run_user_add(data_dir, user_name, admin);
  if (token_create->parsed()) return run_token_create(data_dir, token_name, scope);
  if (token_list->parsed()) return run_token_list(data_dir);
  if (token_revoke->parsed()) return run_token_revoke(data_dir, token_id);
  if (tls_fp->parsed()) return run_tls_fingerprint(data_dir, tls_cert);
  if (hub->parsed()) {
    if (hub_enrol->parsed()) return run_hub_enrol(hub_args, hub_label);
    if (hub_revoke->parsed()) return run_hub_revoke(hub_args, hub_base);
    if (hub_publish->parsed()) return run_hub_publish(hub_args);
    setup_logging("info");
    return run_hub(hub_args);
  }
  return kExitUsage;
}

}  // namespace cw::app
