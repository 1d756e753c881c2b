// The real firmware (the ELF `make firmware` builds, what would be flashed) under simavr: it is
// provisioned over its UART with the line protocol, measures a synthetic 2 kW resistive load on
// 230 V mains through the modelled front end, and its radio frames, captured on the SPI bus,
// are decoded with the base's own decoder (protocol + OpenSSL AES-CCM) and the sensor's key,
// then judged by the base's ingest Pipeline into a real SQLite store. A power cycle keeps the
// EEPROM: the frame counter must go on increasing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "avr_sensor.h"
#include "base_bench.h"
#include "protocol/frame.h"
#include "protocol/host/openssl_aead.h"
#include "protocol/nrf24_regs.h"
#include "sensor_session.h"

namespace cw::firmware::testing {
namespace {

void expect_base_radio_settings(const SentPacket& p) {
  using namespace protocol::nrf24;
  EXPECT_EQ(p.channel, kChannel);
  EXPECT_EQ(p.rf_setup, kRfSetup250k);
  EXPECT_EQ(p.config & (kEnCrc | kCrco), kEnCrc | kCrco);  // 2-byte CRC
  EXPECT_TRUE(p.feature & kEnDpl);
  EXPECT_TRUE(p.dynpd & 0x01);
  EXPECT_TRUE(p.en_aa & 0x01);  // waits for the base's acknowledgement
  EXPECT_EQ(std::vector<std::uint8_t>(p.address.begin(), p.address.end()),
            std::vector<std::uint8_t>(kDefaultAddress, kDefaultAddress + 5));
}

constexpr std::size_t kStackMargin = 128;  // bytes of RAM the stack must never reach

std::size_t received(const AvrSensor& s) {
  return s.radio().received_count();
}

TEST(FirmwareUnderSimavr, ProvisionedOverSerialItSendsSealedMeasurementsOfTheRightPower) {
  AvrSensor s(CW_FIRMWARE_ELF, {}, current_pin_mv, voltage_pin_mv);
  ASSERT_TRUE(s.run_until([] { return false; }, 0.05) == false);  // boots, waits provisioning
  s.uart_send("\n");
  EXPECT_EQ(command(s, "HELLO"), "OK HELLO CWPROV=1 FW=1.0");
  EXPECT_EQ(command(s, "SET ID 42"), "OK ID 42");
  EXPECT_EQ(command(s, "SET KEY " + key_hex()), "OK KEY");
  EXPECT_EQ(command(s, "SET ADDR e056d446d0"), "OK ADDR e056d446d0");
  EXPECT_EQ(command(s, "SET CAL 1 281111"), "OK CAL 1 281111");
  EXPECT_EQ(command(s, "SET ID 0"), "ERR 6 id must be 1..65535");  // refused, nothing changes
  EXPECT_EQ(command(s, "COMMIT"), "OK COMMIT");
  std::string info = command(s, "INFO");
  EXPECT_EQ(info.rfind("OK INFO FW=1.0 ID=42 ADDR=e056d446d0 KEY=1 CTR=", 0), 0u) << info;
  EXPECT_NE(info.find("CAL=0,281111,0,0"), std::string::npos) << info;
  EXPECT_EQ(info.find("5a17c0ff"), std::string::npos);  // the key is never sent back
  std::string measure = command(s, "MEASURE");
  EXPECT_EQ(measure.rfind("OK MEASURE V=", 0), 0u) << measure;

  // Hello, then three measurements 10 s apart.
  ASSERT_TRUE(s.run_until([&] { return received(s) >= 4; }, 60))
      << received(s) << " frames; RF_CH " << int(s.radio().reg(protocol::nrf24::kRfCh))
      << " CONFIG " << int(s.radio().reg(protocol::nrf24::kConfig)) << " " << measure;
  std::vector<Decoded> d;
  for (const auto& p : s.radio().received()) {
    expect_base_radio_settings(p);
    d.push_back(decode(p));
  }
  ASSERT_TRUE(d[0].hello);
  EXPECT_EQ(d[0].h.period_s, 10);
  EXPECT_EQ(d[0].h.firmware_version, 0x0100);
  for (std::size_t k = 1; k < d.size(); ++k) {
    EXPECT_EQ(d[k].header.sensor_id, 42);
    EXPECT_GT(d[k].header.counter, d[k - 1].header.counter);
    EXPECT_FALSE(d[k].hello);
    EXPECT_NEAR(d[k].m.power_w, kWatts, 0.02 * kWatts) << k;
    EXPECT_NEAR(d[k].m.voltage_dv, 2300, 23) << k;
    EXPECT_NEAR(d[k].m.supply_mv, 5000, 50) << k;
    EXPECT_EQ(d[k].m.flags, k == 1 ? protocol::kFlagReboot : 0) << k;
  }
  // Energy grows by power x period: 2 kW for 20 s is 11.1 Wh.
  auto r = s.radio().received();
  double span_s = r[3].at_s - r[1].at_s;
  double grown = double(d[3].m.energy_wh) - double(d[1].m.energy_wh);
  EXPECT_NEAR(grown, kWatts * span_s / 3600, 1.5) << span_s;
  EXPECT_NEAR(span_s, 20, 1.0);  // the watchdog period is measured against the crystal
  // Between measurements it sleeps in power-down, on the watchdog.
  double since_hello = s.now_s() - r[0].at_s;
  EXPECT_GT(s.power_down_s(), 0.75 * since_hello)
      << s.power_down_s() << " idle " << s.idle_s() << " of " << since_hello;
  // The stack never came closer than kStackMargin to .bss, through provisioning, MEASURE,
  // sealing frames and the radio.
  std::printf("RAM: %zu bytes free at boot, %zu never used\n", s.ram_free_at_boot(),
              s.ram_never_used());
  EXPECT_GE(s.ram_never_used(), kStackMargin) << s.ram_free_at_boot() << " free at boot";
}

// The base's side, whole: the frames the radio got go through the ingest Pipeline into a
// SQLite store, before and after a power cycle of the sensor (a new chip, the same EEPROM).
TEST(FirmwareUnderSimavr, ItsFramesAreAcceptedByTheBaseAndStoredAcrossAPowerCycle) {
  BaseBench base(42, kKey);
  std::vector<std::uint8_t> eeprom;
  std::uint32_t last_counter = 0;
  TimeMs boot_at = kBaseEpoch;
  {
    AvrSensor s(CW_FIRMWARE_ELF, {}, current_pin_mv, voltage_pin_mv);
    provision(s, 42);
    ASSERT_TRUE(s.run_until([&] { return received(s) >= 4; }, 60)) << received(s);
    for (const auto& p : s.radio().received()) {
      expect_base_radio_settings(p);  // provisioned without SET ADDR: the default address
      EXPECT_EQ(base.receive(p.payload, boot_at + seconds_to_ms(p.at_s)), Verdict::kAccepted);
    }
    last_counter = decode(s.radio().received().back()).header.counter;
    eeprom = s.eeprom();
    boot_at += seconds_to_ms(s.now_s()) + 2000;  // unplugged for 2 s
  }
  auto before = base.samples();
  ASSERT_EQ(before.size(), 3u);  // the hello frame carries no sample
  for (const auto& x : before) EXPECT_NEAR(x.power_w, kWatts, 0.02 * kWatts);
  double span_h = double(before[2].t - before[0].t) / kHourMs;
  EXPECT_NEAR(double(before[2].energy_wh - before[0].energy_wh), kWatts * span_h, 1.5);

  AvrSensor again(CW_FIRMWARE_ELF, eeprom, current_pin_mv, voltage_pin_mv);
  ASSERT_TRUE(again.run_until([&] { return received(again) >= 3; }, 40)) << received(again);
  auto r = again.radio().received();
  Decoded hello = decode(r[0]);
  EXPECT_TRUE(hello.hello);
  EXPECT_GT(hello.header.counter, last_counter);  // never a counter the base has seen
  EXPECT_EQ(decode(r[1]).m.flags & protocol::kFlagReboot, protocol::kFlagReboot);
  for (const auto& p : r)
    EXPECT_EQ(base.receive(p.payload, boot_at + seconds_to_ms(p.at_s)), Verdict::kAccepted);

  auto all = base.samples();
  ASSERT_EQ(all.size(), 5u);
  for (std::size_t k = 1; k < all.size(); ++k) {
    EXPECT_GT(all[k].counter, all[k - 1].counter) << k;
    EXPECT_GE(all[k].energy_wh, all[k - 1].energy_wh) << k;  // the register restarted; not this
    EXPECT_NEAR(all[k].power_w, kWatts, 0.02 * kWatts) << k;
  }
  EXPECT_NEAR(double(all[4].energy_wh - all[3].energy_wh),
              kWatts * double(all[4].t - all[3].t) / kHourMs, 1.5);
  store::Sensor st = base.sensor();
  EXPECT_EQ(st.state.frames[Verdict::kAccepted], 7u);  // 2 hellos, 5 measurements
  EXPECT_EQ(st.state.frames[Verdict::kReplayed], 0u);
  EXPECT_EQ(st.state.frames[Verdict::kForged], 0u);
  EXPECT_EQ(st.state.last_counter, decode(r.back()).header.counter);
  EXPECT_EQ(st.state.voltage_dv, decode(r.back()).m.voltage_dv);
}

// The reboot flag tells the base that the energy register restarted: it stays on every frame
// until the base has acknowledged one, so losing the first frames on the air loses nothing.
TEST(FirmwareUnderSimavr, TheRebootFlagStaysOnUntilTheBaseAcknowledgesAFrame) {
  AvrSensor s(CW_FIRMWARE_ELF, {}, current_pin_mv, voltage_pin_mv);
  provision(s, 42, 2);     // a 2 s period
  s.radio().lose_next(3);  // the hello and two measurements
  ASSERT_TRUE(s.run_until([&] { return received(s) >= 2; }, 30)) << received(s);
  const auto& all = s.radio().sent();
  ASSERT_EQ(all.size(), 5u);
  std::vector<Decoded> d;
  for (const auto& p : all) d.push_back(decode(p));
  EXPECT_TRUE(d[0].hello);
  for (std::size_t k = 1; k < d.size(); ++k)
    EXPECT_GT(d[k].header.counter, d[k - 1].header.counter);
  EXPECT_FALSE(all[2].acked);
  EXPECT_EQ(d[2].m.flags & protocol::kFlagReboot, protocol::kFlagReboot);
  EXPECT_TRUE(all[3].acked);
  EXPECT_EQ(d[3].m.flags & protocol::kFlagReboot, protocol::kFlagReboot);
  EXPECT_EQ(d[4].m.flags & protocol::kFlagReboot, 0);
  EXPECT_NEAR(all[4].at_s - all[3].at_s, 2, 0.6);
}

// The watchdog's RC oscillator is measured against the crystal. Within its plausible range
// the sensor sleeps in power-down on it and keeps its period; a watchdog too slow to trust (or
// one that never interrupts) is not waited for: the sensor sleeps on the crystal instead.
struct WatchdogCase {
  const char* name;
  double speed;
  bool trusted;
};
void PrintTo(const WatchdogCase& c, std::ostream* os) {
  *os << c.name << " (watchdog x" << c.speed << ")";
}
class FirmwareWatchdog : public ::testing::TestWithParam<WatchdogCase> {};

TEST_P(FirmwareWatchdog, ThePeriodHoldsWhateverTheWatchdogsSpeed) {
  AvrSensor::Options o;
  o.watchdog_speed = GetParam().speed;
  AvrSensor s(CW_FIRMWARE_ELF, {}, current_pin_mv, voltage_pin_mv, o);
  provision(s, 42);
  ASSERT_TRUE(s.run_until([&] { return received(s) >= 4; }, 60)) << received(s);
  auto r = s.radio().received();
  for (std::size_t k = 2; k < r.size(); ++k) EXPECT_NEAR(r[k].at_s - r[k - 1].at_s, 10, 0.6) << k;
  EXPECT_NEAR(decode(r.back()).m.power_w, kWatts, 0.02 * kWatts);
  double since_hello = s.now_s() - r[0].at_s;
  if (GetParam().trusted) {
    EXPECT_GT(s.power_down_s(), 0.75 * since_hello) << s.power_down_s();
  } else {
    EXPECT_EQ(s.power_down_s(), 0);
    EXPECT_GT(s.idle_s(), 0.75 * since_hello) << s.idle_s();
  }
}

INSTANTIATE_TEST_SUITE_P(Speeds, FirmwareWatchdog,
                         ::testing::Values(WatchdogCase{"Slow15Percent", 0.85, true},
                                           WatchdogCase{"Fast15Percent", 1.15, true},
                                           WatchdogCase{"HalfSpeed", 0.5, false},
                                           WatchdogCase{"Period20s", 0.05, false}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace cw::firmware::testing
