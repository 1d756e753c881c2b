#include "protocol/provision_line.h"

namespace cw {
namespace protocol {
namespace provision {

namespace {

// Arithmetic rather than a table of digits: a table would be copied into the AVR's RAM.
char hex_digit(uint8_t v, char ten) {
  return static_cast<char>(v < 10 ? '0' + v : ten + v - 10);
}

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool printable(char c) {
  return c >= 0x20 && c <= 0x7e;
}

}  // namespace

uint8_t crc8(const char* data, size_t len) {
  // Bitwise rather than a 256-byte table: flash and RAM matter more than speed on the AVR.
  uint8_t crc = 0;
  for (size_t i = 0; i < len; ++i) {
    crc ^= static_cast<uint8_t>(data[i]);
    for (int b = 0; b < 8; ++b)
      crc = (crc & 0x80) ? static_cast<uint8_t>((crc << 1) ^ 0x07) : static_cast<uint8_t>(crc << 1);
  }
  return crc;
}

LineCheck check_line(const char* line, size_t len, size_t* body_len) {
  if (len > 0 && line[len - 1] == '\r') --len;
  if (len < 3 || line[len - 3] != '*') return LineCheck::kNoChecksum;
  size_t body = len - 3;
  for (size_t i = 0; i < body; ++i)
    if (!printable(line[i]) || line[i] == '*') return LineCheck::kBadByte;
  int hi = nibble(line[len - 2]), lo = nibble(line[len - 1]);
  if (hi < 0 || lo < 0) return LineCheck::kBadChecksum;
  if (static_cast<uint8_t>(hi << 4 | lo) != crc8(line, body)) return LineCheck::kBadChecksum;
  *body_len = body;
  return LineCheck::kOk;
}

bool hex_decode(const char* text, size_t text_len, uint8_t* out, size_t n) {
  if (text_len != 2 * n) return false;
  for (size_t i = 0; i < n; ++i) {
    int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool parse_u32(const char* text, size_t len, uint32_t* out) {
  if (len == 0 || len > 10 || (len > 1 && text[0] == '0')) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + static_cast<uint64_t>(text[i] - '0');
  }
  if (v > 0xFFFFFFFFu) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

bool parse_i32(const char* text, size_t len, int32_t* out) {
  bool negative = len > 0 && text[0] == '-';
  uint32_t magnitude = 0;
  if (!parse_u32(text + (negative ? 1 : 0), len - (negative ? 1 : 0), &magnitude)) return false;
  if (negative && magnitude == 0) return false;  // "-0" has one spelling: "0"
  if (magnitude > (negative ? 0x80000000u : 0x7FFFFFFFu)) return false;
  *out = negative ? static_cast<int32_t>(0u - magnitude) : static_cast<int32_t>(magnitude);
  return true;
}

void LineWriter::put(char c) {
  // Past the capacity the line is spoiled for good: finish() then refuses it.
  if (!ok_ || len_ >= cap_) {
    ok_ = false;
    return;
  }
  buf_[len_++] = c;
}

LineWriter& LineWriter::str(const char* s) {
  while (*s) put(*s++);
  return *this;
}

LineWriter& LineWriter::str(const Text* s) {
  for (size_t i = 0; char c = text_char(s, i); ++i) put(c);
  return *this;
}

LineWriter& LineWriter::chars(const char* s, size_t n) {
  for (size_t i = 0; i < n; ++i) put(s[i]);
  return *this;
}

LineWriter& LineWriter::u32(uint32_t v) {
  char digits[10];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) put(digits[--n]);
  return *this;
}

LineWriter& LineWriter::i32(int32_t v) {
  if (v < 0) put('-');
  return u32(v < 0 ? 0u - static_cast<uint32_t>(v) : static_cast<uint32_t>(v));
}

LineWriter& LineWriter::hex(const uint8_t* data, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    put(hex_digit(data[i] >> 4, 'a'));
    put(hex_digit(data[i] & 15, 'a'));
  }
  return *this;
}

size_t LineWriter::finish() {
  uint8_t crc = crc8(buf_, ok_ ? len_ : 0);
  put('*');
  put(hex_digit(crc >> 4, 'A'));
  put(hex_digit(crc & 15, 'A'));
  put('\n');
  return ok_ ? len_ : 0;
}

size_t tokenize(const char* body, size_t len, Token* tokens, size_t max_tokens) {
  size_t count = 0, start = 0;
  for (size_t i = 0; i <= len; ++i) {
    if (i < len && body[i] != ' ') continue;
    if (i == start) return 0;  // empty token
    if (count < max_tokens) tokens[count] = Token{body + start, i - start};
    ++count;
    if (count > max_tokens) return max_tokens + 1;
    start = i + 1;
  }
  return count;
}

bool token_is(const Token& t, const char* word) {
  size_t i = 0;
  for (; i < t.len; ++i)
    if (word[i] != t.text[i]) return false;  // also stops at word's terminator
  return word[i] == '\0';
}

bool token_is(const Token& t, const Text* word) {
  size_t i = 0;
  for (; i < t.len; ++i)
    if (text_char(word, i) != t.text[i]) return false;
  return text_char(word, i) == '\0';
}

}  // namespace provision
}  // namespace protocol
}  // namespace cw
