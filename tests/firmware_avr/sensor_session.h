// What the simavr tests share: the synthetic mains and load the bench feeds the ADC with, the
// sensor's key, and the host side of the sensor's serial link and radio (commands with their
// checksum, provisioning, frame decoding with the base's decoder).
#pragma once

#include <cstdint>
#include <string>

#include "avr_sensor.h"
#include "core/time.h"
#include "protocol/frame.h"

namespace cw::firmware::testing {

constexpr double kWatts = 2000, kVrms = 230;  // a resistive load on 230 V, 50 Hz
constexpr std::uint8_t kKey[16] = {0x5a, 0x17, 0xc0, 0xff, 0xee, 0x0d, 0xdb, 0xa1,
                                   0x1d, 0xec, 0x0d, 0xe5, 0xee, 0xdf, 0x00, 0xd5};

// The ADC pins through the reference front end (docs/hardware.md): 24.39 A and 281.1 V per
// volt at the pin, biased at 2.5 V, in mV.
double current_pin_mv(double t);
double voltage_pin_mv(double t);

// A front end that is not quite the reference build (another burden, another adapter, the
// clamp's phase lead): what calibration is for. The load is kWatts at kVrms.
struct FrontEnd {
  double current_a_per_v = 24.390;
  double voltage_v_per_v = 281.111;
  double current_lead_deg = 0;
};
AvrSensor::Pin current_pin(const FrontEnd& f);
AvrSensor::Pin voltage_pin(const FrontEnd& f);

std::string key_hex();

// Sends one command line (checksum added) and returns its reply's body (checksum removed),
// or "" when none came within 2 simulated seconds (which fails the test).
std::string command(AvrSensor& s, const std::string& body);

// Gives a freshly booted sensor an id, kKey, the voltage channel's gain (CAL 1) and
// `period_s` (CAL 3, 0 = the default), and commits; fails the test if any reply is not OK.
void provision(AvrSensor& s, std::uint16_t id, std::int32_t period_s = 0);

struct Decoded {
  protocol::Header header{};
  bool hello = false;
  protocol::Hello h{};
  protocol::Measurement m{};
};
// Opens a captured payload with the base's decoder and kKey; a failure fails the test.
Decoded decode(const SentPacket& p);

inline TimeMs seconds_to_ms(double s) {
  return static_cast<TimeMs>(s * 1000);
}

}  // namespace cw::firmware::testing
