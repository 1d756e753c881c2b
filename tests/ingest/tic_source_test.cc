// TicSource through a real pseudo-terminal: the test is the meter, writing the real captures to
// the master side; the source opens the slave by path at 7E1.
#include "ingest/tic_source.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "input_fixture.h"

namespace cw::ingest {
namespace {

struct Pty {
  int master = -1;
  std::string slave_path;
  Pty() {
    int slave = -1;
    char name[128];
    if (openpty(&master, &slave, name, nullptr, nullptr) == 0) {
      slave_path = name;
      ::close(slave);
    }
  }
  ~Pty() {
    if (master >= 0) ::close(master);
  }
  void write_all(const std::vector<std::uint8_t>& bytes) const {
    std::size_t at = 0;
    while (at < bytes.size()) {
      ssize_t n = ::write(master, bytes.data() + at, std::min<std::size_t>(64, bytes.size() - at));
      ASSERT_GT(n, 0) << std::strerror(errno);
      at += static_cast<std::size_t>(n);
    }
  }
};

class TicSourceTest : public testing::InputFixture {
 protected:
  SensorId only_sensor() {
    auto list = store_->sensors();
    EXPECT_EQ(list->size(), 1u);
    return list->empty() ? 0 : list->front().id;
  }
};

TEST_F(TicSourceTest, RealTempoCaptureBecomesSamplesRegistersAndStatus) {
  Pty pty;
  ASSERT_GE(pty.master, 0);
  auto uri = parse_source_uri("tic:" + pty.slave_path + "?mode=historique&interval=0");
  ASSERT_TRUE(uri.is_ok()) << uri.status().to_string();
  auto made = make_source(*uri, *pipeline_, binder_.get());
  ASSERT_TRUE(made.is_ok()) << made.status().to_string();
  auto* source = dynamic_cast<TicSource*>(made->get());
  ASSERT_TRUE(source->start().is_ok());
  EXPECT_EQ(source->line(), "1200 7E1");
  EXPECT_EQ(source->applied_line().substr(0, 5), "1200 ");  // a pty keeps the speed, not parity
  pty.write_all(testing::tic_capture("pyteleinfo_esciara/captured_frames.bin"));
  ASSERT_TRUE(eventually([&] { return source->counters().submitted == 10; }));
  const SensorId s = only_sensor();
  auto samples = stored(s);
  ASSERT_EQ(samples.size(), 10u);
  const std::int64_t others = 23739545 + 1466099 + 2132883 + 860118 + 844115;
  EXPECT_EQ(samples.front().energy_wh, 18328856 + others);
  EXPECT_EQ(samples.back().energy_wh, 18328876 + others);
  EXPECT_EQ(samples.front().power_w, 2840);
  EXPECT_EQ(samples.back().power_w, 2850);
  auto sensor = store_->sensor(s);
  EXPECT_EQ(sensor->kind, store::SensorKind::kTic);
  EXPECT_EQ(sensor->name, "Linky 8497");
  // Registers: all six at first sight; later changes within 5 minutes are not kept.
  auto regs = inputs_->last_readings(s);
  ASSERT_EQ(regs->size(), 6u);
  EXPECT_EQ((*regs)[0].name, "BBRHCJB");
  EXPECT_EQ((*regs)[0].period, "tempo_blue_hc");
  auto status = nlohmann::json::parse(*inputs_->meter_status(s));
  EXPECT_EQ(status["period"], "tempo_blue_hc");
  EXPECT_EQ(status["tomorrow"], "red");
  EXPECT_EQ(status["subscribed_a"], 30);
  EXPECT_EQ(source->mode(), protocol::tic::Mode::kHistorique);
  EXPECT_EQ(source->counters().bad_groups, 0u);
  source->stop();
}

TEST_F(TicSourceTest, AutoModeFindsTheStandardMeterAndDropsTheBadGroup) {
  Pty pty;
  TicOptions o;
  o.device = pty.slave_path;
  o.interval_s = 0;
  o.detect_ms = 300;
  TicSource source(o, *binder_);
  ASSERT_TRUE(source.start().is_ok());
  EXPECT_EQ(source.line(), "1200 7E1");
  // Noise for longer than the detection window: the source tries the other speed.
  ASSERT_TRUE(eventually([&] {
    pty.write_all({0x55, 0x13, 0x7F});
    return source.counters().baud_switches >= 1;
  }));
  ASSERT_TRUE(eventually([&] { return source.line() == "9600 7E1"; }));
  pty.write_all(
      testing::tic_capture("goteleinfo_test_literal/standard_frame_from_reader_test_go.bin"));
  pty.write_all(testing::tic_capture("enedis_tic2websocket/ticFrameStandard_PCOUP_Invalid.txt"));
  ASSERT_TRUE(eventually([&] { return source.counters().frames == 2; }));
  EXPECT_EQ(source.mode(), protocol::tic::Mode::kStandard);
  EXPECT_EQ(source.counters().bad_groups, 1u);
  // Two meters: two sensors. The second is added just after its frame is counted: wait for it.
  ASSERT_TRUE(eventually([&] {
    auto list = store_->sensors();
    return list && list->size() == 2u;
  }));
  source.stop();
}

TEST_F(TicSourceTest, BadUrisAndMissingDevicesGetClearErrors) {
  EXPECT_FALSE(parse_source_uri("tic:/dev/ttyUSB0?mode=turbo").is_ok());
  EXPECT_FALSE(parse_source_uri("tic:ttyUSB0").is_ok());
  EXPECT_FALSE(parse_source_uri("tic:/dev/ttyUSB0?interval=-1").is_ok());
  auto ok = parse_source_uri("tic:///dev/ttyUSB0?mode=standard");
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(ok->tic.mode, TicModeOption::kStandard);
  EXPECT_FALSE(make_source(*ok, *pipeline_, nullptr).is_ok());
  TicOptions o;
  o.device = (dir_ / "nope").string();
  TicSource missing(o, *binder_);
  EXPECT_EQ(missing.start().code(), Code::kNotFound);
}

}  // namespace
}  // namespace cw::ingest
