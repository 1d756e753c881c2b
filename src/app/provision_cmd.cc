// citizenwatt sensor provision: writes a paired sensor's id, key and radio address into it over
// its USB serial link, with the line protocol of docs/protocol.md ("Provisioning"), then reads
// the sensor's settings back and checks every one of them but the key.
//
// The key crosses only this local cable; it is never printed, and the buffers that held it are
// wiped.
#include <openssl/crypto.h>

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "app/base.h"
#include "app/commands.h"
#include "app/provision_link.h"
#include "protocol/provision_info.h"
#include "protocol/provision_line.h"

namespace cw::app {

namespace {

namespace pv = protocol::provision;

struct CalSetting {
  unsigned channel;
  std::int32_t value;
};

// What provisioning writes, validated before the sensor is touched.
struct Plan {
  store::Sensor sensor;
  std::uint8_t address[pv::kRadioAddressSize];
  std::vector<CalSetting> cal;
};

Result<std::vector<CalSetting>> parse_cal(const std::vector<std::string>& specs) {
  std::vector<CalSetting> out;
  for (const auto& s : specs) {
    auto colon = s.find(':');
    std::uint32_t ch = 0;
    std::int32_t v = 0;
    if (colon == std::string::npos || !pv::parse_u32(s.data(), colon, &ch) ||
        !pv::parse_i32(s.data() + colon + 1, s.size() - colon - 1, &v) || ch >= pv::kCalChannels)
      return invalid_argument("--cal '" + s + "': expected CHANNEL:VALUE, channel 0-" +
                              std::to_string(pv::kCalChannels - 1) + ", value a 32-bit integer");
    out.push_back({ch, v});
  }
  return out;
}

Result<store::Sensor> pick_sensor(store::Store& store, std::optional<int> id) {
  if (id) {
    if (*id < 1 || *id > 65535) return invalid_argument("sensor id must be between 1 and 65535");
    return store.sensor(static_cast<SensorId>(*id));
  }
  auto all = store.sensors();
  if (!all) return all.status();
  std::vector<store::Sensor> v2;
  for (auto& s : *all)
    if (s.kind == store::SensorKind::kV2) v2.push_back(std::move(s));
  if (v2.size() == 1) return v2.front();
  return invalid_argument(v2.empty() ? "no sensor paired: run `citizenwatt sensor add NAME` first"
                                     : "several sensors are paired: choose one with --id");
}

Result<Plan> make_plan(const ProvisionArgs& args) {
  Plan plan;
  if (!pv::hex_decode(args.address.data(), args.address.size(), plan.address,
                      pv::kRadioAddressSize))
    return invalid_argument("--address must be 10 hex digits, e.g. E056D446D0");
  auto cal = parse_cal(args.calibration);
  if (!cal) return cal.status();
  plan.cal = *cal;
  auto base = open_base(args.data_dir);
  if (!base) return base.status();
  auto sensor = pick_sensor(*base->store, args.id);
  if (!sensor) return sensor.status();
  if (sensor->kind == store::SensorKind::kLegacy)
    return invalid_argument("sensor " + std::to_string(sensor->id) +
                            " is a legacy CitizenWatt v1 sensor: its 2014 firmware cannot be "
                            "provisioned; it keeps the key it was built with");
  plan.sensor = *sensor;
  return plan;
}

// Refuses a sensor whose next frames the base would drop as replays.
Status check_counter(const Plan& plan, const pv::Info& info) {
  const auto& st = plan.sensor.state;
  if (!st.has_counter || info.frame_counter > st.last_counter) return Status::ok();
  return invalid_argument("the sensor's frame counter (" + std::to_string(info.frame_counter) +
                          ") is not above the last one the base accepted from sensor " +
                          std::to_string(plan.sensor.id) + " (" + std::to_string(st.last_counter) +
                          "): its frames would be rejected as replays. Remove and re-add the "
                          "sensor to start a new counter history.");
}

Status write_settings(ProvisionLink& link, const Plan& plan) {
  const auto& s = plan.sensor;
  std::string id = std::to_string(s.id);
  CW_RETURN_IF_ERROR(link.exchange("SET ID " + id, "SET ID", "OK ID " + id).status());
  std::string key_line = "SET KEY ";
  for (std::uint8_t b : s.key) {  // no temporary string: only key_line holds it, and is wiped
    key_line += "0123456789abcdef"[b >> 4];
    key_line += "0123456789abcdef"[b & 15];
  }
  Status key = link.exchange(key_line, "SET KEY", "OK KEY").status();
  OPENSSL_cleanse(key_line.data(), key_line.size());
  CW_RETURN_IF_ERROR(key);
  std::string addr = hex(plan.address, pv::kRadioAddressSize);
  CW_RETURN_IF_ERROR(link.exchange("SET ADDR " + addr, "SET ADDR", "OK ADDR " + addr).status());
  for (const auto& c : plan.cal) {
    std::string arg = std::to_string(c.channel) + " " + std::to_string(c.value);
    CW_RETURN_IF_ERROR(link.exchange("SET CAL " + arg, "SET CAL", "OK CAL " + arg).status());
  }
  return link.exchange("COMMIT", "COMMIT", "OK COMMIT").status();
}

// Every field the sensor reports after COMMIT must be what was written, or what it was before.
Status verify(const Plan& plan, const pv::Info& before, const pv::Info& after) {
  auto mismatch = [](const std::string& what, const std::string& got, const std::string& want) {
    return internal_error("the sensor reports " + what + " " + got + " after COMMIT, expected " +
                          want + ": its settings storage may be failing");
  };
  if (after.sensor_id != plan.sensor.id)
    return mismatch("id", std::to_string(after.sensor_id), std::to_string(plan.sensor.id));
  if (std::memcmp(after.radio_address, plan.address, pv::kRadioAddressSize) != 0)
    return mismatch("radio address", hex(after.radio_address, pv::kRadioAddressSize),
                    hex(plan.address, pv::kRadioAddressSize));
  if (!after.key_set) return mismatch("no key", "set", "a key");
  if (after.firmware_version != before.firmware_version)
    return mismatch("firmware", std::to_string(after.firmware_version),
                    std::to_string(before.firmware_version));
  if (after.frame_counter < before.frame_counter)
    return mismatch("frame counter", std::to_string(after.frame_counter),
                    "at least " + std::to_string(before.frame_counter));
  std::int32_t want[pv::kCalChannels];
  std::memcpy(want, before.calibration, sizeof want);
  for (const auto& c : plan.cal) want[c.channel] = c.value;
  for (unsigned ch = 0; ch < pv::kCalChannels; ++ch)
    if (after.calibration[ch] != want[ch])
      return mismatch("calibration " + std::to_string(ch), std::to_string(after.calibration[ch]),
                      std::to_string(want[ch]));
  return Status::ok();
}

Result<pv::Info> provision(ProvisionLink& link, const Plan& plan) {
  CW_RETURN_IF_ERROR(greet(link));
  auto before = read_info(link);
  if (!before) return before.status();
  CW_RETURN_IF_ERROR(check_counter(plan, *before));
  CW_RETURN_IF_ERROR(write_settings(link, plan));
  auto after = read_info(link);
  if (!after) return after.status();
  CW_RETURN_IF_ERROR(verify(plan, *before, *after));
  return after;
}

}  // namespace

int run_sensor_provision(const ProvisionArgs& args) {
  if (!(args.timeout_s > 0 && args.timeout_s <= 60))
    return report(invalid_argument("--timeout must be between 0 and 60 seconds"));
  auto plan = make_plan(args);
  if (!plan) return report(plan.status());
  auto link = open_provision_link(args.port, args.timeout_s);
  if (!link) return report(link.status());
  auto info = provision(**link, *plan);
  OPENSSL_cleanse(plan->sensor.key.data(), plan->sensor.key.size());
  if (!info) return report(info.status());
  std::cout << "sensor " << plan->sensor.id << " \"" << plan->sensor.name << "\" provisioned on "
            << args.port << "\n"
            << "  firmware:      " << (info->firmware_version >> 8) << "."
            << (info->firmware_version & 0xFF) << "\n"
            << "  radio address: " << hex(info->radio_address, pv::kRadioAddressSize) << "\n"
            << "  frame counter: " << info->frame_counter << "\n";
  return kExitOk;
}

}  // namespace cw::app
