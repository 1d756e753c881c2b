// Accuracy of the sensor's measurement core against a known truth, and against the EmonLib
// algorithms on the same signals (docs/performance.md, "Sensor accuracy"). Every case is run at
// 49.5, 50 and 50.5 Hz with several random start phases and noise seeds, through the modelled
// front end: 10-bit ADC, 0.5 LSB of noise, biases off mid-scale, the clamp leading by 1.5 deg.
//
// CW_ACCURACY_REPORT=FILE writes the tables as Markdown.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "accuracy_harness.h"
#include "firmware/core/energy_register.h"
#include "firmware/core/measurement.h"

namespace cw::firmware::testing {
namespace {

constexpr double kFrequencies[] = {49.5, 50.0, 50.5};
constexpr int kTrials = 6;

struct Stats {
  double worst = 0;  // largest |relative error|
  double sum = 0;    // for the mean (bias)
  int n = 0;
  void add(double e) {
    worst = std::max(worst, std::abs(e));
    sum += e;
    ++n;
  }
  double mean() const { return n ? sum / n : 0; }
};

std::string& report() {
  static std::string r;
  return r;
}

void add_row(const char* kind, double watts, const Stats& ours, const Stats& emon) {
  char line[200];
  std::snprintf(line, sizeof line, "| %s | %.0f | %.2f %% | %+.2f %% | %.2f %% | %+.2f %% |\n",
                kind, watts, 100 * ours.worst, 100 * ours.mean(), 100 * emon.worst,
                100 * emon.mean());
  report() += line;
  std::fputs(line, stdout);
}

class AccuracyEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    const char* path = std::getenv("CW_ACCURACY_REPORT");
    if (path && !report().empty()) std::ofstream(path) << report();
  }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new AccuracyEnvironment);

// Real power of one kind of load at each power, ours and EmonLib's calcVI.
void real_power_table(LoadKind kind, const std::vector<double>& watts, const FrontEnd& fe,
                      const char* title, std::vector<Stats>* ours_out) {
  report() += std::string("\n") + title + "\n\n| load | W | ours: worst | ours: mean | " +
              "EmonLib calcVI: worst | EmonLib: mean |\n|---|---|---|---|---|---|\n";
  for (double w : watts) {
    Stats ours, emon;
    std::uint64_t seed = 1;
    for (double f : kFrequencies)
      for (int t = 0; t < kTrials; ++t) {
        Outcome o = run_vi({{{kind, w}}, f, seed++}, fe);
        ours.add(relative_error(o.ours.real_w, o.true_power));
        emon.add(relative_error(o.emon.real_power, o.true_power));
      }
    add_row(load_kind_name(kind), w, ours, emon);
    ours_out->push_back(ours);
  }
}

const std::vector<double> kAllPowers = {20, 50, 100, 200, 500, 1000, 2000, 3000, 5000, 7000};

// IEC 62053-21 class 1 is +-1 %; the brief asks 1 % from 100 W and 2 % at 50 W.
void expect_class_one(const std::vector<double>& watts, const std::vector<Stats>& ours) {
  for (std::size_t k = 0; k < watts.size(); ++k) {
    if (watts[k] >= 100) {
      EXPECT_LE(ours[k].worst, 0.01) << watts[k] << " W";
    } else if (watts[k] >= 50) {
      EXPECT_LE(ours[k].worst, 0.02) << watts[k] << " W";
    } else {
      EXPECT_LE(ours[k].worst, 0.05) << watts[k] << " W";
    }
  }
}

TEST(SensorAccuracy, ResistiveRealPowerWithinClassOne) {
  std::vector<Stats> ours;
  real_power_table(LoadKind::kResistive, kAllPowers, FrontEnd{}, "Real power, resistive loads",
                   &ours);
  expect_class_one(kAllPowers, ours);
}

TEST(SensorAccuracy, InductiveRealPowerWithinClassOne) {
  // 5 kW at PF 0.7 is 31 A rms, 44 A peak: the reference build clips at 61 A peak.
  const std::vector<double> watts = {20, 50, 100, 200, 500, 1000, 2000, 3000, 5000};
  std::vector<Stats> ours;
  real_power_table(LoadKind::kInductive, watts, FrontEnd{},
                   "Real power, inductive loads (PF 0.7, the clamp leading by 1.5 deg)", &ours);
  expect_class_one(watts, ours);
}

TEST(SensorAccuracy, SwitchedModeRealPowerWithinClassOne) {
  const std::vector<double> watts = {20, 50, 100, 200, 500, 1000, 2000};
  std::vector<Stats> ours;
  real_power_table(LoadKind::kSwitchedMode, watts, FrontEnd{},
                   "Real power, switched-mode loads (rectifier pulses, PF 0.67)", &ours);
  expect_class_one(watts, ours);
}

