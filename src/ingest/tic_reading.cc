#include "ingest/tic_reading.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <map>

namespace cw::ingest {

namespace {

using protocol::tic::Frame;
using protocol::tic::Group;
using protocol::tic::Mode;

std::optional<std::int64_t> number(const char* s) {
  std::int64_t v = 0;
  const char* end = s + std::strlen(s);
  if (s == end) return std::nullopt;
  auto [p, ec] = std::from_chars(s, end, v);
  // Registers have 9 digits: a longer number is a damaged group (and sums must not overflow).
  if (ec != std::errc() || p != end || v < 0 || v > 999'999'999'999) return std::nullopt;
  return v;
}

std::optional<std::int32_t> small(const char* s) {
  auto v = number(s);
  if (!v || *v > 1'000'000'000) return std::nullopt;
  return static_cast<std::int32_t>(*v);
}

std::string trimmed(const char* s) {
  std::string out;
  bool space = false;
  for (const char* p = s; *p; ++p) {
    if (*p == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
  }
  return out;
}

// Historique index registers and the period each counts.
const std::map<std::string, const char*>& historique_registers() {
  static const std::map<std::string, const char*> m = {{"BASE", "base"},
                                                       {"HCHC", "hc"},
                                                       {"HCHP", "hp"},
                                                       {"EJPHN", "ejp_normal"},
                                                       {"EJPHPM", "ejp_peak"},
                                                       {"BBRHCJB", "tempo_blue_hc"},
                                                       {"BBRHPJB", "tempo_blue_hp"},
                                                       {"BBRHCJW", "tempo_white_hc"},
                                                       {"BBRHPJW", "tempo_white_hp"},
                                                       {"BBRHCJR", "tempo_red_hc"},
                                                       {"BBRHPJR", "tempo_red_hp"}};
  return m;
}

// The registers an OPTARIF has, so a total is given only when none was lost.
std::size_t registers_of_option(const std::string& option) {
  if (option == "BASE") return 1;
  if (option == "HC.." || option == "EJP.") return 2;
  if (option.rfind("BBR", 0) == 0) return 6;
  return 0;  // unknown option: trust what is there
}

const char* ptec_period(const std::string& v) {
  static const std::map<std::string, const char*> m = {{"TH..", "base"},
                                                       {"HC..", "hc"},
                                                       {"HP..", "hp"},
                                                       {"HN..", "ejp_normal"},
                                                       {"PM..", "ejp_peak"},
                                                       {"HCJB", "tempo_blue_hc"},
                                                       {"HPJB", "tempo_blue_hp"},
                                                       {"HCJW", "tempo_white_hc"},
                                                       {"HPJW", "tempo_white_hp"},
                                                       {"HCJR", "tempo_red_hc"},
                                                       {"HPJR", "tempo_red_hp"}};
  auto it = m.find(v);
  return it == m.end() ? "" : it->second;
}

const char* colour_name(unsigned bits) {
  switch (bits & 3) {
    case 1:
      return "blue";
    case 2:
      return "white";
    case 3:
      return "red";
  }
  return "";
}

TicPhase& phase(TicReading& r, std::size_t n) {
  if (r.phases.size() < n) r.phases.resize(n);
  return r.phases[n - 1];
}

// Label "NAME" or "NAME1".."NAME3": the phase number, 0 when the label is not of that family.
std::size_t phase_index(const std::string& label, const char* family) {
  const std::size_t n = std::strlen(family);
  if (label.rfind(family, 0) != 0) return 0;
  if (label.size() == n) return 1;
  if (label.size() == n + 1 && label[n] >= '1' && label[n] <= '3') return label[n] - '0';
  return 0;
}

void read_phase_group(TicReading& r, const std::string& label, const Group& g) {
  if (auto k = phase_index(label, "URMS")) phase(r, k).voltage_v = small(g.value);
  if (auto k = phase_index(label, "IRMS")) phase(r, k).current_a = small(g.value);
  if (auto k = phase_index(label, "IINST")) phase(r, k).current_a = small(g.value);
  if (label.size() == 7 && label.rfind("SINSTS", 0) == 0) {
    if (auto k = phase_index(label, "SINSTS")) phase(r, k).apparent_va = small(g.value);
  }
}

void read_standard(TicReading& r, const std::string& label, const Group& g) {
  if (label == "ADSC") r.meter_id = g.value;
  if (label == "NGTF") r.tariff_option = trimmed(g.value);
  if (label == "SINSTS") r.apparent_va = small(g.value);
  if (label == "EAST") r.total_wh = number(g.value);
  if (label == "PREF") r.subscribed_kva = small(g.value);
  if (label == "DATE") r.meter_time = g.date;
  if (label == "LTARF") r.period_label = trimmed(g.value);
  if (label == "NTARF") r.active_register = static_cast<int>(small(g.value).value_or(0));
  if (label.size() == 6 && label.rfind("EASF", 0) == 0) {
    if (auto v = number(g.value)) r.registers.push_back({label, "", *v});
  }
  if (label == "STGE") {
    unsigned long bits = std::strtoul(g.value, nullptr, 16);
    r.overload = r.overload || (bits & (1ul << 7)) != 0;
    r.tomorrow = colour_name(static_cast<unsigned>(bits >> 26));
  }
}

void read_historique(TicReading& r, const std::string& label, const Group& g) {
  if (label == "ADCO") r.meter_id = g.value;
  if (label == "OPTARIF") r.tariff_option = trimmed(g.value);
  if (label == "PAPP") r.apparent_va = small(g.value);
  if (label == "ISOUSC") r.subscribed_a = small(g.value);
  if (label == "PTEC") r.period_label = trimmed(g.value);
  if (label == "ADPS" || label.rfind("ADIR", 0) == 0) r.overload = true;
  if (label == "DEMAIN") {
    const std::string v = trimmed(g.value);
    r.tomorrow = v == "BLEU" ? "blue" : v == "BLAN" ? "white" : v == "ROUG" ? "red" : "";
  }
  const auto& regs = historique_registers();
  if (auto it = regs.find(label); it != regs.end()) {
    if (auto v = number(g.value)) r.registers.push_back({label, it->second, *v});
  }
}

void finish_standard(TicReading& r) {
  r.period = period_of_label(r.period_label);
  // Only the active register's period is named by the frame (NTARF + LTARF).
  char active[8];
  std::snprintf(active, sizeof active, "EASF%02d", r.active_register);
  for (auto& reg : r.registers)
    if (reg.name == active) reg.period = r.period;
}

void finish_historique(TicReading& r) {
  r.period = ptec_period(r.period_label);
  const std::size_t expected = registers_of_option(r.tariff_option);
  if (r.registers.empty() || (expected && r.registers.size() < expected)) return;
  std::int64_t sum = 0;
  for (const auto& reg : r.registers) sum += reg.wh;
  r.total_wh = sum;
}

}  // namespace

std::string period_of_label(const std::string& label) {
  std::string l = trimmed(label.c_str());
  std::string colour;
  for (const auto& [word, name] : {std::pair{"BLEU", "blue"}, {"BLANC", "white"}, {"ROUGE", "red"}})
    if (l.find(word) != std::string::npos) colour = name;
  const bool hc = l.find("CREUSE") != std::string::npos || l.rfind("HC", 0) == 0;
  const bool hp = l.find("PLEINE") != std::string::npos || l.rfind("HP", 0) == 0;
  if (!colour.empty() && (hc || hp)) return "tempo_" + colour + (hc ? "_hc" : "_hp");
  if (hc) return "hc";
  if (hp) return "hp";
  if (l == "BASE" || l == "TH") return "base";
  return "";
}

Result<TicReading> interpret(const Frame& frame) {
  TicReading r;
  r.mode = frame.mode;
  for (std::size_t i = 0; i < frame.count; ++i) {
    const Group& g = frame.groups[i];
    const std::string label = g.label;
    read_phase_group(r, label, g);
    if (g.mode == Mode::kStandard)
      read_standard(r, label, g);
    else
      read_historique(r, label, g);
  }
  if (r.mode == Mode::kStandard)
    finish_standard(r);
  else
    finish_historique(r);
  if (r.phases.size() == 1 && !r.phases[0].apparent_va) r.phases[0].apparent_va = r.apparent_va;
  if (r.meter_id.empty()) return invalid_argument("TIC frame without a meter address (ADCO/ADSC)");
  if (!r.apparent_va && r.registers.empty() && !r.total_wh)
    return invalid_argument("TIC frame with neither power nor an energy register");
  return r;
}

}  // namespace cw::ingest
