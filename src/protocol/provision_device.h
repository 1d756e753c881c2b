// The sensor's side of the provisioning line protocol (docs/protocol.md, "Provisioning"): an
// incremental parser and responder the firmware feeds with the bytes of its USB serial link.
//
//   HELLO                   -> OK HELLO CWPROV=1 FW=1.2
//   INFO                    -> OK INFO FW=1.2 ID=42 ADDR=e056d446d0 KEY=1 CTR=1234 CAL=a,b,c,d
//   SET ID <1..65535>       -> OK ID 42
//   SET KEY <32 hex>        -> OK KEY                  (the key is never echoed nor reported)
//   SET ADDR <10 hex>       -> OK ADDR e056d446d0
//   SET CAL <0..3> <int32>  -> OK CAL 0 1000
//   COMMIT                  -> OK COMMIT
//   anything else           -> the firmware's CommandHandler, if any (MEASURE)
//   anything malformed      -> ERR <code> <message>   and nothing changes
//
// SET only stages a value in RAM; COMMIT validates the whole staged set and persists it in one
// save(); INFO reads back what is persisted, which is what the sensor boots with. Every
// command is idempotent, so the host may resend one whose reply it did not get intact.
//
// Lifetime: the Device keeps a reference to its storage, which must outlive it. Not
// thread-safe: one Device per serial link, fed from one context.
// Portable: no heap, no exceptions, no OS. Builds for AVR (about 250 bytes of RAM).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "protocol/frame.h"
#include "protocol/provision_info.h"
#include "protocol/provision_line.h"

namespace cw {
namespace protocol {
namespace provision {

// Stable error codes of "ERR <code> <message>".
enum class ErrorCode : uint8_t {
  kChecksum = 1,    // "*CC" missing or wrong: the line was damaged on the way
  kTooLong = 2,     // more than kMaxCommandLine bytes before "\n"
  kUnknown = 3,     // unknown command or setting
  kSyntax = 4,      // wrong number of arguments, not a number, byte outside printable ASCII
  kBadHex = 5,      // KEY or ADDR not exactly 32 or 10 hex digits
  kRange = 6,       // id 0, calibration channel, all-zero key, unusable radio address
  kStorage = 7,     // the persistent storage failed to read or write
  kIncomplete = 8,  // COMMIT of settings without an id or a key
  kMeasure = 9,     // MEASURE: no window completed (the ADC did not answer)
};

// What the sensor persists (in EEPROM on the AVR).
struct Settings {
  uint16_t sensor_id = 0;  // 0 = not provisioned
  bool key_set = false;
  uint8_t key[kKeySize] = {};
  uint8_t radio_address[kRadioAddressSize] = {};  // most significant byte first
  int32_t calibration[kCalChannels] = {};
};

// False for the addresses the nRF24L01+ datasheet warns against: one level throughout (all
// 00 or FF, which is also what a never-set address reads), or the preamble pattern (55, AA).
bool usable_address(const uint8_t a[kRadioAddressSize]);

// The firmware's persistent storage. Non-virtual protected destructor: no delete through it,
// so the AVR build needs no operator delete.
class SettingsStorage {
 public:
  // Fills *out with the stored settings, or with Settings{} when nothing valid is stored.
  // False only when the storage could not be read.
  virtual bool load(Settings* out) = 0;
  // Persists s as a whole (a torn write must read back as the old or the new settings).
  virtual bool save(const Settings& s) = 0;
  // The next frame counter the sensor will use (docs/protocol.md, "Counter rules").
  virtual uint32_t frame_counter() = 0;

 protected:
  ~SettingsStorage() = default;
};

// Commands a firmware adds to the protocol (the sensor's MEASURE, docs/protocol.md). Same
// destructor rule as SettingsStorage.
class CommandHandler {
 public:
  // Handles a checked, tokenized line the Device does not know. Returns the length of the
  // reply finished in w, or 0 when the command is not one of its own either (then ERR 3).
  virtual size_t handle(const Token* t, size_t n, LineWriter& w) = 0;

 protected:
  ~CommandHandler() = default;
};

class Device {
 public:
  Device(SettingsStorage& storage, uint16_t firmware_version, CommandHandler* extra = nullptr)
      : storage_(storage), firmware_version_(firmware_version), extra_(extra) {}

  // Takes one received byte. Returns the length of the reply line now waiting in reply()
  // ("\n" included), or 0 when there is nothing to send yet.
  size_t receive(uint8_t byte);
  const char* reply() const { return reply_; }

  // True when SETs wait for a COMMIT.
  bool pending() const { return pending_; }

 private:
  size_t handle_line();
  size_t handle(const Token* t, size_t n, LineWriter& w);
  size_t handle_set(const Token* t, size_t n, LineWriter& w);
  size_t handle_info(LineWriter& w);
  size_t handle_commit(LineWriter& w);
  size_t set_id(const Token& v, LineWriter& w);
  size_t set_key(const Token& v, LineWriter& w);
  size_t set_addr(const Token& v, LineWriter& w);
  size_t set_cal(const Token& ch, const Token& v, LineWriter& w);
  bool ensure_staged();
  size_t error(ErrorCode code, const Text* message);

  SettingsStorage& storage_;
  uint16_t firmware_version_;
  CommandHandler* extra_;
  char line_[kMaxCommandLine];
  size_t len_ = 0;
  bool overflow_ = false;
  char reply_[kMaxReplyLine + 1];  // + "\n"
  Settings staged_;
  bool staged_loaded_ = false;
  bool pending_ = false;
};

}  // namespace provision
}  // namespace protocol
}  // namespace cw
