// Source URIs name where frames come from. Parsed once, at the edge, into typed values:
//
//   udp://HOST:PORT                      datagrams (Wi-Fi sensors, the simulator)
//   serial:/dev/ttyUSB0?baud=115200      a USB serial radio gateway (docs/protocol.md)
//   nrf24:/dev/spidev0.0?ce=gpiochip0:25&channel=76&address=E056D446D0&rate=250k&payload=dynamic
//                                        an nRF24L01+ on the Raspberry Pi's SPI
//   tic:/dev/ttyUSB0?mode=auto&interval=10
//                                        a Linky meter's customer port (docs/ecosystem.md)
//
// Every option has a documented default; an unknown or repeated option is an error.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/status.h"

namespace cw::ingest {

struct UdpEndpoint {
  std::string host;  // numeric IPv4/IPv6 address or "localhost"
  std::uint16_t port = 0;
};

struct SerialOptions {
  std::string device;           // absolute path of the tty
  std::uint32_t baud = 115200;  // one of supported_bauds()
};

enum class Nrf24Rate : std::uint8_t { k250Kbps, k1Mbps, k2Mbps };

struct Nrf24Options {
  std::string spi_device;               // e.g. /dev/spidev0.0 (CSN is the spidev chip select)
  std::string gpio_chip = "gpiochip0";  // CE line: chip name under /dev, or an absolute path
  std::uint32_t ce_line = 25;           // BCM GPIO 25, pin 22: the original CitizenWatt wiring
  std::uint8_t channel = 0x4c;          // 2400 + channel MHz, 0..125
  // Pipe 1 address as written in firmware sources, most significant byte first
  // (0xE056D446D0 is the original network's); the radio receives it least significant first.
  std::array<std::uint8_t, 5> address = {0xE0, 0x56, 0xD4, 0x46, 0xD0};
  Nrf24Rate rate = Nrf24Rate::k250Kbps;
  std::uint8_t payload = 0;          // 0 = dynamic payload length; 1..32 = fixed width
  std::uint32_t poll_ms = 5;         // STATUS polling period, 1..1000
  std::uint32_t spi_hz = 4'000'000;  // SPI clock, up to the chip's 10 MHz
};

enum class TicModeOption : std::uint8_t { kAuto, kHistorique, kStandard };

struct TicOptions {
  std::string device;
  TicModeOption mode = TicModeOption::kAuto;  // auto: try 1200 then 9600 baud until frames decode
  std::uint32_t interval_s = 10;              // at most one sample per interval (0: every frame)
  // mode=auto: a baud that decoded no frame for this long is switched (not in the URI).
  std::uint32_t detect_ms = 5000;
};

struct SourceUri {
  enum class Kind { kUdp, kSerial, kNrf24, kTic } kind = Kind::kUdp;
  UdpEndpoint udp;
  SerialOptions serial;
  Nrf24Options nrf24;
  TicOptions tic;
  std::string text;  // as given, for logs
};

Result<SourceUri> parse_source_uri(const std::string& text);
// "HOST:PORT" or "[v6]:PORT"
Result<UdpEndpoint> parse_host_port(const std::string& text);
// Baud rates a serial source accepts.
const std::uint32_t* supported_bauds(std::size_t* count);

}  // namespace cw::ingest
