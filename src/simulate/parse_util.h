// Shared pieces of the dataset parsers: line splitting, strict numbers, local time, and the
// skip-and-count bookkeeping of recording.h.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "simulate/recording.h"

namespace date {
class time_zone;
}

namespace cw::simulate::detail {

// Iterates over lines (LF or CRLF), numbering them from 1.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool next(std::string_view* line);
  std::size_t number() const { return number_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t number_ = 0;
};

std::vector<std::string_view> split(std::string_view s, char sep);

// Whole-field numbers: no blanks, no trailing junk.
bool parse_double(std::string_view s, double* out);
bool parse_int(std::string_view s, long long* out);

// A civil local date-time → UTC ms in zone (the earlier instant in a DST fold). Rejects
// impossible dates.
bool local_to_utc(const date::time_zone* zone, int y, int mo, int d, int h, int mi, int s, int ms,
                  TimeMs* out);

Result<const date::time_zone*> find_zone(const std::string& name);

// Skip-and-count for bad rows; also enforces strictly increasing time.
class RowChecker {
 public:
  // unit names a row in messages: "line" (from 1) or "record" (JSON).
  RowChecker(ParseReport* report, const ParseOptions& options, const char* unit = "line")
      : report_(report), options_(options), unit_(unit) {}
  // Records a bad row; an error once there are too many.
  Status bad(std::size_t line, const std::string& why);
  // True when t comes after the previous accepted row's time.
  bool increasing(TimeMs t);
  void accept(TimeMs t) {
    last_ = t;
    has_last_ = true;
  }

 private:
  ParseReport* report_;
  const ParseOptions& options_;
  const char* unit_;
  TimeMs last_ = 0;
  bool has_last_ = false;
};

}  // namespace cw::simulate::detail
