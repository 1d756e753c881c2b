// `citizenwatt sensor calibrate` against a sensor on a pseudo-terminal whose MEASURE command
// models a front end the command knows nothing of: a 2 kW resistive load on 231 V mains seen
// through a clamp, a burden and a divider whose true gains and phase differ from the reference
// build's. Calibration must find them, write them, and leave a sensor that reads the load.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "firmware/core/calibration.h"
#include "process.h"
#include "protocol/frame.h"
#include "pty_sensor.h"

namespace cw::testing {
namespace {

namespace pv = protocol::provision;
using namespace std::chrono_literals;
constexpr double kPi = 3.14159265358979323846;

struct Truth {
  double load_w = 2000, mains_v = 231;
  double current_gain = 25100;   // A per V at the pin x 1000 (the reference build says 24390)
  double voltage_gain = 276000;  // V per V at the pin x 1000 (CAL 1 says 281111)
  double phase_mdeg = 1500;      // the CAL 2 that cancels the clamp's phase lead
  double noise = 0.0005;         // relative, per window
  bool ignores_cal = false;      // a broken sensor: its readings never change
};

// What MEASURE reports for the truth, measured with the persisted calibration.
class FrontEnd final : public pv::CommandHandler {
 public:
  explicit FrontEnd(Truth t) : t_(t) {}
  void attach(PtySensor* s) { sensor_ = s; }
  int measures() const { return measures_; }

  // The reading with calibration values cal, as the firmware scales it.
  pv::Measure read(const std::int32_t cal[4]) {
    static const std::int32_t kInitial[4] = {0, 281111, 0, 0};
    firmware::Calibration c = firmware::calibration_from(t_.ignores_cal ? kInitial : cal);
    double wobble = 1 + t_.noise * std::sin(++measures_ * 2.3);
    double i = t_.load_w / t_.mains_v * c.current_gain / t_.current_gain * wobble;
    double v = c.has_voltage() ? t_.mains_v * c.voltage_gain / t_.voltage_gain : 0;
    double s = v > 0 ? v * i : i * 230;
    double p = v > 0 ? s * std::cos((t_.phase_mdeg - c.phase_mdeg) / 1000 * kPi / 180) : s;
    pv::Measure m;
    m.vrms_cv = static_cast<std::uint32_t>(std::lround(v * 100));
    m.irms_ma = static_cast<std::uint32_t>(std::lround(i * 1000));
    m.real_dw = static_cast<std::int32_t>(std::lround(p * 10));
    m.apparent_dva = static_cast<std::uint32_t>(std::lround(s * 10));
    m.pf_milli = static_cast<std::int32_t>(std::lround(1000 * p / s));
    m.hz_centi = 5000;
    m.supply_mv = 5000;
    m.flags = v > 0 ? 0 : protocol::kFlagApparentOnly;
    return m;
  }

  std::size_t handle(const pv::Token* t, std::size_t n, pv::LineWriter& w) override {
    if (n != 1 || !pv::token_is(t[0], "MEASURE")) return 0;
    pv::write_measure(read(sensor_->stored_while_locked().calibration), w.str("OK "));
    return w.finish();
  }

 private:
  Truth t_;
  PtySensor* sensor_ = nullptr;
  int measures_ = 0;
};

// A provisioned sensor with the reference build's calibration (voltage channel wired).
struct Bench {
  explicit Bench(Truth t = {}, std::int32_t voltage_cal = 281111) : front(t), sensor({}, &front) {
    front.attach(&sensor);
    sensor.configure([&](auto& st) {
      st.stored.sensor_id = 5;
      st.stored.key_set = true;
      st.stored.key[0] = 1;
      st.stored.calibration[1] = voltage_cal;
    });
  }
  RunResult calibrate(std::vector<std::string> extra, const std::string& stdin_text = "") {
    std::vector<std::string> args = {"sensor",      "calibrate", "--port",
                                     sensor.path(), "--windows", "3"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args, stdin_text, 60s);
  }
  const std::int32_t* cal() { return saved.calibration; }
  void refresh() { saved = sensor.storage().stored; }

