// Dataset parsers on the real files of /work/shared/data (counts and values from each
// SOURCE.md) and on broken input.
#include "simulate/recording.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "simulate/replay_source.h"

namespace cw::simulate {
namespace {

const std::string kData = CW_SHARED_DATA;

TEST(Uci, RealFileRowsValuesAndGaps) {
  auto rec = load_recording(kData +
                            "/uci_household_power/"
                            "household_power_consumption_2006-12-16_2007-01-19.txt");
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->format, "uci");
  EXPECT_EQ(rec->report.lines, 48424u);
  EXPECT_EQ(rec->report.missing, 5u);
  EXPECT_EQ(rec->report.bad, 0u);
  ASSERT_EQ(rec->samples.size(), 48419u);
  const PowerSample& first = rec->samples.front();
  EXPECT_EQ(first.t, 1166286240000);  // 16/12/2006 17:24:00 Paris = 16:24:00Z
  EXPECT_DOUBLE_EQ(first.power_w, 4216);
  EXPECT_EQ(first.voltage_dv, 2348);                // 234.840 V
  EXPECT_EQ(rec->samples.back().t, 1169191620000);  // 19/1/2007 08:27:00 Paris
  EXPECT_DOUBLE_EQ(rec->samples.back().power_w, 3552);
  double sum = 0;
  for (const auto& s : rec->samples) sum += s.power_w;
  EXPECT_NEAR(sum / double(rec->samples.size()), 1691, 0.5);  // SOURCE.md: mean 1.691 kW
  // The gap of 21/12/2006 11:23-11:24 leaves a 3-minute step between readings.
  int gaps = 0;
  for (std::size_t i = 1; i < rec->samples.size(); ++i)
    gaps += rec->samples[i].t - rec->samples[i - 1].t > kMinuteMs;
  EXPECT_EQ(gaps, 3);  // two 2-row gaps and one 1-row gap
}

TEST(Uci, BrokenLinesAreSkippedAndCountedWithLineNumbers) {
  std::string text =
      "Date;Time;Global_active_power;Global_reactive_power;Voltage;Global_intensity;"
      "Sub_metering_1;Sub_metering_2;Sub_metering_3\r\n"
      "16/12/2006;17:24:00;4.216;0.418;234.840;18.400;0.000;1.000;17.000\r\n"
      "16/12/2006;17:25:00;abc;0.436;233.630;23.000;0.000;1.000;16.000\r\n"    // line 3
      "16/12/2006;17:26:00;5.374;0.498;233.290;23.000\r\n"                     // line 4
      "31/2/2006;17:27:00;5.388;0.502;233.740;23.000;0.000;1.000;17.000\r\n"   // line 5
      "16/12/2006;17:24:00;5.388;0.502;233.740;23.000;0.000;1.000;17.000\r\n"  // line 6
      "16/12/2006;17:28:00;?;?;?;?;?;?;\r\n"
      "16/12/2006;17:29:00;3.666;0.528;235.680;15.800;0.000;1.000;17.000\r\n";
  auto rec = parse_uci(text);
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->samples.size(), 2u);
  EXPECT_EQ(rec->report.bad, 4u);
  EXPECT_EQ(rec->report.missing, 1u);
  ASSERT_EQ(rec->report.errors.size(), 4u);
  EXPECT_EQ(rec->report.errors[0].rfind("line 3:", 0), 0u) << rec->report.errors[0];
  EXPECT_EQ(rec->report.errors[1].rfind("line 4:", 0), 0u) << rec->report.errors[1];
  EXPECT_EQ(rec->report.errors[2].rfind("line 5:", 0), 0u) << rec->report.errors[2];
  EXPECT_NE(rec->report.errors[3].find("line 6: time does not increase"), std::string::npos);

  ParseOptions strict;
  strict.max_bad_lines = 3;
  auto refused = parse_uci(text, strict);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("line 6"), std::string::npos);

  EXPECT_FALSE(parse_uci("Date;Time;Power\n1/1/2007;00:00:00;1\n").is_ok());
  EXPECT_FALSE(parse_uci("").is_ok());
}

TEST(SebGeek, RealFolderOfSixtyOneDays) {
  auto rec = load_recording(kData + "/sebgeek_teleinfo_30s");
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->format, "sebgeek");
  EXPECT_EQ(rec->report.lines, 175680u);
  EXPECT_EQ(rec->report.bad, 0u);
  ASSERT_EQ(rec->samples.size(), 175680u);
  const PowerSample& first = rec->samples.front();
  EXPECT_EQ(first.t, 1509490826697);  // 2017-11-01 00:00:26.697038 Paris
  EXPECT_DOUBLE_EQ(first.power_w, 270);
  EXPECT_TRUE(first.apparent);
  EXPECT_EQ(first.meter_wh, -1);  // this log has no index columns
  EXPECT_EQ(rec->samples.back().t, 1514761196791);
  EXPECT_DOUBLE_EQ(rec->samples.back().power_w, 1080);
  TimeMs max_step = 0;
  for (std::size_t i = 1; i < rec->samples.size(); ++i)
    max_step = std::max(max_step, rec->samples[i].t - rec->samples[i - 1].t);
  EXPECT_LT(max_step, 2 * kMinuteMs);  // SOURCE.md: no gaps over 2 min
}

