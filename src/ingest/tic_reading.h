// What a TIC frame says, in the model's terms (docs/ecosystem.md, "Linky TIC"): the meter's
// identity, its apparent power (VA, never W), its energy registers per tariff period, the current
// period, Tempo's colour for tomorrow, the subscribed power, overload, and per-phase voltage,
// current and apparent power. Pure: no I/O, fuzzed (fuzz/tic_fuzz.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "protocol/tic.h"

namespace cw::ingest {

struct TicRegister {
  std::string name;    // as on the wire: BASE, HCHC, BBRHPJR, EAST, EASF01...
  std::string period;  // the tariff period it counts (analytics names: base, hc, hp,
                       // tempo_blue_hc...), "" when the frame does not say
  std::int64_t wh = 0;
};

struct TicPhase {
  std::optional<std::int32_t> voltage_v;
  std::optional<std::int32_t> current_a;
  std::optional<std::int32_t> apparent_va;
};

struct TicReading {
  protocol::tic::Mode mode = protocol::tic::Mode::kUnknown;
  std::string meter_id;                     // ADCO (historique) or ADSC (standard)
  std::string tariff_option;                // OPTARIF or NGTF, trimmed
  std::optional<std::int32_t> apparent_va;  // PAPP or SINSTS
  std::vector<TicRegister> registers;       // the tariff-period index registers
  // EAST, or the sum of the historique registers when all that the option has are present;
  // absent when a register's group was lost (the total would be wrong).
  std::optional<std::int64_t> total_wh;
  std::string period;        // current period (analytics name) or "" unknown
  std::string period_label;  // as the meter says it: PTEC "HCJB", LTARF "HEURE CREUSE"
  int active_register = 0;   // standard NTARF: 1..10, 0 unknown
  std::string tomorrow;      // "blue", "white", "red", or "" (not announced)
  std::optional<std::int32_t> subscribed_a;    // ISOUSC
  std::optional<std::int32_t> subscribed_kva;  // PREF
  bool overload = false;                       // ADPS present, or STGE bit 7
  std::vector<TicPhase> phases;                // 1 or 3
  std::string meter_time;                      // standard DATE horodate, "" otherwise
};

// Interprets a decoded frame. invalid_argument when it names no meter or carries neither power
// nor a register (a frame made only of damaged groups).
Result<TicReading> interpret(const protocol::tic::Frame& frame);

// The analytics period of a standard-mode LTARF label ("HEURE  CREUSE " → "hc", "HC BLEU" →
// "tempo_blue_hc"), "" when unknown.
std::string period_of_label(const std::string& label);

}  // namespace cw::ingest
