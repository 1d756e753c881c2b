#include "accuracy_harness.h"

#include <cmath>
#include <functional>
#include <random>

namespace cw::firmware::testing {

namespace {

constexpr double kSupplyMv = 5000;

double random_phase_time(std::uint64_t seed, double f) {
  std::mt19937_64 rng(seed * 7919 + 17);
  return std::uniform_real_distribution<double>(0, 1 / f)(rng);
}

// Feeds our core pairs from t0 until a window completes.
Reading run_ours(const MainsSignal& s, const FrontEnd& fe, const Calibration& cal,
                 std::uint64_t seed, double t0) {
  Sampler sampler(s, fe, seed);
  MeterSetup setup = firmware_setup();
  PowerMeter meter;
  meter.begin(setup, cal);
  meter.set_supply_mv(static_cast<std::uint16_t>(kSupplyMv));
  double period = setup.pair_period_us * 1e-6, skew = setup.skew_us * 1e-6;
  int limit = (2 * setup.cycles + 4) * 400;  // the settling window, then ours
  for (int k = 0; k < limit; ++k) {
    double t = t0 + k * period;
    std::uint16_t i = sampler.current(t);
    if (meter.add(i, sampler.voltage(t + skew)) && meter.reading().settled) return meter.reading();
  }
  return Reading{};
}

EmonLibBaseline make_emon(Sampler& sampler, const FrontEnd& fe, double* clock, bool voltage) {
  MeterSetup setup = firmware_setup();
  double period = setup.pair_period_us * 1e-6, skew = setup.skew_us * 1e-6;
  // EmonLib reads V then I. The ideal PHASECAL brings the voltage to the current's instant and
  // removes the clamp's lead: the best its user could calibrate.
  double lead = fe.current_lead_deg / (360.0 * 50.0);
  double phasecal = 1 + (skew + lead) / period;
  auto read_v = [&sampler, clock] { return int(sampler.voltage(*clock)); };
  auto read_i = [&sampler, clock, skew, period, voltage] {
    int i = int(sampler.current(*clock + (voltage ? skew : 0)));
    *clock += period;
    return i;
  };
  return EmonLibBaseline(read_v, read_i, fe.voltage_gain, fe.current_gain, phasecal, kSupplyMv);
}

}  // namespace

MeterSetup firmware_setup() {
  MeterSetup s;
  s.pair_period_us = 125;
  s.skew_us = 55;
  s.cycles = 25;
  return s;
}

Calibration calibration_for(const FrontEnd& fe, bool voltage) {
  Calibration c;
  c.current_gain = static_cast<std::int32_t>(std::lround(fe.current_gain * 1000));
  c.voltage_gain = voltage ? static_cast<std::int32_t>(std::lround(fe.voltage_gain * 1000)) : 0;
  c.phase_mdeg = static_cast<std::int32_t>(std::lround(fe.current_lead_deg * 1000));
  return c;
}

double relative_error(double measured, double truth) {
  return (measured - truth) / truth;
}

namespace {

// The truth and our reading of one case, and EmonLib on the same signal, warmed up by two runs
// of `emon_run` (its DC filters settle) before the one that counts.
Outcome run_case(const CaseSpec& c, const FrontEnd& fe, bool voltage,
                 const std::function<EmonResult(EmonLibBaseline&)>& emon_run) {
  MainsSignal s(c.frequency_hz, 230, c.load);
  Outcome o{s.true_power(), s.true_irms(), s.true_vrms(), {}, {}};
  double t0 = random_phase_time(c.seed, c.frequency_hz);
  o.ours = run_ours(s, fe, calibration_for(fe, voltage), c.seed, t0);
  Sampler sampler(s, fe, c.seed ^ 0x5eed);
  double clock = t0;
  EmonLibBaseline emon = make_emon(sampler, fe, &clock, voltage);
  for (int warm = 0; warm < 2; ++warm) emon_run(emon);
  o.emon = emon_run(emon);
  return o;
}

}  // namespace

Outcome run_vi(const CaseSpec& c, const FrontEnd& fe) {
  int crossings = 2 * firmware_setup().cycles;
  return run_case(c, fe, true, [&](EmonLibBaseline& e) { return e.calc_vi(crossings, 16000); });
}

Outcome run_current_only(const CaseSpec& c, const FrontEnd& fe) {
  int samples = firmware_setup().cycles * 160;  // our window's length at 50 Hz
  Outcome o = run_case(c, fe, false, [&](EmonLibBaseline& e) { return e.calc_irms(samples); });
  o.emon.apparent_power = o.emon.irms * 230;
  return o;
}

}  // namespace cw::firmware::testing
