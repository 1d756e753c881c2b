#include "protocol/provision_device.h"

#include <string.h>

namespace cw {
namespace protocol {
namespace provision {

namespace {

bool all_bytes(const uint8_t* p, size_t n, uint8_t value) {
  for (size_t i = 0; i < n; ++i)
    if (p[i] != value) return false;
  return true;
}

}  // namespace

bool usable_address(const uint8_t a[kRadioAddressSize]) {
  static const uint8_t kBad[] = {0x00, 0xFF, 0x55, 0xAA};
  for (uint8_t bad : kBad)
    if (all_bytes(a, kRadioAddressSize, bad)) return false;
  return true;
}

size_t Device::receive(uint8_t byte) {
  if (byte != '\n') {
    if (len_ < kMaxCommandLine)
      line_[len_++] = static_cast<char>(byte);
    else
      overflow_ = true;  // keep dropping until the end of the line
    return 0;
  }
  size_t n = 0;
  if (overflow_)
    n = error(ErrorCode::kTooLong, CW_TEXT("line too long"));
  else if (len_ > 0 && !(len_ == 1 && line_[0] == '\r'))
    n = handle_line();  // an empty line is a no-op: the host sends one to resynchronise
  // The line may have held a key: do not leave it in RAM.
  memset(line_, 0, sizeof line_);
  len_ = 0;
  overflow_ = false;
  return n;
}

size_t Device::handle_line() {
  size_t body = 0;
  switch (check_line(line_, len_, &body)) {
    case LineCheck::kOk:
      break;
    case LineCheck::kNoChecksum:
      return error(ErrorCode::kChecksum, CW_TEXT("missing checksum"));
    case LineCheck::kBadChecksum:
      return error(ErrorCode::kChecksum, CW_TEXT("bad checksum"));
    case LineCheck::kBadByte:
      return error(ErrorCode::kSyntax, CW_TEXT("byte outside printable ASCII"));
  }
  Token t[4];
  size_t n = tokenize(line_, body, t, 4);
  if (n == 0) return error(ErrorCode::kSyntax, CW_TEXT("empty argument"));
  LineWriter w(reply_, sizeof reply_);
  return handle(t, n, w);
}

size_t Device::handle(const Token* t, size_t n, LineWriter& w) {
  bool set = token_is(t[0], CW_TEXT("SET"));
  if (!set && !token_is(t[0], CW_TEXT("HELLO")) && !token_is(t[0], CW_TEXT("INFO")) &&
      !token_is(t[0], CW_TEXT("COMMIT"))) {
    size_t r = extra_ ? extra_->handle(t, n, w) : 0;
    return r ? r : error(ErrorCode::kUnknown, CW_TEXT("unknown command"));
  }
  if (set) return handle_set(t, n, w);
  if (n != 1) return error(ErrorCode::kSyntax, CW_TEXT("no argument expected"));
  if (token_is(t[0], CW_TEXT("INFO"))) return handle_info(w);
  if (token_is(t[0], CW_TEXT("COMMIT"))) return handle_commit(w);
  write_hello(firmware_version_, w.str(CW_TEXT("OK ")));
  return w.finish();
}

size_t Device::handle_set(const Token* t, size_t n, LineWriter& w) {
  if (n < 2) return error(ErrorCode::kSyntax, CW_TEXT("SET what?"));
  bool cal = token_is(t[1], CW_TEXT("CAL"));
  if (!cal && !token_is(t[1], CW_TEXT("ID")) && !token_is(t[1], CW_TEXT("KEY")) &&
      !token_is(t[1], CW_TEXT("ADDR")))
    return error(ErrorCode::kUnknown, CW_TEXT("unknown setting"));
  if (n != (cal ? 4u : 3u)) return error(ErrorCode::kSyntax, CW_TEXT("wrong number of arguments"));
  // Check the argument before touching storage: a malformed line changes nothing.
  if (token_is(t[1], CW_TEXT("ID"))) return set_id(t[2], w);
  if (token_is(t[1], CW_TEXT("KEY"))) return set_key(t[2], w);
  if (token_is(t[1], CW_TEXT("ADDR"))) return set_addr(t[2], w);
  return set_cal(t[2], t[3], w);
}

bool Device::ensure_staged() {
  if (!staged_loaded_) staged_loaded_ = storage_.load(&staged_);
  return staged_loaded_;
}

size_t Device::set_id(const Token& v, LineWriter& w) {
  uint32_t id = 0;
  if (!parse_u32(v.text, v.len, &id))
    return error(ErrorCode::kSyntax, CW_TEXT("id is not a number"));
  if (id < 1 || id > 0xFFFF) return error(ErrorCode::kRange, CW_TEXT("id must be 1..65535"));
  if (!ensure_staged()) return error(ErrorCode::kStorage, CW_TEXT("cannot read settings"));
  staged_.sensor_id = static_cast<uint16_t>(id);
  pending_ = true;
  w.str(CW_TEXT("OK ID ")).u32(id);
  return w.finish();
}

size_t Device::set_key(const Token& v, LineWriter& w) {
  uint8_t key[kKeySize];
  if (!hex_decode(v.text, v.len, key, kKeySize))
    return error(ErrorCode::kBadHex, CW_TEXT("key must be 32 hex digits"));
  if (all_bytes(key, kKeySize, 0)) return error(ErrorCode::kRange, CW_TEXT("all-zero key"));
  if (!ensure_staged()) return error(ErrorCode::kStorage, CW_TEXT("cannot read settings"));
  memcpy(staged_.key, key, kKeySize);
  memset(key, 0, kKeySize);
  staged_.key_set = true;
  pending_ = true;
  w.str(CW_TEXT("OK KEY"));
  return w.finish();
}

size_t Device::set_addr(const Token& v, LineWriter& w) {
  uint8_t addr[kRadioAddressSize];
  if (!hex_decode(v.text, v.len, addr, kRadioAddressSize))
    return error(ErrorCode::kBadHex, CW_TEXT("address must be 10 hex digits"));
  if (!usable_address(addr)) return error(ErrorCode::kRange, CW_TEXT("unusable radio address"));
  if (!ensure_staged()) return error(ErrorCode::kStorage, CW_TEXT("cannot read settings"));
  memcpy(staged_.radio_address, addr, kRadioAddressSize);
  pending_ = true;
  w.str(CW_TEXT("OK ADDR ")).hex(addr, kRadioAddressSize);
  return w.finish();
}

size_t Device::set_cal(const Token& ch, const Token& v, LineWriter& w) {
  uint32_t channel = 0;
  int32_t value = 0;
  if (!parse_u32(ch.text, ch.len, &channel) || !parse_i32(v.text, v.len, &value))
    return error(ErrorCode::kSyntax, CW_TEXT("channel and value must be integers"));
  if (channel >= kCalChannels)
    return error(ErrorCode::kRange, CW_TEXT("no such calibration channel"));
  if (!ensure_staged()) return error(ErrorCode::kStorage, CW_TEXT("cannot read settings"));
  staged_.calibration[channel] = value;
  pending_ = true;
  w.str(CW_TEXT("OK CAL ")).u32(channel).str(CW_TEXT(" ")).i32(value);
  return w.finish();
}

size_t Device::handle_info(LineWriter& w) {
  Settings stored;
  if (!storage_.load(&stored)) return error(ErrorCode::kStorage, CW_TEXT("cannot read settings"));
  Info info;
  info.firmware_version = firmware_version_;
  info.sensor_id = stored.sensor_id;
  memcpy(info.radio_address, stored.radio_address, kRadioAddressSize);
  info.key_set = stored.key_set;
  info.frame_counter = storage_.frame_counter();
  memcpy(info.calibration, stored.calibration, sizeof info.calibration);
  memset(stored.key, 0, kKeySize);
  write_info(info, w.str(CW_TEXT("OK ")));
  return w.finish();
}

size_t Device::handle_commit(LineWriter& w) {
  if (!ensure_staged()) return error(ErrorCode::kStorage, CW_TEXT("cannot read settings"));
  if (staged_.sensor_id == 0) return error(ErrorCode::kIncomplete, CW_TEXT("no id set"));
  if (!staged_.key_set) return error(ErrorCode::kIncomplete, CW_TEXT("no key set"));
  if (!storage_.save(staged_)) return error(ErrorCode::kStorage, CW_TEXT("cannot write settings"));
  pending_ = false;
  w.str(CW_TEXT("OK COMMIT"));
  return w.finish();
}

size_t Device::error(ErrorCode code, const Text* message) {
  LineWriter w(reply_, sizeof reply_);
  w.str(CW_TEXT("ERR ")).u32(static_cast<uint8_t>(code)).str(CW_TEXT(" ")).str(message);
  return w.finish();
}

}  // namespace provision
}  // namespace protocol
}  // namespace cw
