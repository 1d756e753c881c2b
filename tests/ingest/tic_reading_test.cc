// What the real TIC captures mean in the model: registers per period, VA, period, colours.
#include "ingest/tic_reading.h"

#include <gtest/gtest.h>

#include "ingest/register_recorder.h"
#include "input_fixture.h"

namespace cw::ingest {
namespace {

using protocol::tic::Decoder;
using protocol::tic::Frame;

std::vector<Frame> frames_of(const std::vector<std::uint8_t>& bytes) {
  Decoder d;
  std::vector<Frame> out;
  for (auto b : bytes)
    if (d.push(b) == Decoder::Event::kFrame) out.push_back(d.frame());
  return out;
}

const TicRegister* reg(const TicReading& r, const std::string& name) {
  for (const auto& x : r.registers)
    if (x.name == name) return &x;
  return nullptr;
}

TEST(TicReading, TempoMeterInHistoriqueMode) {
  auto frames = frames_of(testing::tic_capture("pyteleinfo_esciara/captured_frames.bin"));
  ASSERT_EQ(frames.size(), 10u);
  auto r = interpret(frames[0]);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->meter_id, "021861348497");
  EXPECT_EQ(r->tariff_option, "BBR(");
  EXPECT_EQ(r->apparent_va, 2840);
  ASSERT_EQ(r->registers.size(), 6u);
  EXPECT_EQ(reg(*r, "BBRHCJB")->period, "tempo_blue_hc");
  EXPECT_EQ(reg(*r, "BBRHCJB")->wh, 18328856);
  EXPECT_EQ(reg(*r, "BBRHPJR")->period, "tempo_red_hp");
  EXPECT_EQ(r->total_wh, 18328856 + 23739545 + 1466099 + 2132883 + 860118 + 844115);
  EXPECT_EQ(r->period, "tempo_blue_hc");
  EXPECT_EQ(r->period_label, "HCJB");
  EXPECT_EQ(r->tomorrow, "red");
  EXPECT_EQ(r->subscribed_a, 30);
  EXPECT_FALSE(r->overload);
  ASSERT_EQ(r->phases.size(), 1u);
  EXPECT_EQ(r->phases[0].current_a, 12);
  EXPECT_EQ(r->phases[0].apparent_va, 2840);
  auto last = interpret(frames[9]);
  EXPECT_EQ(reg(*last, "BBRHCJB")->wh, 18328876);
}

TEST(TicReading, StandardModeFromARealMeter) {
  auto frames = frames_of(
      testing::tic_capture("goteleinfo_test_literal/standard_frame_from_reader_test_go.bin"));
  ASSERT_EQ(frames.size(), 1u);
  auto r = interpret(frames[0]);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->mode, protocol::tic::Mode::kStandard);
  EXPECT_EQ(r->meter_id, "12345678900");
  EXPECT_EQ(r->tariff_option, "HC ET WEEK-END");
  EXPECT_EQ(r->total_wh, 17026175);
  EXPECT_EQ(r->apparent_va, 519);
  EXPECT_EQ(r->subscribed_kva, 9);
  EXPECT_EQ(r->period_label, "HEURE CREUSE");
  EXPECT_EQ(r->period, "hc");
  EXPECT_EQ(r->active_register, 1);
  ASSERT_EQ(r->registers.size(), 10u);
  EXPECT_EQ(reg(*r, "EASF01")->period, "hc");  // the active one is named by LTARF
  EXPECT_EQ(reg(*r, "EASF02")->period, "");
  EXPECT_EQ(reg(*r, "EASF02")->wh, 9236697);
  EXPECT_EQ(r->meter_time, "H191203125805");
  EXPECT_EQ(r->tomorrow, "");
  ASSERT_EQ(r->phases.size(), 1u);
  EXPECT_EQ(r->phases[0].voltage_v, 232);
  EXPECT_EQ(r->phases[0].current_a, 2);
}

TEST(TicReading, EnedisStandardFrameAndItsDamagedTwin) {
  auto good = frames_of(testing::tic_capture("enedis_tic2websocket/ticFrameStandard.txt"));
  auto r = interpret(good.at(0));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->meter_id, "031664001115");
  EXPECT_EQ(r->total_wh, 0);
  EXPECT_EQ(r->period, "");  // "INDEX INACTIF 2": no period
  EXPECT_EQ(r->subscribed_kva, 3);
  auto bad =
      frames_of(testing::tic_capture("enedis_tic2websocket/ticFrameStandard_PCOUP_Invalid.txt"));
  auto b = interpret(bad.at(0));
  ASSERT_TRUE(b.is_ok());  // only PCOUP was lost
  EXPECT_EQ(b->total_wh, 0);
  EXPECT_EQ(b->subscribed_kva, 3);
}

TEST(TicReading, ALostRegisterGroupMeansNoTotal) {
  auto frames = frames_of(testing::tic_capture("pyteleinfo_esciara/captured_frames.bin"));
  Frame f = frames[0];
  for (std::size_t i = 0; i < f.count; ++i)
    if (std::string(f.groups[i].label) == "BBRHPJB") f.groups[i] = f.groups[--f.count];
  auto r = interpret(f);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->registers.size(), 5u);
  EXPECT_FALSE(r->total_wh.has_value());
}

TEST(TicReading, AFrameWithoutMeterOrMeasureIsRefused) {
  Frame f{};
  f.mode = protocol::tic::Mode::kHistorique;
  EXPECT_FALSE(interpret(f).is_ok());
}

TEST(TicReading, PeriodLabels) {
  EXPECT_EQ(period_of_label(" HEURE  CREUSE  "), "hc");
  EXPECT_EQ(period_of_label("HEURE PLEINE"), "hp");
  EXPECT_EQ(period_of_label("HC BLEU"), "tempo_blue_hc");
  EXPECT_EQ(period_of_label("HP ROUGE"), "tempo_red_hp");
  EXPECT_EQ(period_of_label("HEURE PLEINE BLANC"), "tempo_white_hp");
  EXPECT_EQ(period_of_label("BASE"), "base");
  EXPECT_EQ(period_of_label("INDEX INACTIF 2"), "");
}

TEST(RegisterRecorder, KeepsChangesEveryFiveMinutesAndAtEveryPeriodChange) {
  RegisterRecorder rec;
  auto hc = [](std::int64_t wh) { return TicRegister{"HCHC", "hc", wh}; };
  auto hp = [](std::int64_t wh) { return TicRegister{"HCHP", "hp", wh}; };
  auto kept = rec.update({hc(100), hp(500)}, "hc", 0);
  EXPECT_EQ(kept.size(), 2u);                                            // first sight
  EXPECT_TRUE(rec.update({hc(101), hp(500)}, "hc", kMinuteMs).empty());  // too soon
  kept = rec.update({hc(105), hp(500)}, "hc", 5 * kMinuteMs);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0], (store::RegisterReading{"HCHC", "hc", 5 * kMinuteMs, 105}));
  EXPECT_TRUE(rec.update({hc(106), hp(500)}, "hc", 6 * kMinuteMs).empty());
  // The period changes: HCHC's last value is kept at once, HCHP as soon as it moves.
  kept = rec.update({hc(107), hp(500)}, "hp", 7 * kMinuteMs);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].wh, 107);
  kept = rec.update({hc(107), hp(501)}, "hp", 7 * kMinuteMs + 1000);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].name, "HCHP");
  EXPECT_TRUE(rec.update({hc(90), hp(501)}, "hp", 20 * kMinuteMs).empty());  // never back
}

}  // namespace
}  // namespace cw::ingest
