// The nRF24L01+ driver and source against a register-level emulated radio (nrf24_emulator.h):
// over-the-air packets injected into the emulator must reach a real Pipeline and SQLite store,
// and the registers the driver wrote must be exactly the CitizenWatt network's configuration.
#include "ingest/nrf24_source.h"

#include <gtest/gtest.h>

#include "ingest/nrf24_radio.h"
#include "ingest/nrf24_regs.h"
#include "nrf24_emulator.h"
#include "radio_fixture.h"

namespace cw::ingest {
namespace {

using namespace nrf24;
using testing::AirPacket;
using testing::Nrf24Emulator;
using testing::RadioFixture;

Nrf24Opener emulated(Nrf24Emulator& emu) {
  return [&emu](const Nrf24Options&) -> Result<Nrf24Hardware> {
    return Nrf24Hardware{std::make_unique<Nrf24Emulator::Spi>(emu),
                         std::make_unique<Nrf24Emulator::Ce>(emu)};
  };
}

class Nrf24Test : public RadioFixture {
 protected:
  Nrf24Options options() {
    auto uri = parse_source_uri("nrf24:/dev/spidev0.0?ce=gpiochip0:25&poll_ms=1");
    EXPECT_TRUE(uri.is_ok()) << uri.status().to_string();
    return uri->nrf24;
  }
  AirPacket packet(std::uint32_t counter) {
    AirPacket p;
    p.payload = frame(counter);
    return p;
  }
  Nrf24Emulator emu_;
};

TEST_F(Nrf24Test, WritesTheCitizenWattConfiguration) {
  Nrf24Emulator::Spi spi(emu_);
  Nrf24Emulator::Ce ce(emu_);
  Nrf24Radio radio(spi, ce, options());
  ASSERT_TRUE(radio.configure().is_ok());
  EXPECT_EQ(emu_.reg(kConfig), kEnCrc | kCrco | kPwrUp | kPrimRx);  // 0x0F
  EXPECT_EQ(emu_.reg(kRfCh), 0x4c);
  EXPECT_EQ(emu_.reg(kRfSetup), 0x26);  // RF_DR_LOW (250 kbps), 0 dBm
  EXPECT_EQ(emu_.reg(kSetupAw), 0x03);  // 5-byte addresses
  EXPECT_EQ(emu_.reg(kEnAa), 0x02);
  EXPECT_EQ(emu_.reg(kEnRxAddr), 0x02);
  EXPECT_EQ(emu_.reg(kFeature), kEnDpl);
  EXPECT_EQ(emu_.reg(kDynpd), 0x02);
  EXPECT_EQ(emu_.rx_addr_p1(), (std::array<std::uint8_t, 5>{0xD0, 0x46, 0xD4, 0x56, 0xE0}));
  EXPECT_TRUE(emu_.ce());
  EXPECT_EQ(emu_.refused_writes(), 0);  // every write happened in power-down or standby
  EXPECT_TRUE(*radio.still_configured());
}

TEST_F(Nrf24Test, TheEmulatorRefusesConfigurationWhileReceiving) {
  // Guards the previous test: the emulator does enforce the datasheet rule it checks.
  Nrf24Emulator::Spi spi(emu_);
  Nrf24Emulator::Ce ce(emu_);
  Nrf24Radio radio(spi, ce, options());
  ASSERT_TRUE(radio.configure().is_ok());
  const std::uint8_t tx[2] = {kWRegister | kRfCh, 0x10};
  std::uint8_t rx[2];
  ASSERT_TRUE(emu_.transfer(tx, rx, 2).is_ok());
  EXPECT_EQ(emu_.refused_writes(), 1);
  EXPECT_EQ(emu_.reg(kRfCh), 0x4c);
}

TEST_F(Nrf24Test, ANonPlusChipIsActivatedForDynamicPayloads) {
  emu_.set_needs_activate(true);
  Nrf24Emulator::Spi spi(emu_);
  Nrf24Emulator::Ce ce(emu_);
  Nrf24Radio radio(spi, ce, options());
  ASSERT_TRUE(radio.configure().is_ok());
  EXPECT_EQ(emu_.reg(kFeature), kEnDpl);
  EXPECT_EQ(emu_.inject(packet(1)), Nrf24Emulator::Injected::kReceived);
}

TEST_F(Nrf24Test, PacketsFromTheAirReachTheStore) {
  Nrf24Source source(options(), *pipeline_, emulated(emu_));
  ASSERT_TRUE(source.start().is_ok());
  for (std::uint32_t c = 1; c <= 12; ++c) {
    // The FIFO is 3 deep: wait for room as a sender would retransmit on a missing ACK.
    ASSERT_TRUE(RadioFixture::eventually([&] { return emu_.rx_fifo_size() < 3; }));
    ASSERT_EQ(emu_.inject(packet(c)), Nrf24Emulator::Injected::kReceived) << c;
  }
  auto powers = stored_powers(12);
  ASSERT_EQ(powers.size(), 12u);
  for (std::size_t i = 0; i < powers.size(); ++i) EXPECT_EQ(powers[i], 101 + int(i));
  EXPECT_EQ(source.counters().payloads, 12u);
  EXPECT_EQ(pipeline_->stats().frames[Verdict::kAccepted], 12u);
  source.stop();
  EXPECT_FALSE(emu_.ce());
  EXPECT_EQ(emu_.reg(kConfig) & kPwrUp, 0);  // left powered down
  EXPECT_EQ(emu_.refused_writes(), 0);
}

TEST_F(Nrf24Test, ASenderOnAnotherChannelRateOrAddressIsNotHeard) {
  Nrf24Source source(options(), *pipeline_, emulated(emu_));
  ASSERT_TRUE(source.start().is_ok());
  AirPacket p = packet(1);
  p.channel = 0x4d;
  EXPECT_EQ(emu_.inject(p), Nrf24Emulator::Injected::kMismatch);
  p = packet(1);
  p.rate = Nrf24Rate::k1Mbps;  // the 2014 sensors' rate
  EXPECT_EQ(emu_.inject(p), Nrf24Emulator::Injected::kMismatch);
  p = packet(1);
  p.address[4] ^= 1;
  EXPECT_EQ(emu_.inject(p), Nrf24Emulator::Injected::kMismatch);
  p = packet(1);
  p.crc_bytes = 1;
  EXPECT_EQ(emu_.inject(p), Nrf24Emulator::Injected::kMismatch);
  source.stop();
}

TEST_F(Nrf24Test, ACorruptWidthFlushesTheFifoAndReceptionGoesOn) {
  Nrf24Source source(options(), *pipeline_, emulated(emu_));
  ASSERT_TRUE(source.start().is_ok());
  emu_.inject_corrupt_width();
  ASSERT_TRUE(RadioFixture::eventually([&] { return source.counters().bad_widths == 1; }));
  EXPECT_GE(emu_.flush_rx_count(), 1);
  ASSERT_EQ(emu_.inject(packet(5)), Nrf24Emulator::Injected::kReceived);
  EXPECT_EQ(stored_powers(1), std::vector<std::int32_t>{105});
  EXPECT_EQ(pipeline_->stats().frames[Verdict::kMalformed], 0u);  // garbage never submitted
  source.stop();
}

TEST_F(Nrf24Test, FixedWidthPayloadsForLegacySenders) {
  auto o = options();
  o.payload = 28;
  Nrf24Source source(o, *pipeline_, emulated(emu_));
  ASSERT_TRUE(source.start().is_ok());
  EXPECT_EQ(emu_.reg(kFeature), 0);
  EXPECT_EQ(emu_.reg(kRxPwP0 + 1), 28);
  AirPacket p = packet(1);
  p.dynamic = false;
  ASSERT_EQ(emu_.inject(p), Nrf24Emulator::Injected::kReceived);
  EXPECT_EQ(stored_powers(1), std::vector<std::int32_t>{101});
  source.stop();
}

TEST_F(Nrf24Test, AChipResetIsDetectedAndTheRadioReconfigured) {
  Nrf24Source source(options(), *pipeline_, emulated(emu_));
  ASSERT_TRUE(source.start().is_ok());
  ASSERT_EQ(emu_.inject(packet(1)), Nrf24Emulator::Injected::kReceived);
  ASSERT_EQ(stored_powers(1).size(), 1u);
  emu_.power_on_reset();  // brown-out: registers back to reset values, radio deaf
  EXPECT_EQ(emu_.inject(packet(2)), Nrf24Emulator::Injected::kNotListening);
  // The source checks every 5 s.
  ASSERT_TRUE(RadioFixture::eventually([&] { return source.counters().reconfigures == 1; }));
  ASSERT_EQ(emu_.inject(packet(3)), Nrf24Emulator::Injected::kReceived);
  EXPECT_EQ(stored_powers(2), (std::vector<std::int32_t>{101, 103}));
  source.stop();
}

TEST_F(Nrf24Test, AnAbsentRadioIsAClearStartError) {
  // MISO floating high: every byte reads 0xFF.
  struct Absent final : SpiBus {
    Status transfer(const std::uint8_t*, std::uint8_t* rx, std::size_t len) override {
      std::fill(rx, rx + len, 0xFF);
      return Status::ok();
    }
  };
  struct Pin final : GpioLine {
    Status set(bool) override { return Status::ok(); }
  };
  Nrf24Source source(options(), *pipeline_, [](const Nrf24Options&) -> Result<Nrf24Hardware> {
    return Nrf24Hardware{std::make_unique<Absent>(), std::make_unique<Pin>()};
  });
  Status s = source.start();
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("no nRF24L01+ answering"), std::string::npos) << s.message();
}

TEST_F(Nrf24Test, MissingLinuxDevicesGiveClearErrors) {
  auto o = options();
  o.spi_device = (dir_ / "spidev9.9").string();
  Nrf24Source source(o, *pipeline_);  // the real Linux backends
  Status s = source.start();
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_NE(s.message().find("cannot open SPI device"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("spi=on"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace cw::ingest
