// Test support: a sensor in provisioning mode at the master end of a pseudo-terminal. The
// portable device code (what the firmware runs) answers in a thread, over a settings storage in
// RAM, with optional firmware commands (MEASURE) and faults; the CLI opens the slave end as it
// would a /dev/ttyUSB0. Replies go out in two writes with a pause, so the host must reassemble
// lines.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "protocol/provision_device.h"
#include "protocol/provision_memory_storage.h"

namespace cw::testing {

// How the simulated sensor misbehaves.
struct Faults {
  bool silent = false;
  std::set<int> damage_commands;  // 0-based index of received lines to flip a bit in
  std::set<int> damage_replies;   // 0-based index of reply lines to flip a bit in
  bool damage_every_reply = false;
};

class PtySensor {
 public:
  // extra: commands beyond the protocol's own, called from the sensor's thread with its lock
  // held; it must outlive the PtySensor.
  explicit PtySensor(Faults faults, protocol::provision::CommandHandler* extra = nullptr);
  ~PtySensor();
  PtySensor(const PtySensor&) = delete;
  PtySensor& operator=(const PtySensor&) = delete;

  const std::string& path() const { return path_; }
  // The sensor's EEPROM, read or changed between the device thread's lines.
  protocol::provision::testing::MemoryStorage storage();
  void configure(const std::function<void(protocol::provision::testing::MemoryStorage&)>& fn);
  int lines_received() const { return lines_; }
  // The persisted settings, for an extra command handler: it runs with the lock held.
  const protocol::provision::Settings& stored_while_locked() const { return storage_.stored; }

 private:
  void run();
  void take(std::uint8_t byte);
  void send_reply(std::string line);
  void write_all(const char* p, std::size_t n);

  Faults faults_;
  int master_ = -1, slave_ = -1;
  std::string path_;
  protocol::provision::testing::MemoryStorage storage_;
  protocol::provision::Device device_;
  std::mutex mu_;  // guards storage_ and device_
  std::atomic<bool> stop_{false};
  std::atomic<int> lines_{0};
  int replies_ = 0;
  bool damaged_this_line_ = false;
  std::thread thread_;
};

}  // namespace cw::testing
