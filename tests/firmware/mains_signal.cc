#include "mains_signal.h"

#include <cmath>

namespace cw::firmware::testing {

namespace {

constexpr double kPi = 3.14159265358979323846;
using Spectrum = MainsSignal::Spectrum;

// Fourier series of a capacitor-input rectifier's current: a pulse of width 0.35 rad around
// each voltage peak, alternating in sign (odd harmonics only). Computed once.
const Spectrum& rectifier_pulses() {
  static const Spectrum s = [] {
    Spectrum out{};
    const int n = 4096;
    const double sigma = 0.35;
    for (int h = 1; h < MainsSignal::kOrders; h += 2) {
      std::complex<double> c = 0;
      for (int k = 0; k < n; ++k) {
        double th = 2 * kPi * k / n;
        double d = std::remainder(th - kPi / 2, kPi);  // distance to the nearest peak
        double g = (std::sin(th) >= 0 ? 1 : -1) * std::exp(-d * d / (2 * sigma * sigma));
        // x = Im(X e^{i h th}) = a sin + b cos with X = a + i b
        c += std::complex<double>(g * std::sin(h * th), g * std::cos(h * th));
      }
      out[h] = c * (2.0 / n);
    }
    return out;
  }();
  return s;
}

double real_power(const Spectrum& v, const Spectrum& i) {
  double p = 0;
  for (int h = 1; h < MainsSignal::kOrders; ++h) p += (v[h] * std::conj(i[h])).real() / 2;
  return p;
}

double rms(const Spectrum& s) {
  double sq = 0;
  for (int h = 1; h < MainsSignal::kOrders; ++h) sq += std::norm(s[h]) / 2;
  return std::sqrt(sq);
}

}  // namespace

const char* load_kind_name(LoadKind k) {
  switch (k) {
    case LoadKind::kResistive:
      return "resistive";
    case LoadKind::kInductive:
      return "inductive PF 0.7";
    case LoadKind::kSwitchedMode:
      return "switched-mode";
  }
  return "?";
}

MainsSignal::MainsSignal(double frequency_hz, double vrms, const std::vector<LoadPart>& load)
    : f_(frequency_hz), w_(2 * kPi * frequency_hz) {
  double vp = vrms * std::sqrt(2.0);
  v_[1] = vp;
  v_[3] = std::polar(0.01 * vp, 0.3);
  v_[5] = std::polar(0.025 * vp, kPi);
  for (const auto& part : load) {
    Spectrum s = part_current(part.kind);
    double p = real_power(v_, s);
    for (int h = 1; h < kOrders; ++h) i_[h] += s[h] * (part.watts / p);
  }
}

Spectrum MainsSignal::part_current(LoadKind kind) const {
  Spectrum s{};
  switch (kind) {
    case LoadKind::kResistive:  // the current follows the voltage, harmonics included
      s = v_;
      break;
    case LoadKind::kInductive: {  // R-L: fundamental lags 45.6 deg (PF 0.7)
      double x = std::tan(std::acos(0.7));
      for (int h = 1; h < kOrders; ++h) s[h] = v_[h] / std::complex<double>(1.0, h * x);
      break;
    }
    case LoadKind::kSwitchedMode:
      s = rectifier_pulses();
      break;
  }
  return s;
}

double MainsSignal::eval(const Spectrum& s, double t) const {
  std::complex<double> z = std::polar(1.0, w_ * t), zh = z;
  double x = 0;
  for (int h = 1; h < kOrders; ++h, zh *= z)
    if (s[h] != 0.0) x += (s[h] * zh).imag();
  return x;
}

double MainsSignal::true_vrms() const {
  return rms(v_);
}
double MainsSignal::true_irms() const {
  return rms(i_);
}
double MainsSignal::true_power() const {
  return real_power(v_, i_);
}

}  // namespace cw::firmware::testing
