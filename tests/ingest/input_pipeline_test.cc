// Pipeline::submit_input: the second door, for measurements of input sensors.
#include <gtest/gtest.h>

#include "input_fixture.h"
#include "protocol/frame.h"

namespace cw::ingest {
namespace {

class InputPipelineTest : public testing::InputFixture {
 protected:
  SensorId tic() {
    auto id = binder_->sensor_for(store::SensorKind::kTic, "tic:021861348497", "Linky 8497");
    EXPECT_TRUE(id.is_ok()) << id.status().to_string();
    return *id;
  }
  InputMeasurement m(SensorId s, std::int32_t va, std::optional<std::int64_t> wh, TimeMs t = 0) {
    InputMeasurement x;
    x.sensor = s;
    x.power = va;
    x.apparent = true;
    x.energy_wh = wh;
    x.t = t;
    return x;
  }
};

TEST_F(InputPipelineTest, MeterRegisterIsTheEnergyAndPowerIsLabelledApparent) {
  const SensorId s = tic();
  EXPECT_EQ(binder_->sensor_for(store::SensorKind::kTic, "tic:021861348497", "again").value(), s);
  EXPECT_EQ(pipeline_->submit_input(m(s, 2830, 47371462)), Verdict::kAccepted);
  clock_.advance(2000);
  EXPECT_EQ(pipeline_->submit_input(m(s, 2840, 47371464)), Verdict::kAccepted);
  auto got = stored(s);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].energy_wh, 47371462);
  EXPECT_EQ(got[1].energy_wh, 47371464);
  EXPECT_EQ(got[1].power_w, 2840);
  EXPECT_EQ(got[1].counter, 2u);
  auto sensor = store_->sensor(s);
  EXPECT_EQ(sensor->kind, store::SensorKind::kTic);
  EXPECT_TRUE(sensor->state.flags & protocol::kFlagApparentOnly);
  EXPECT_FALSE(sensor->state.flags & kInputFlagEstimated);
}

TEST_F(InputPipelineTest, OwnTimestampsMustMoveForwardAndStayNearNow) {
  const SensorId s = tic();
  const TimeMs now = clock_.now();
  EXPECT_EQ(pipeline_->submit_input(m(s, 100, 10, now - 60000)), Verdict::kAccepted);
  EXPECT_EQ(pipeline_->submit_input(m(s, 100, 10, now - 60000)), Verdict::kReplayed);
  EXPECT_EQ(pipeline_->submit_input(m(s, 100, 10, now - 90000)), Verdict::kReplayed);
  EXPECT_EQ(pipeline_->submit_input(m(s, 100, 10, now + kHourMs)), Verdict::kOutOfRange);
  EXPECT_EQ(pipeline_->submit_input(m(s, 100, 11, now - 30000)), Verdict::kAccepted);
  auto got = stored(s);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].t, now - 60000);
  EXPECT_EQ(store_->sensor(s)->state.frames[Verdict::kReplayed], 2u);
}

TEST_F(InputPipelineTest, ImplausibleValuesAreRefusedAndAResetCarriesOn) {
  const SensorId s = tic();
  EXPECT_EQ(pipeline_->submit_input(m(s, 500000, 10)), Verdict::kOutOfRange);
  EXPECT_EQ(pipeline_->submit_input(m(s, 100, 1000)), Verdict::kAccepted);
  clock_.advance(kMinuteMs);
  EXPECT_EQ(pipeline_->submit_input(m(s, 100, 1000 + 100000)), Verdict::kOutOfRange);
  EXPECT_EQ(pipeline_->submit_input(m(s, 100, 5)), Verdict::kAccepted);  // meter replaced
  clock_.advance(kMinuteMs);
  EXPECT_EQ(pipeline_->submit_input(m(s, 100, 7)), Verdict::kAccepted);
  auto got = stored(s);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].energy_wh, 1000);  // continuous: never back
  EXPECT_EQ(got[2].energy_wh, 1002);
}