  FrontEnd front;
  PtySensor sensor;
  pv::Settings saved;
};

double reads_w(Bench& b) {
  b.refresh();
  return b.front.read(b.cal()).real_dw / 10.0;
}

TEST(IntegrationCalibrate, WithAMultimeterItFindsTheTrueGainsAndPhase) {
  Bench b;
  auto r = b.calibrate({"--reference-w", "2000", "--reference-v", "231"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  b.refresh();
  EXPECT_NEAR(b.cal()[1], 276000, 276);  // 0.1 %
  EXPECT_NEAR(b.cal()[0], 25100, 50);    // 0.2 %
  EXPECT_NEAR(b.cal()[2], 1500, 100);    // fitted through P / S at three phases
  EXPECT_EQ(b.cal()[3], 0);              // the period is not calibration's business
  EXPECT_NEAR(reads_w(b), 2000, 2000 * 0.003);
  EXPECT_NE(r.out.find("calibration written"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CAL 0 current gain: 0 -> "), std::string::npos) << r.out;
}

TEST(IntegrationCalibrate, WithoutAMultimeterThePowerIsRightAndTheVoltageGainKept) {
  Bench b;
  auto r = b.calibrate({"--reference-w", "2000"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  b.refresh();
  EXPECT_EQ(b.cal()[1], 281111);
  EXPECT_NEAR(reads_w(b), 2000, 2000 * 0.003);
  EXPECT_NE(r.out.find("from the reference"), std::string::npos) << r.out;
}

TEST(IntegrationCalibrate, AsksForTheReferencePowerWhenNotGiven) {
  Bench b;
  auto r = b.calibrate({}, "2000\n\n");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Power of the reference load, in W"), std::string::npos) << r.out;
  EXPECT_NEAR(reads_w(b), 2000, 2000 * 0.003);
  Bench none;
  auto bad = none.calibrate({}, "a kettle\n");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("not a power"), std::string::npos) << bad.err;
  EXPECT_EQ(none.sensor.storage().saves, 0);
}

TEST(IntegrationCalibrate, CurrentOnlyScalesTheCurrentGainAndTriesNoPhase) {
  Bench b({}, 0);
  auto r = b.calibrate({"--reference-w", "2000"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  b.refresh();
  EXPECT_EQ(b.cal()[1], 0);
  EXPECT_EQ(b.cal()[2], 0);
  EXPECT_NEAR(reads_w(b), 2000, 2000 * 0.003);
  EXPECT_EQ(r.out.find(" deg: PF"), std::string::npos) << r.out;  // no phase trial
  EXPECT_EQ(b.sensor.storage().saves, 1);
}

TEST(IntegrationCalibrate, ADryRunWritesNothing) {
  Bench b;
  auto r = b.calibrate({"--reference-w", "2000", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("would write CAL 0 = "), std::string::npos) << r.out;
  EXPECT_EQ(b.sensor.storage().saves, 0);
}

TEST(IntegrationCalibrate, WhatCannotBeCalibratedChangesNothing) {
  Truth unsteady;
  unsteady.noise = 0.05;
  Bench b(unsteady);
  auto r = b.calibrate({"--reference-w", "2000"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not steady"), std::string::npos) << r.err;
  EXPECT_EQ(b.sensor.storage().saves, 0);

  Truth wrong_load;
  wrong_load.load_w = 700;  // the user said 2000: the gain would be 2.9 times off
  Bench w(wrong_load);
  r = w.calibrate({"--reference-w", "2000"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("wiring"), std::string::npos) << r.err;
  EXPECT_EQ(w.sensor.storage().saves, 0);

  Bench fresh;
  fresh.sensor.configure([](auto& st) { st.stored.sensor_id = 0; });
  r = fresh.calibrate({"--reference-w", "2000"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not provisioned"), std::string::npos) << r.err;
  EXPECT_EQ(fresh.sensor.storage().saves, 0);

  Bench idle;
  r = idle.calibrate({"--reference-w", "50"});  // refused before the port is opened
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("between 300 and 9000 W"), std::string::npos) << r.err;
  EXPECT_EQ(idle.sensor.lines_received(), 0);
}

TEST(IntegrationCalibrate, ASensorThatDoesNotFollowItsCalibrationFailsTheCheck) {
  Truth broken;
  broken.ignores_cal = true;
  Bench b(broken);
  auto r = b.calibrate({"--reference-w", "2000", "--reference-v", "231"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("off after calibration"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cw::testing
