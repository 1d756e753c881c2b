#include "protocol/tic.h"

#include <string.h>

namespace cw::protocol::tic {

namespace {

constexpr std::uint8_t kStx = 0x02, kEtx = 0x03, kEot = 0x04, kLf = 0x0A, kCr = 0x0D;
constexpr std::uint8_t kSp = 0x20, kHt = 0x09;

bool copy_field(const std::uint8_t* p, std::size_t n, char* out, std::size_t cap) {
  if (n > cap) return false;
  memcpy(out, p, n);
  out[n] = '\0';
  return true;
}

// Splits the body (label..data, without the last separator) into its fields.
GroupError split_fields(const std::uint8_t* p, std::size_t n, std::uint8_t sep, Group* out) {
  std::size_t first = 0;
  while (first < n && p[first] != sep) ++first;
  if (first == 0 || first == n) return GroupError::kNoSeparator;
  if (!copy_field(p, first, out->label, kMaxLabel)) return GroupError::kTooLong;
  const std::uint8_t* rest = p + first + 1;
  std::size_t rest_n = n - first - 1;
  out->date[0] = '\0';
  if (sep == kHt) {
    // Standard mode: a second HT means "horodate HT data" (data may then be empty: DATE).
    std::size_t second = 0;
    while (second < rest_n && rest[second] != kHt) ++second;
    if (second < rest_n) {
      if (!copy_field(rest, second, out->date, kMaxDate)) return GroupError::kTooLong;
      rest += second + 1;
      rest_n -= second + 1;
    }
    for (std::size_t i = 0; i < rest_n; ++i)
      if (rest[i] == kHt) return GroupError::kNoSeparator;
  }
  if (!copy_field(rest, rest_n, out->value, kMaxValue)) return GroupError::kTooLong;
  return GroupError::kOk;
}

}  // namespace

const char* group_error_name(GroupError e) {
  switch (e) {
    case GroupError::kOk:
      return "ok";
    case GroupError::kTooShort:
      return "too_short";
    case GroupError::kTooLong:
      return "too_long";
    case GroupError::kBadChar:
      return "bad_char";
    case GroupError::kNoSeparator:
      return "no_separator";
    case GroupError::kBadChecksum:
      return "bad_checksum";
  }
  return "unknown";
}

const char* frame_error_name(FrameError e) {
  switch (e) {
    case FrameError::kOk:
      return "ok";
    case FrameError::kInterrupted:
      return "interrupted";
    case FrameError::kGroupOverflow:
      return "group_overflow";
    case FrameError::kTooManyGroups:
      return "too_many_groups";
    case FrameError::kBadByte:
      return "bad_byte";
  }
  return "unknown";
}

std::uint8_t checksum(const std::uint8_t* p, std::size_t n) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += p[i];
  return static_cast<std::uint8_t>((sum & 0x3F) + 0x20);
}

GroupError parse_group(const std::uint8_t* p, std::size_t n, Group* out) {
  if (n < 4) return GroupError::kTooShort;  // label, SEP, data or SEP, checksum
  for (std::size_t i = 0; i < n; ++i)
    if ((p[i] < 0x20 && p[i] != kHt) || p[i] > 0x7E) return GroupError::kBadChar;
  const std::uint8_t sep = p[n - 2];
  if (sep != kSp && sep != kHt) return GroupError::kNoSeparator;
  const std::uint8_t sum = p[n - 1];
  const std::size_t body = n - 2;
  std::uint8_t method = 0;
  if (checksum(p, body) == sum)
    method = 1;
  else if (checksum(p, body + 1) == sum)
    method = 2;
  if (method == 0) return GroupError::kBadChecksum;
  GroupError e = split_fields(p, body, sep, out);
  if (e != GroupError::kOk) return e;
  out->mode = sep == kHt ? Mode::kStandard : Mode::kHistorique;
  out->method = method;
  return GroupError::kOk;
}

void Decoder::reset() {
  state_ = State::kIdle;
  frame_.count = 0;
  frame_.bad_groups = 0;
  frame_.mode = Mode::kUnknown;
  len_ = 0;
  error_ = FrameError::kOk;
  group_error_ = GroupError::kOk;
  noise_ = 0;
}

Decoder::Event Decoder::fail(FrameError e) {
  error_ = e;
  state_ = State::kIdle;
  return Event::kError;
}

void Decoder::end_group() {
  Group& g = frame_.groups[frame_.count];
  GroupError e = parse_group(buf_, len_, &g);
  if (e != GroupError::kOk) {
    group_error_ = e;
    frame_.bad_groups++;
    return;
  }
  if (frame_.mode == Mode::kUnknown) frame_.mode = g.mode;
  frame_.count++;
}

Decoder::Event Decoder::push(std::uint8_t byte) {
  byte &= 0x7F;  // read as 8 bits, a 7E1 line shows its parity bit here
  if (byte == kStx) {
    const bool cut = state_ != State::kIdle;
    state_ = State::kBetween;
    frame_.count = 0;
    frame_.bad_groups = 0;
    frame_.mode = Mode::kUnknown;
    if (cut) {
      error_ = FrameError::kInterrupted;
      return Event::kError;
    }
    return Event::kNone;
  }
  switch (state_) {
    case State::kIdle:
      noise_++;
      return Event::kNone;
    case State::kBetween:
      if (byte == kLf) {
        if (frame_.count + frame_.bad_groups >= kMaxGroups) return fail(FrameError::kTooManyGroups);
        state_ = State::kInGroup;
        len_ = 0;
        return Event::kNone;
      }
      if (byte == kEtx) {
        state_ = State::kIdle;
        return Event::kFrame;
      }
      if (byte == kEot) return fail(FrameError::kInterrupted);
      return fail(FrameError::kBadByte);
    case State::kInGroup:
      if (byte == kCr) {
        end_group();
        state_ = State::kBetween;
        return Event::kNone;
      }
      if (byte == kEot || byte == kEtx) return fail(FrameError::kInterrupted);
      if (byte == kLf) return fail(FrameError::kBadByte);
      if (len_ == kMaxGroupBytes) return fail(FrameError::kGroupOverflow);
      buf_[len_++] = byte;
      return Event::kNone;
  }
  return Event::kNone;
}

}  // namespace cw::protocol::tic