TEST_F(InputPipelineTest, PowerOnlyIsIntegratedAndFlaggedEstimated) {
  auto id = binder_->sensor_for(store::SensorKind::kHttp, "emoncms:emontx/power1", "emontx power1");
  ASSERT_TRUE(id.is_ok());
  for (int i = 0; i < 4; ++i) {
    InputMeasurement x;
    x.sensor = *id;
    x.power = 3600;
    EXPECT_EQ(pipeline_->submit_input(x), Verdict::kAccepted);
    clock_.advance(10 * kSecondMs);
  }
  auto got = stored(*id);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].energy_wh, 0);
  EXPECT_EQ(got[3].energy_wh, 30);  // 3600 W for 30 s
  EXPECT_TRUE(store_->sensor(*id)->state.flags & kInputFlagEstimated);
}

TEST_F(InputPipelineTest, RadioSensorsAndUnknownIdsCannotTakeMeasurements) {
  store::NewSensor radio;
  radio.name = "clamp";
  auto r = store_->add_sensor(radio);
  ASSERT_TRUE(pipeline_->reload_sensors().is_ok());
  EXPECT_EQ(pipeline_->submit_input(m(r->id, 100, 1)), Verdict::kWrongVersion);
  EXPECT_EQ(pipeline_->submit_input(m(999, 100, 1)), Verdict::kUnknownSensor);
}

TEST_F(InputPipelineTest, BindingsSurviveAndARemovedSensorIsBoundAgain) {
  const SensorId s = tic();
  ASSERT_TRUE(store_->remove_sensor(s).is_ok());
  auto again = binder_->sensor_for(store::SensorKind::kTic, "tic:021861348497", "Linky 8497");
  ASSERT_TRUE(again.is_ok());
  auto bindings = inputs_->bindings();
  ASSERT_EQ(bindings->size(), 1u);
  EXPECT_EQ((*bindings)[0].sensor, *again);
  EXPECT_EQ(inputs_->bind(store::SensorKind::kTic, "tic:021861348497", 4242).code(),
            Code::kAlreadyExists);
}

TEST(InputStore, ReadingsOnlyGrowPerRegisterAndQueriesFindEdges) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "cw_inputs_XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  {
    auto in = store::open_sqlite_inputs(tmpl + "/db");
    ASSERT_TRUE(in.is_ok());
    auto& s = **in;
    std::vector<store::RegisterReading> r = {
        {"HCHC", "hc", 1000, 10}, {"HCHC", "hc", 2000, 12}, {"HCHP", "hp", 1500, 50}};
    ASSERT_TRUE(s.add_readings(3, r).is_ok());
    ASSERT_TRUE(s.add_readings(3, r).is_ok());  // a replay adds nothing
    EXPECT_EQ(s.readings(3, 0, 10000)->size(), 3u);
    auto last = s.last_readings(3);
    ASSERT_EQ(last->size(), 2u);
    EXPECT_EQ((*last)[0], (store::RegisterReading{"HCHC", "hc", 2000, 12}));
    auto before = s.readings_before(3, 1600);
    ASSERT_EQ(before->size(), 2u);
    EXPECT_EQ((*before)[0].t, 1000);
    EXPECT_EQ((*before)[1].t, 1500);
    std::vector<store::RegisterReading> bad = {{"", "", 5000, 1}};
    EXPECT_EQ(s.add_readings(3, bad).code(), Code::kInvalidArgument);
    ASSERT_TRUE(s.set_meter_status(3, "{\"period\":\"hc\"}", 5).is_ok());
    EXPECT_EQ(*s.meter_status(3), "{\"period\":\"hc\"}");
    EXPECT_EQ(*s.meter_status(4), "");
    ASSERT_TRUE(s.forget_sensor(3).is_ok());
    EXPECT_TRUE(s.last_readings(3)->empty());
  }
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace cw::ingest
