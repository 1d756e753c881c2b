// The device facts a provisioning INFO reply carries, and their text form, written by the
// firmware and read by the base's CLI (docs/protocol.md, "Provisioning"):
//
//   OK INFO FW=1.2 ID=42 ADDR=e056d446d0 KEY=1 CTR=1234 CAL=1000,0,0,-12
//
// Fields come in this order, each exactly once. The key itself is never part of it: KEY only
// says whether one is set.
//
// Portable: no heap, no exceptions, no OS. Builds for AVR.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "protocol/provision_line.h"

namespace cw {
namespace protocol {
namespace provision {

constexpr uint8_t kProtocolVersion = 1;  // "OK HELLO CWPROV=1 FW=1.2"
constexpr size_t kRadioAddressSize = 5;  // nRF24L01+ address width 5
constexpr size_t kCalChannels = 4;       // calibration values, meaning set by the firmware

struct Info {
  uint16_t firmware_version = 0;                  // major << 8 | minor, as in the hello frame
  uint16_t sensor_id = 0;                         // 0 = not provisioned
  uint8_t radio_address[kRadioAddressSize] = {};  // most significant byte first
  bool key_set = false;
  uint32_t frame_counter = 0;  // next counter the sensor will use
  int32_t calibration[kCalChannels] = {};
};

// One measurement window as the sensor's MEASURE command reports it, for calibration:
//   OK MEASURE V=23012 I=8695 P=20001 S=20010 PF=999 HZ=5001 VCC=4980 F=0
// Fixed-point integers, in this order, each once.
struct Measure {
  uint32_t vrms_cv = 0;       // V, 0.01 V (0 = no voltage measured)
  uint32_t irms_ma = 0;       // I, mA
  int32_t real_dw = 0;        // P, 0.1 W (apparent power in current-only mode)
  uint32_t apparent_dva = 0;  // S, 0.1 VA
  int32_t pf_milli = 0;       // PF, 0.001 (-1000..1000)
  uint32_t hz_centi = 0;      // HZ, 0.01 Hz (0 = no crossing seen)
  uint32_t supply_mv = 0;     // VCC, mV
  uint32_t flags = 0;         // F, the frame's measurement flags (protocol/frame.h)
};

// Appends "INFO FW=... CAL=..." (the body after "OK ") to w.
void write_info(const Info& info, LineWriter& w);
// Appends "HELLO CWPROV=1 FW=major.minor" (the body after "OK ") to w.
void write_hello(uint16_t firmware_version, LineWriter& w);

// Parses a checked reply body "OK INFO ...". False if any field is missing, repeated, out of
// order, out of range or if anything else is there.
bool parse_info(const char* body, size_t len, Info* out);
// Appends "MEASURE V=... F=..." (the body after "OK ") to w.
void write_measure(const Measure& m, LineWriter& w);
// Parses a checked reply body "OK MEASURE ...", strictly as parse_info does.
bool parse_measure(const char* body, size_t len, Measure* out);

// Parses "OK HELLO CWPROV=n FW=major.minor".
bool parse_hello(const char* body, size_t len, uint8_t* protocol_version,
                 uint16_t* firmware_version);

}  // namespace provision
}  // namespace protocol
}  // namespace cw