TEST(SensorAccuracy, DriftingBiasLeavesRealPowerWithinClassOne) {
  FrontEnd fe;
  fe.drift_v_per_s = 0.01;  // 2 counts per second on both channels
  const std::vector<double> watts = {50, 100, 500, 2000};
  std::vector<Stats> ours;
  real_power_table(LoadKind::kResistive, watts, fe,
                   "Real power, resistive, both biases drifting by 10 mV/s", &ours);
  expect_class_one(watts, ours);
}

TEST(SensorAccuracy, CurrentOnlyModeMeasuresIrms) {
  report() +=
      "\nIrms in current-only mode (no voltage channel), ours and EmonLib calcIrms\n\n"
      "| load | W | ours: worst | ours: mean | EmonLib calcIrms: worst | EmonLib: mean |\n"
      "|---|---|---|---|---|---|\n";
  for (LoadKind kind : {LoadKind::kResistive, LoadKind::kSwitchedMode})
    for (double w : {100.0, 500.0, 2000.0}) {
      Stats ours, emon;
      std::uint64_t seed = 1;
      for (double f : kFrequencies)
        for (int t = 0; t < kTrials; ++t) {
          Outcome o = run_current_only({{{kind, w}}, f, seed++}, FrontEnd{});
          EXPECT_TRUE(o.ours.apparent_only);
          EXPECT_EQ(o.ours.vrms, 0);
          EXPECT_NEAR(o.ours.real_w, o.ours.irms * 230, 1e-3 * o.ours.real_w);
          ours.add(relative_error(o.ours.irms, o.true_irms));
          emon.add(relative_error(o.emon.irms, o.true_irms));
        }
      add_row(load_kind_name(kind), w, ours, emon);
      // Noise adds to the rms (it does not to real power): 2 % at 100 W, 1 % from 500 W.
      EXPECT_LE(ours.worst, w < 500 ? 0.02 : 0.01) << load_kind_name(kind) << " " << w;
    }
}

// A household's day, one reading every 4 minutes held for its period: a fridge cycling,
// standby electronics, lights and a TV in the evening, a kettle, an oven, a washing machine.
std::vector<LoadPart> household_at(int minute) {
  std::vector<LoadPart> load = {{LoadKind::kSwitchedMode, 35}, {LoadKind::kResistive, 15}};
  if (minute % 45 < 15) load.push_back({LoadKind::kInductive, 110});  // fridge compressor
  int h = minute / 60;
  if (h >= 7 && h < 8) load.push_back({LoadKind::kResistive, minute % 60 < 4 ? 2200.0 : 60.0});
  if (h >= 12 && h < 13) load.push_back({LoadKind::kResistive, 2500});  // oven
  if (h >= 14 && h < 16) load.push_back({LoadKind::kInductive, minute % 60 < 20 ? 1900.0 : 300.0});
  if (h >= 18 && h < 23) {
    load.push_back({LoadKind::kResistive, 120});    // lights
    load.push_back({LoadKind::kSwitchedMode, 90});  // TV
  }
  return load;
}

TEST(SensorAccuracy, EnergyOverADayWithinHalfAPercent) {
  constexpr int kPeriodMin = 4;
  EnergyRegister ours;
  double truth_wh = 0, emon_wh = 0;
  std::uint64_t seed = 1000;
  for (int minute = 0; minute < 24 * 60; minute += kPeriodMin) {
    double f = kFrequencies[(minute / 7) % 3];
    Outcome o = run_vi({household_at(minute), f, seed++}, FrontEnd{});
    ours.add(round_to_int32(o.ours.real_w * 1000), kPeriodMin * 60000u);
    truth_wh += o.true_power * kPeriodMin / 60.0;
    emon_wh += o.emon.real_power * kPeriodMin / 60.0;
  }
  double ours_wh = ours.wh() + ours.remainder_uj() / 3.6e9;
  double e_ours = relative_error(ours_wh, truth_wh), e_emon = relative_error(emon_wh, truth_wh);
  char line[200];
  std::snprintf(line, sizeof line,
                "\nEnergy over a simulated day (%.0f Wh, a reading every %d min): ours %+.3f %%, "
                "EmonLib calcVI %+.3f %%\n",
                truth_wh, kPeriodMin, 100 * e_ours, 100 * e_emon);
  report() += line;
  std::fputs(line, stdout);
  EXPECT_LE(std::abs(e_ours), 0.005);
  EXPECT_GT(truth_wh, 3000);  // the profile is a real household's day, not a trickle
}

}  // namespace
}  // namespace cw::firmware::testing
