#include "protocol/provision_info.h"

namespace cw {
namespace protocol {
namespace provision {

namespace {

// The value of a "NAME=value" token, if the token has that name.
bool field(const Token& t, const Text* name, Token* value) {
  size_t n = 0;
  while (text_char(name, n)) ++n;
  if (t.len <= n || t.text[n] != '=') return false;
  for (size_t i = 0; i < n; ++i)
    if (t.text[i] != text_char(name, i)) return false;
  *value = Token{t.text + n + 1, t.len - n - 1};
  return true;
}

bool parse_version(const Token& t, uint16_t* out) {
  size_t dot = 0;
  while (dot < t.len && t.text[dot] != '.') ++dot;
  uint32_t major = 0, minor = 0;
  if (dot == t.len || !parse_u32(t.text, dot, &major) ||
      !parse_u32(t.text + dot + 1, t.len - dot - 1, &minor) || major > 255 || minor > 255)
    return false;
  *out = static_cast<uint16_t>(major << 8 | minor);
  return true;
}

bool parse_calibration(const Token& t, int32_t out[kCalChannels]) {
  size_t start = 0, channel = 0;
  for (size_t i = 0; i <= t.len; ++i) {
    if (i < t.len && t.text[i] != ',') continue;
    if (channel == kCalChannels || !parse_i32(t.text + start, i - start, &out[channel]))
      return false;
    ++channel;
    start = i + 1;
  }
  return channel == kCalChannels;
}

void write_version(uint16_t v, LineWriter& w) {
  w.u32(v >> 8).str(CW_TEXT(".")).u32(v & 0xFF);
}

}  // namespace

void write_info(const Info& info, LineWriter& w) {
  w.str(CW_TEXT("INFO FW="));
  write_version(info.firmware_version, w);
  w.str(CW_TEXT(" ID=")).u32(info.sensor_id);
  w.str(CW_TEXT(" ADDR=")).hex(info.radio_address, kRadioAddressSize);
  w.str(CW_TEXT(" KEY=")).u32(info.key_set ? 1 : 0);
  w.str(CW_TEXT(" CTR=")).u32(info.frame_counter);
  w.str(CW_TEXT(" CAL="));
  for (size_t c = 0; c < kCalChannels; ++c) {
    if (c) w.str(CW_TEXT(","));
    w.i32(info.calibration[c]);
  }
}

void write_hello(uint16_t firmware_version, LineWriter& w) {
  w.str(CW_TEXT("HELLO CWPROV=")).u32(kProtocolVersion).str(CW_TEXT(" FW="));
  write_version(firmware_version, w);
}

bool parse_info(const char* body, size_t len, Info* out) {
  Token t[8];
  if (tokenize(body, len, t, 8) != 8 || !token_is(t[0], CW_TEXT("OK")) ||
      !token_is(t[1], CW_TEXT("INFO")))
    return false;
  Info info;
  Token v;
  uint32_t id = 0;
  if (!field(t[2], CW_TEXT("FW"), &v) || !parse_version(v, &info.firmware_version)) return false;
  if (!field(t[3], CW_TEXT("ID"), &v) || !parse_u32(v.text, v.len, &id) || id > 0xFFFF)
    return false;
  info.sensor_id = static_cast<uint16_t>(id);
  if (!field(t[4], CW_TEXT("ADDR"), &v) ||
      !hex_decode(v.text, v.len, info.radio_address, kRadioAddressSize))
    return false;
  if (!field(t[5], CW_TEXT("KEY"), &v) || v.len != 1 || (v.text[0] != '0' && v.text[0] != '1'))
    return false;
  info.key_set = v.text[0] == '1';
  if (!field(t[6], CW_TEXT("CTR"), &v) || !parse_u32(v.text, v.len, &info.frame_counter))
    return false;
  if (!field(t[7], CW_TEXT("CAL"), &v) || !parse_calibration(v, info.calibration)) return false;
  *out = info;
  return true;
}

void write_measure(const Measure& m, LineWriter& w) {
  w.str(CW_TEXT("MEASURE V="))
      .u32(m.vrms_cv)
      .str(CW_TEXT(" I="))
      .u32(m.irms_ma)
      .str(CW_TEXT(" P="))
      .i32(m.real_dw);
  w.str(CW_TEXT(" S="))
      .u32(m.apparent_dva)
      .str(CW_TEXT(" PF="))
      .i32(m.pf_milli)
      .str(CW_TEXT(" HZ="))
      .u32(m.hz_centi);
  w.str(CW_TEXT(" VCC=")).u32(m.supply_mv).str(CW_TEXT(" F=")).u32(m.flags);
}

bool parse_measure(const char* body, size_t len, Measure* out) {
  Token t[10];
  if (tokenize(body, len, t, 10) != 10 || !token_is(t[0], CW_TEXT("OK")) ||
      !token_is(t[1], CW_TEXT("MEASURE")))
    return false;
  Measure m;
  Token v;
  uint32_t* unsigned_fields[] = {&m.vrms_cv, &m.irms_ma};
  const Text* unsigned_names[] = {CW_TEXT("V"), CW_TEXT("I")};
  for (size_t k = 0; k < 2; ++k)
    if (!field(t[2 + k], unsigned_names[k], &v) || !parse_u32(v.text, v.len, unsigned_fields[k]))
      return false;
  if (!field(t[4], CW_TEXT("P"), &v) || !parse_i32(v.text, v.len, &m.real_dw)) return false;
  if (!field(t[5], CW_TEXT("S"), &v) || !parse_u32(v.text, v.len, &m.apparent_dva)) return false;
  if (!field(t[6], CW_TEXT("PF"), &v) || !parse_i32(v.text, v.len, &m.pf_milli) ||
      m.pf_milli < -1000 || m.pf_milli > 1000)
    return false;
  if (!field(t[7], CW_TEXT("HZ"), &v) || !parse_u32(v.text, v.len, &m.hz_centi)) return false;
  if (!field(t[8], CW_TEXT("VCC"), &v) || !parse_u32(v.text, v.len, &m.supply_mv)) return false;
  if (!field(t[9], CW_TEXT("F"), &v) || !parse_u32(v.text, v.len, &m.flags) || m.flags > 0xFF)
    return false;
  *out = m;
  return true;
}

bool parse_hello(const char* body, size_t len, uint8_t* protocol_version,
                 uint16_t* firmware_version) {
  Token t[4];
  Token v;
  uint32_t proto = 0;
  if (tokenize(body, len, t, 4) != 4 || !token_is(t[0], CW_TEXT("OK")) ||
      !token_is(t[1], CW_TEXT("HELLO")))
    return false;
  if (!field(t[2], CW_TEXT("CWPROV"), &v) || !parse_u32(v.text, v.len, &proto) || proto > 255)
    return false;
  if (!field(t[3], CW_TEXT("FW"), &v) || !parse_version(v, firmware_version)) return false;
  *protocol_version = static_cast<uint8_t>(proto);
  return true;
}

}  // namespace provision
}  // namespace protocol
}  // namespace cw
