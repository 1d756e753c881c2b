// Provisioning line framing, shared by the sensor firmware and the base's CLI. Specified in
// docs/protocol.md, section "Provisioning".
//
//   line     = body "*" CC "\n"          (a "\r" before the "\n" is tolerated)
//   body     = printable ASCII (0x20..0x7e) without "*"
//   CC       = CRC-8 of the body bytes as two hex digits (sent upper case, either case accepted)
//   CRC-8    = polynomial 0x07, init 0x00, not reflected, no final xor (CRC-8/SMBUS;
//              check value crc8("123456789") = 0xF4)
//
// A CRC-8 detects every error burst up to 8 bits and all odd numbers of flipped bits, where an
// XOR checksum misses two flips in the same bit position.
//
// Portable: no heap, no exceptions, no OS. Builds for AVR.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "protocol/text.h"

namespace cw {
namespace protocol {
namespace provision {

// Longest command line the device accepts, "*CC" included, "\n" excluded.
constexpr size_t kMaxCommandLine = 64;
// Longest reply line a device sends, "*CC" included, "\n" excluded.
constexpr size_t kMaxReplyLine = 128;

uint8_t crc8(const char* data, size_t len);

enum class LineCheck : uint8_t {
  kOk = 0,
  kNoChecksum,   // no "*CC" suffix
  kBadChecksum,  // the digits are not hex, or the CRC does not match
  kBadByte,      // a byte outside printable ASCII in the body
};

// Checks a received line (without its "\n"; a trailing "\r" is ignored) and sets *body_len to
// the length of its body.
LineCheck check_line(const char* line, size_t len, size_t* body_len);

// Decodes exactly 2 * n hex digits (either case) into out. False on any other character.
bool hex_decode(const char* text, size_t text_len, uint8_t* out, size_t n);

// Parses an unsigned decimal of 1..10 digits, no sign, no leading zero (except "0").
bool parse_u32(const char* text, size_t len, uint32_t* out);
// Same, with an optional leading "-"; the value must fit int32.
bool parse_i32(const char* text, size_t len, int32_t* out);

// Builds one outgoing line in a caller-provided buffer. Every append stops at the capacity,
// after which ok() is false and finish() fails: a line is never sent truncated.
class LineWriter {
 public:
  LineWriter(char* buf, size_t cap) : buf_(buf), cap_(cap) {}
  LineWriter& str(const char* s);  // a string in RAM
  LineWriter& str(const Text* s);  // a CW_TEXT constant
  LineWriter& chars(const char* s, size_t n);
  LineWriter& u32(uint32_t v);
  LineWriter& i32(int32_t v);
  LineWriter& hex(const uint8_t* data, size_t n);  // lower case
  bool ok() const { return ok_; }
  size_t size() const { return len_; }
  // Appends "*CC\n". Returns the whole line's length, or 0 if it did not fit.
  size_t finish();

 private:
  void put(char c);
  char* buf_;
  size_t cap_;
  size_t len_ = 0;
  bool ok_ = true;
};

// Splits a body into tokens separated by single spaces. Returns the number of tokens, or
// max_tokens + 1 when there are more (the extra ones are not stored). Empty tokens (two
// spaces in a row, a leading or trailing space) make the result 0: the line is malformed.
struct Token {
  const char* text;
  size_t len;
};
size_t tokenize(const char* body, size_t len, Token* tokens, size_t max_tokens);
bool token_is(const Token& t, const char* word);
bool token_is(const Token& t, const Text* word);

}  // namespace provision
}  // namespace protocol
}  // namespace cw
