// Recorded power datasets, parsed into readings a ReplaySource plays back. Parsers are pure
// functions of the file's text; files are read by load_recording.
//
// Bad-line policy (all formats): a malformed line (wrong field count, a non-number, an invalid
// date, a time not after the previous row's) is skipped and counted, and the first few errors
// are kept with their line numbers. When more than ParseOptions::max_bad_lines lines are bad,
// the file is refused with the error of the line that crossed the limit. A wrong header is
// refused at once. Rows the dataset itself marks as missing (UCI `?`) are not errors: they are
// counted as `missing` and become a gap in the readings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "simulate/power_source.h"

namespace cw::simulate {

struct ParseOptions {
  std::size_t max_bad_lines = 100;
  std::string zone = "Europe/Paris";  // zone of datasets that log local wall-clock time
  TimeMs untimed_start = 0;           // first timestamp of a format with no timestamps
};

struct ParseReport {
  std::size_t lines = 0;            // data lines or records seen (header excluded, blank lines too)
  std::size_t missing = 0;          // rows the dataset marks as missing
  std::size_t bad = 0;              // malformed rows, skipped
  std::vector<std::string> errors;  // the first kMaxKeptErrors, "line 12: ..."
  static constexpr std::size_t kMaxKeptErrors = 10;
};

struct Recording {
  std::string format;  // "uci", "sebgeek", "citizenwatt", "citizenwatt_json"
  std::vector<PowerSample> samples;
  TimeMs nominal_step_ms = 0;
  ParseReport report;
};

// UCI "Individual household electric power consumption": `;`-separated, d/m/yyyy;hh:mm:ss local
// time, Global_active_power in kW (minute mean), Voltage in V; `?` rows are missing.
Result<Recording> parse_uci(std::string_view text, const ParseOptions& options = {});

// SebGeek teleinfo logger (one daily file): `Date;Price € TTC;Apparent power V.A;Price period`,
// local time with microseconds, PAPP in VA. When the header also names teleinfo index columns
// (BASE, HCHC, HCHP, in Wh), their sum is the meter's energy index.
Result<Recording> parse_sebgeek(std::string_view text, const ParseOptions& options = {});

// CitizenWatt 2014 `sample`: "power_W supply_mV" per line, no timestamps, one line every 5 s
// from options.untimed_start.
Result<Recording> parse_citizenwatt(std::string_view text, const ParseOptions& options = {});

// CitizenWatt 2014 `sample2.json`: {"Serie":[{"measure":W,"battery":mV,"timestamp":s}, ...]}.
// `battery` is kept only when it is a plausible supply (2000-4500 mV) and differs from measure
// (an upstream bug often logged the power there).
Result<Recording> parse_citizenwatt_json(std::string_view text, const ParseOptions& options = {});

// Reads a dataset file, or a folder of files of one format (concatenated in name order),
// recognising the format from the content.
Result<Recording> load_recording(const std::string& path, const ParseOptions& options = {});

}  // namespace cw::simulate
