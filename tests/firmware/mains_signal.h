// Synthetic mains voltage and load currents with a known truth, for the accuracy tests of the
// measurement core: a slightly distorted mains voltage (3rd and 5th harmonics, as on a real
// grid) and loads that are resistive, inductive (lagging fundamental) or switched-mode
// (capacitor-input rectifier: current pulses at the voltage peaks, rich in odd harmonics).
//
// Each signal is a sum of harmonics held as phasors (x(t) = sum Im(X_h e^{i h w t})), so the
// truth is exact: Vrms^2 = sum |V_h|^2 / 2, real power = sum Re(V_h conj(I_h)) / 2.
#pragma once

#include <array>
#include <complex>
#include <vector>

namespace cw::firmware::testing {

enum class LoadKind { kResistive, kInductive, kSwitchedMode };
const char* load_kind_name(LoadKind k);

struct LoadPart {
  LoadKind kind;
  double watts;  // real power the part draws from this mains
};

class MainsSignal {
 public:
  static constexpr int kOrders = 40;  // harmonics 1..39
  using Spectrum = std::array<std::complex<double>, kOrders>;

  // vrms: the fundamental's rms; distortion adds 3rd (1 %) and 5th (2.5 %) harmonics.
  MainsSignal(double frequency_hz, double vrms, const std::vector<LoadPart>& load);

  double voltage(double t) const { return eval(v_, t); }
  double current(double t) const { return eval(i_, t); }

  double frequency() const { return f_; }
  double true_vrms() const;
  double true_irms() const;
  double true_power() const;

 private:
  double eval(const Spectrum& s, double t) const;
  Spectrum part_current(LoadKind kind) const;

  double f_;
  double w_;
  Spectrum v_{};
  Spectrum i_{};
};

}  // namespace cw::firmware::testing
