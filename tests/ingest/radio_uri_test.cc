#include <gtest/gtest.h>

#include "ingest/source_uri.h"

namespace cw::ingest {
namespace {

TEST(RadioUri, SerialWithDefaultsAndBaud) {
  auto u = parse_source_uri("serial:/dev/ttyUSB0");
  ASSERT_TRUE(u.is_ok()) << u.status().to_string();
  EXPECT_EQ(u->kind, SourceUri::Kind::kSerial);
  EXPECT_EQ(u->serial.device, "/dev/ttyUSB0");
  EXPECT_EQ(u->serial.baud, 115200u);
  u = parse_source_uri("serial:///dev/ttyACM1?baud=921600");
  ASSERT_TRUE(u.is_ok());
  EXPECT_EQ(u->serial.device, "/dev/ttyACM1");
  EXPECT_EQ(u->serial.baud, 921600u);
}

TEST(RadioUri, SerialErrorsSayWhatIsWrong) {
  struct Case {
    const char* uri;
    const char* says;
  };
  for (auto c :
       {Case{"serial:ttyUSB0", "absolute"}, Case{"serial:/dev/x?baud=1234", "unsupported baud"},
        Case{"serial:/dev/x?baud=fast", "unsupported baud"},
        Case{"serial:/dev/x?parity=even", "unknown option 'parity'"},
        Case{"serial:/dev/x?baud=9600&baud=9600", "given twice"},
        Case{"serial:/dev/x?baud", "KEY=VALUE"}}) {
    auto u = parse_source_uri(c.uri);
    ASSERT_FALSE(u.is_ok()) << c.uri;
    EXPECT_EQ(u.status().code(), Code::kInvalidArgument);
    EXPECT_NE(u.status().message().find(c.says), std::string::npos) << u.status().message();
  }
}

TEST(RadioUri, Nrf24DefaultsAreTheCitizenWattNetwork) {
  auto u = parse_source_uri("nrf24:/dev/spidev0.0");
  ASSERT_TRUE(u.is_ok()) << u.status().to_string();
  EXPECT_EQ(u->kind, SourceUri::Kind::kNrf24);
  const auto& o = u->nrf24;
  EXPECT_EQ(o.spi_device, "/dev/spidev0.0");
  EXPECT_EQ(o.gpio_chip, "gpiochip0");
  EXPECT_EQ(o.ce_line, 25u);
  EXPECT_EQ(o.channel, 0x4c);
  EXPECT_EQ(o.address, (std::array<std::uint8_t, 5>{0xE0, 0x56, 0xD4, 0x46, 0xD0}));
  EXPECT_EQ(o.rate, Nrf24Rate::k250Kbps);
  EXPECT_EQ(o.payload, 0);
}

TEST(RadioUri, Nrf24Options) {
  auto u = parse_source_uri(
      "nrf24:/dev/spidev0.1?ce=/dev/gpiochip4:17&channel=0x50&address=0xF0F0F0F0E1&rate=1m"
      "&payload=16&poll_ms=20&spi_hz=8000000");
  ASSERT_TRUE(u.is_ok()) << u.status().to_string();
  const auto& o = u->nrf24;
  EXPECT_EQ(o.gpio_chip, "/dev/gpiochip4");
  EXPECT_EQ(o.ce_line, 17u);
  EXPECT_EQ(o.channel, 0x50);
  EXPECT_EQ(o.address, (std::array<std::uint8_t, 5>{0xF0, 0xF0, 0xF0, 0xF0, 0xE1}));
  EXPECT_EQ(o.rate, Nrf24Rate::k1Mbps);
  EXPECT_EQ(o.payload, 16);
  EXPECT_EQ(o.poll_ms, 20u);
  EXPECT_EQ(o.spi_hz, 8000000u);
}

TEST(RadioUri, Nrf24ErrorsSayWhatIsWrong) {
  struct Case {
    const char* uri;
    const char* says;
  };
  for (auto c :
       {Case{"nrf24:spidev0.0", "spidev path"}, Case{"nrf24:/dev/s?channel=126", "channel"},
        Case{"nrf24:/dev/s?ce=25", "CHIP:LINE"}, Case{"nrf24:/dev/s?ce=gpiochip0:x", "ce line"},
        Case{"nrf24:/dev/s?address=E056D446", "10 hex digits"},
        Case{"nrf24:/dev/s?address=E056D446ZZ", "non-hex"},
        Case{"nrf24:/dev/s?address=5555555555", "noise"},
        Case{"nrf24:/dev/s?rate=500k", "250k, 1m or 2m"},
        Case{"nrf24:/dev/s?payload=33", "dynamic"}, Case{"nrf24:/dev/s?pa=1", "unknown option"},
        Case{"nrf24:/dev/s?poll_ms=0", "poll_ms"}}) {
    auto u = parse_source_uri(c.uri);
    ASSERT_FALSE(u.is_ok()) << c.uri;
    EXPECT_EQ(u.status().code(), Code::kInvalidArgument);
    EXPECT_NE(u.status().message().find(c.says), std::string::npos) << u.status().message();
  }
  EXPECT_NE(parse_source_uri("spi:/dev/x").status().message().find("serial:"), std::string::npos);
}

}  // namespace
}  // namespace cw::ingest