TEST(SebGeek, BrokenLinesAndMeterIndexColumns) {
  std::string text =
      "Date;Price € TTC;Apparent power V.A;Price period (HC=0, HP=1)\n"
      "2017-11-01 00:00:26.697038;43.36;270;0\n"
      "2017-11-01 00:00:56.768015;43.36;2#0;0\n"  // line 3: serial noise
      "2017-11-01 00:01:26;43.36;260\n"           // line 4: a field short
      "2017-11-0x 00:01:56.000000;43.36;260;0\n"  // line 5
      "2017-11-01 00:02:26.100000;43.37;300;0\n";
  auto rec = parse_sebgeek(text);
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->samples.size(), 2u);
  EXPECT_EQ(rec->report.bad, 3u);
  EXPECT_EQ(rec->report.errors[0].rfind("line 3:", 0), 0u);
  EXPECT_EQ(rec->samples[1].t - rec->samples[0].t, 119403);

  auto indexed = parse_sebgeek(
      "Date;Apparent power V.A;HCHC;HCHP\n"
      "2017-11-01 00:00:26.5;270;1000000;2000000\n"
      "2017-11-01 00:00:56.5;280;1000001;2000000\n");
  ASSERT_TRUE(indexed.is_ok()) << indexed.status().to_string();
  EXPECT_EQ(indexed->samples[0].meter_wh, 3000000);
  EXPECT_EQ(indexed->samples[1].meter_wh, 3000001);
  EXPECT_FALSE(parse_sebgeek("Date;Price\n2017-11-01 00:00:26;1\n").is_ok());
}

TEST(CitizenWatt, RealSampleFile) {
  ParseOptions o;
  o.untimed_start = 1397000000000;
  auto rec = load_recording(kData + "/citizenwatt_sensor_samples/sample", o);
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->format, "citizenwatt");
  ASSERT_EQ(rec->samples.size(), 38075u);
  EXPECT_DOUBLE_EQ(rec->samples.front().power_w, 478);
  EXPECT_EQ(rec->samples.front().supply_mv, 3283);
  EXPECT_EQ(rec->samples.front().t, o.untimed_start);
  EXPECT_DOUBLE_EQ(rec->samples.back().power_w, 175);
  EXPECT_EQ(rec->samples.back().t, o.untimed_start + 38074 * 5 * kSecondMs);
}

TEST(CitizenWatt, RealJsonFile) {
  auto rec = load_recording(kData + "/citizenwatt_sensor_samples/sample2.json");
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->format, "citizenwatt_json");
  ASSERT_EQ(rec->samples.size(), 20175u);
  EXPECT_EQ(rec->samples.front().t, 1397510173000);
  EXPECT_DOUBLE_EQ(rec->samples.front().power_w, 245);
  EXPECT_EQ(rec->samples.front().supply_mv, 0) << "battery == measure: the upstream bug";
  EXPECT_EQ(rec->samples.back().t, 1397620989000);
  EXPECT_DOUBLE_EQ(rec->samples.back().power_w, 81);
  EXPECT_EQ(rec->samples.back().supply_mv, 2903);
}

TEST(CitizenWatt, BrokenRowsAndRecords) {
  auto rec = parse_citizenwatt("478 3283\n477\nx 3283\n477 3283\n");
  ASSERT_TRUE(rec.is_ok());
  EXPECT_EQ(rec->samples.size(), 2u);
  EXPECT_EQ(rec->report.bad, 2u);
  EXPECT_EQ(rec->samples[1].t - rec->samples[0].t, 15 * kSecondMs) << "bad rows keep their slot";
  auto json = parse_citizenwatt_json(
      R"({"Serie":[{"measure":1,"battery":3000,"timestamp":10},{"measure":"x","timestamp":11},)"
      R"({"measure":2,"timestamp":10},{"measure":3,"battery":3000,"timestamp":12}]})");
  ASSERT_TRUE(json.is_ok());
  EXPECT_EQ(json->samples.size(), 2u);
  EXPECT_EQ(json->report.bad, 2u);
  EXPECT_EQ(json->report.errors[0].rfind("record 2:", 0), 0u) << json->report.errors[0];
  EXPECT_FALSE(parse_citizenwatt_json("{\"Serie\": [").is_ok());
  EXPECT_FALSE(parse_citizenwatt_json("[]").is_ok());
}

TEST(LoadRecording, ClearErrorsForMissingOrMixedInput) {
  auto missing = load_recording("/nonexistent/cw-file");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  // The CitizenWatt folder holds two formats: a folder must be one dataset.
  auto mixed = load_recording(kData + "/citizenwatt_sensor_samples");
  ASSERT_FALSE(mixed.is_ok());
  EXPECT_NE(mixed.status().message().find("mixes formats"), std::string::npos);
}

TEST(ReplaySource, PlaysTheRecordingInOrderThenEnds) {
  auto rec = std::make_shared<Recording>();
  rec->samples = {{1000, 5}, {2000, 6}};
  rec->nominal_step_ms = 1000;
  ReplaySource src(rec);
  PowerSample s;
  ASSERT_TRUE(src.next(&s));
  EXPECT_EQ(s.t, 1000);
  ASSERT_TRUE(src.next(&s));
  EXPECT_DOUBLE_EQ(s.power_w, 6);
  EXPECT_FALSE(src.next(&s));
  EXPECT_EQ(src.nominal_step_ms(), 1000);
}

}  // namespace
}  // namespace cw::simulate
