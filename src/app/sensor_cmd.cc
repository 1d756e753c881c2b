// citizenwatt sensor add | list | remove | rekey
#include <openssl/rand.h>

#include <iostream>

#include "app/base.h"
#include "app/commands.h"
#include "protocol/frame.h"
#include "protocol/provision_line.h"
#include "store/inputs.h"

namespace cw::app {

namespace {

Result<store::Key128> fresh_key() {
  store::Key128 key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
    return internal_error("the system random generator failed");
  return key;
}

void print_pairing(const store::Sensor& s) {
  std::cout << "sensor " << s.id << " \"" << s.name << "\"\n"
            << "  id:  " << s.id << "\n"
            << "  key: " << hex(s.key.data(), s.key.size()) << "\n"
            << "Write the id and key into the sensor now (citizenwatt sensor provision, or its\n"
               "firmware configuration). The key is not shown again.\n";
}

// --- legacy CitizenWatt v1 pairing (provisioning helper) ---
// The 2014 firmware shipped with this key: anyone can read and forge frames made with it.
constexpr store::Key128 kLegacyDefaultKey = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

bool parse_legacy_key(const std::string& text, store::Key128* key) {
  return protocol::provision::hex_decode(text.data(), text.size(), key->data(), key->size());
}

int add_legacy(const SensorAddArgs& args, const store::Key128& key, store::Store& store) {
  store::NewSensor ns;
  ns.key = key;
  ns.name = args.name;
  ns.kind = store::SensorKind::kLegacy;
  if (args.id) ns.id = static_cast<SensorId>(*args.id);
  ns.max_gap_ms = args.max_gap_s * kSecondMs;
  auto s = store.add_sensor(ns);
  if (!s) return report(s.status());
  std::cout << "sensor " << s->id << " \"" << s->name << "\" paired as a legacy CitizenWatt v1 sensor\n"
            << "  insecure: its frames carry no authentication and no counter, so anyone in radio\n"
            << "  range who knows the key can read or forge them. Replace it with a v2 sensor.\n";
  if (ns.key == kLegacyDefaultKey)
    std::cout << "  warning: this is the 2014 firmware's default key, which is public.\n";
  return kExitOk;
}
// --- end legacy pairing ---

}  // namespace

int run_sensor_add(const SensorAddArgs& args) {
  if (args.id && (*args.id < 1 || *args.id > 65535))
    return report(invalid_argument("sensor id must be between 1 and 65535"));
  if (args.max_gap_s < 1 || args.max_gap_s > 86400)
    return report(invalid_argument("--max-gap must be between 1 and 86400 seconds"));
  store::Key128 legacy{};
  if (args.legacy_key && !parse_legacy_key(*args.legacy_key, &legacy))
    return report(invalid_argument("--legacy needs the sensor's 16-byte key as 32 hex digits"));
  auto base = open_base(args.data_dir);
  if (!base) return report(base.status());
  if (args.legacy_key) return add_legacy(args, legacy, *base->store);
  auto key = fresh_key();
  if (!key) return report(key.status());
  store::NewSensor ns;
  ns.name = args.name;
  ns.key = *key;
  if (args.id) ns.id = static_cast<SensorId>(*args.id);
  ns.max_gap_ms = args.max_gap_s * kSecondMs;
  auto s = base->store->add_sensor(ns);
  if (!s) return report(s.status());
  print_pairing(*s);
  return kExitOk;
}

int run_sensor_list(const std::string& data_dir) {
  auto base = open_base(data_dir);
  if (!base) return report(base.status());
  auto list = base->store->sensors();
  if (!list) return report(list.status());
  if (list->empty()) std::cout << "no sensor paired\n";
  for (const auto& s : *list) {
    std::cout << s.id << "\t" << s.name << "\t"
              << (s.kind == store::SensorKind::kLegacy ? "legacy (insecure)"
                                                       : store::sensor_kind_name(s.kind))
              << "\t"
              << (s.state.last_seen ? format_iso_utc(s.state.last_seen) : "never seen") << "\t"
              << s.state.last_power_w
              << (store::is_input_kind(s.kind) && (s.state.flags & protocol::kFlagApparentOnly)
                      ? " VA\n"
                      : " W\n");
  }
  return kExitOk;
}

int run_sensor_remove(const std::string& data_dir, int id) {
  if (id < 1 || id > 65535) return report(invalid_argument("sensor id must be between 1 and 65535"));
  auto base = open_base(data_dir);
  if (!base) return report(base.status());
  if (Status s = base->store->remove_sensor(static_cast<SensorId>(id)); !s) return report(s);
  // Its meter registers and input bindings go with it (a TIC meter or a plug seen again gets a
  // new sensor).
  auto inputs = store::open_sqlite_inputs(base->dir.db_path());
  if (!inputs) return report(inputs.status());
  if (Status s = (*inputs)->forget_sensor(static_cast<SensorId>(id)); !s) return report(s);
  std::cout << "sensor " << id << " removed with all its data\n";
  return kExitOk;
}

int run_sensor_rekey(const std::string& data_dir, int id) {
  if (id < 1 || id > 65535) return report(invalid_argument("sensor id must be between 1 and 65535"));
  auto base = open_base(data_dir);
  if (!base) return report(base.status());
  auto current = base->store->sensor(static_cast<SensorId>(id));
  if (!current) return report(current.status());
  if (current->kind == store::SensorKind::kLegacy)
    return report(invalid_argument(
        "sensor " + std::to_string(id) +
        " is a legacy CitizenWatt v1 sensor: its key is built into its 2014 firmware, which "
        "cannot receive a new one. Replace it with a v2 sensor (or, if you reflashed it, remove "
        "it and pair it again with `sensor add NAME --legacy KEY`)."));
  auto key = fresh_key();
  if (!key) return report(key.status());
  if (Status s = base->store->set_key(static_cast<SensorId>(id), *key); !s) return report(s);
  auto sensor = base->store->sensor(static_cast<SensorId>(id));
  if (!sensor) return report(sensor.status());
  print_pairing(*sensor);
  std::cout << "A running base picks the new key up within a few seconds.\n";
  return kExitOk;
}

}  // namespace cw::app
