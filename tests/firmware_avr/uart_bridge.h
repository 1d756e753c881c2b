// The simulated sensor's UART on a pseudo-terminal: a host program (the CLI) opens path() as
// it would /dev/ttyUSB0, while pump() runs the simulation no faster than `speed` times real
// time, so the firmware's own timeouts (its 5 s provisioning window) hold against a real host.
// Bytes go to the firmware at the pace of its 115200 baud line.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <string>

#include "avr_sensor.h"

namespace cw::firmware::testing {

class UartBridge {
 public:
  explicit UartBridge(AvrSensor& sensor);
  ~UartBridge();
  UartBridge(const UartBridge&) = delete;
  UartBridge& operator=(const UartBridge&) = delete;

  const std::string& path() const { return path_; }
  // Runs the simulation, moving bytes both ways, until done() holds (true) or max_real of real
  // time passed (false).
  bool pump(const std::function<bool()>& done, double speed, std::chrono::milliseconds max_real);

 private:
  void from_host();
  void to_host();

  AvrSensor& sensor_;
  int master_ = -1, slave_ = -1;
  std::string path_;
  std::deque<char> to_avr_;
  double next_byte_s_ = 0;
};

}  // namespace cw::firmware::testing
