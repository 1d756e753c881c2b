// libFuzzer target for the provisioning line protocol (docs/protocol.md, "Provisioning"):
// arbitrary bytes into the device side must never crash it, every reply must be a well-formed
// checksummed OK/ERR line no longer than kMaxReplyLine, INFO and HELLO replies must parse,
// the persisted settings may change only with an "OK COMMIT", and the stored key never shows.
// A firmware command (MEASURE, answered with values taken from the input) must read back
// field for field. The host-side parsers (check_line, parse_info, parse_hello, parse_measure)
// also get every input line.
//
// Run with scripts/fuzz.sh, or stand-alone:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//     fuzz/provision_line_fuzz.cc src/protocol/provision_*.cc -o /tmp/provision_line_fuzz
//   /tmp/provision_line_fuzz -max_len=512 -max_total_time=60 fuzz/corpus/provision_line_fuzz
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cstdlib>
#include <string>

#include "protocol/provision_device.h"

namespace {

using namespace cw::protocol::provision;

constexpr const char* kStoredKeyHex = "5a17c0ffee0ddba11dec0de5eedf00d5";

class Eeprom final : public SettingsStorage {
 public:
  bool load(Settings* out) override {
    *out = stored;
    return true;
  }
  bool save(const Settings& s) override {
    stored = s;
    ++saves;
    return true;
  }
  uint32_t frame_counter() override { return 4242; }
  Settings stored;
  int saves = 0;
};

void require(bool ok) {
  if (!ok) std::abort();
}

// MEASURE as the firmware answers it, with whatever values the input's bytes make; the reply
// must read back as exactly those.
class MeasureFromInput final : public CommandHandler {
 public:
  MeasureFromInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t handle(const Token* t, size_t n, LineWriter& w) override {
    if (n != 1 || !token_is(t[0], "MEASURE")) return 0;
    last.vrms_cv = next();
    last.irms_ma = next();
    last.real_dw = static_cast<int32_t>(next());
    last.apparent_dva = next();
    last.pf_milli = static_cast<int32_t>(next() % 2001) - 1000;
    last.hz_centi = next();
    last.supply_mv = next();
    last.flags = next() & 0xFF;
    write_measure(last, w.str("OK "));
    return w.finish();
  }
  bool read_back(const Measure& m) const {
    return m.vrms_cv == last.vrms_cv && m.irms_ma == last.irms_ma && m.real_dw == last.real_dw &&
           m.apparent_dva == last.apparent_dva && m.pf_milli == last.pf_milli &&
           m.hz_centi == last.hz_centi && m.supply_mv == last.supply_mv && m.flags == last.flags;
  }
  Measure last;

 private:
  uint32_t next() {
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) v = v << 8 | (size_ ? data_[at_++ % size_] : 0);
    return v;
  }
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

void check_reply(const char* line, size_t n, const MeasureFromInput& measure, int* commits) {
  require(n >= 2 && n <= kMaxReplyLine + 1 && line[n - 1] == '\n');
  size_t body = 0;
  require(check_line(line, n - 1, &body) == LineCheck::kOk);
  std::string b(line, body);
  require(b.rfind("OK ", 0) == 0 || b.rfind("ERR ", 0) == 0);
  require(b.find(kStoredKeyHex) == std::string::npos);
  Info info;
  uint8_t proto = 0;
  uint16_t fw = 0;
  if (b.rfind("OK INFO ", 0) == 0) require(parse_info(b.data(), b.size(), &info));
  if (b.rfind("OK HELLO ", 0) == 0) require(parse_hello(b.data(), b.size(), &proto, &fw));
  Measure m;
  if (b.rfind("OK MEASURE ", 0) == 0)
    require(parse_measure(b.data(), b.size(), &m) && measure.read_back(m));
  if (b == "OK COMMIT") ++*commits;
}

void parse_as_host(const uint8_t* data, size_t size) {
  const char* p = reinterpret_cast<const char*>(data);
  size_t start = 0;
  for (size_t i = 0; i <= size; ++i) {
    if (i < size && p[i] != '\n') continue;
    size_t body = 0;
    Info info;
    uint8_t proto = 0;
    uint16_t fw = 0;
    if (check_line(p + start, i - start, &body) == LineCheck::kOk) {
      parse_info(p + start, body, &info);
      parse_hello(p + start, body, &proto, &fw);
      Measure m;
      parse_measure(p + start, body, &m);
    }
    start = i + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Eeprom eeprom;
  hex_decode(kStoredKeyHex, 32, eeprom.stored.key, 16);
  eeprom.stored.key_set = true;
  eeprom.stored.sensor_id = 1;
  MeasureFromInput measure(data, size);
  Device device(eeprom, 0x0102, &measure);
  int commits = 0;
  for (size_t i = 0; i < size; ++i) {
    size_t n = device.receive(data[i]);
    if (n) check_reply(device.reply(), n, measure, &commits);
  }
  require(eeprom.saves == commits);
  parse_as_host(data, size);
  return 0;
}
