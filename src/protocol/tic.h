// Linky / French meter customer port (TIC, "télé-information client"): frames and groups.
// Portable (no heap, no exceptions): shared with firmware-class code, fuzzed on the host.
//
// The wire (Enedis-NOI-CPT_02E historique, Enedis-NOI-CPT_54E standard), 7 data bits, even parity:
//
//   frame  = STX (0x02) group* ETX (0x03)          EOT (0x04) anywhere: the frame is cut short
//   group  = LF (0x0A) label SEP [horodate SEP] data SEP checksum CR (0x0D)
//   SEP    = SP (0x20) in historique mode (1200 baud), HT (0x09) in standard mode (9600 baud)
//   checksum = (sum of the bytes it covers & 0x3F) + 0x20
//     method 1 covers label..data (without the last SEP): the historique specification;
//     method 2 covers label..data and the last SEP: the standard specification, and what some
//     historique meters send. Both are accepted in both modes.
//
// A group whose checksum fails is dropped alone: every group carries its own checksum, so the
// rest of the frame stays good. Bytes outside a frame are line noise and are skipped; a new STX
// restarts the frame (resynchronisation).
#pragma once

#include <cstddef>
#include <cstdint>

namespace cw::protocol::tic {

enum class Mode : std::uint8_t { kUnknown = 0, kHistorique = 1, kStandard = 2 };

inline constexpr std::size_t kMaxLabel = 16;
inline constexpr std::size_t kMaxDate = 13;    // "E170915101601": season letter + YYMMDDhhmmss
inline constexpr std::size_t kMaxValue = 104;  // PJOURF+1 is the longest: 98 characters
inline constexpr std::size_t kMaxGroupBytes = kMaxLabel + kMaxDate + kMaxValue + 4;
inline constexpr std::size_t kMaxGroups = 64;

struct Group {
  char label[kMaxLabel + 1];
  char date[kMaxDate + 1];  // "" when the group has no horodate
  char value[kMaxValue + 1];
  Mode mode;
  std::uint8_t method;  // the checksum method that matched: 1 or 2
};

enum class GroupError : std::uint8_t {
  kOk = 0,
  kTooShort,     // fewer bytes than "L SEP C"
  kTooLong,      // a field longer than this parser keeps
  kBadChar,      // a control character inside the group
  kNoSeparator,  // no SP or HT before the checksum, or no label/data split
  kBadChecksum,
};
const char* group_error_name(GroupError e);

// The checksum of n bytes.
std::uint8_t checksum(const std::uint8_t* p, std::size_t n);

// Parses the bytes of one group between LF and CR (both excluded).
GroupError parse_group(const std::uint8_t* p, std::size_t n, Group* out);

struct Frame {
  Group groups[kMaxGroups];
  std::size_t count;
  std::size_t bad_groups;  // dropped: checksum or shape
  Mode mode;               // of the first good group
};

enum class FrameError : std::uint8_t {
  kOk = 0,
  kInterrupted,    // EOT, or a new STX before ETX
  kGroupOverflow,  // a group longer than kMaxGroupBytes
  kTooManyGroups,
  kBadByte,  // a control byte where a group must start or end
};
const char* frame_error_name(FrameError e);

// Streaming decoder: push each received byte; a frame is complete at ETX.
class Decoder {
 public:
  enum class Event : std::uint8_t { kNone, kFrame, kError };
  Decoder() { reset(); }
  void reset();
  Event push(std::uint8_t byte);
  const Frame& frame() const { return frame_; }  // valid after kFrame, until the next push
  FrameError error() const { return error_; }    // after kError
  GroupError last_group_error() const { return group_error_; }
  std::size_t noise_bytes() const { return noise_; }  // bytes outside any frame

 private:
  enum class State : std::uint8_t { kIdle, kBetween, kInGroup };
  Event fail(FrameError e);
  void end_group();

  State state_;
  Frame frame_;
  std::uint8_t buf_[kMaxGroupBytes];
  std::size_t len_;
  FrameError error_;
  GroupError group_error_;
  std::size_t noise_;
};

}  // namespace cw::protocol::tic
