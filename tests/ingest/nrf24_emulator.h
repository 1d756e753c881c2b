// A register-level emulated nRF24L01+ for driver tests, following the Product Specification
// v1.0: the SPI command set (8.3.1), register reset values (9.1), STATUS and FIFO_STATUS bits,
// the 3-deep RX FIFO with RX_P_NO, dynamic payload length (7.3.4) and the rule that registers
// are written only in power-down or standby (W_REGISTER, table 20).
//
// Over the air: inject() delivers a packet only if the radio is in RX mode (PWR_UP, PRIM_RX,
// CE high) and the sender's channel, data rate, CRC length, address and payload width match
// the registers, as a real receiver would. Thread-safe: the driver's thread and the test's
// thread may call it concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "ingest/gpio_line.h"
#include "ingest/nrf24_regs.h"
#include "ingest/source_uri.h"
#include "ingest/spi_bus.h"

namespace cw::ingest::testing {

// What a sending sensor's radio is configured with.
struct AirPacket {
  std::uint8_t channel = 0x4c;
  Nrf24Rate rate = Nrf24Rate::k250Kbps;
  int crc_bytes = 2;
  std::array<std::uint8_t, 5> address = {0xE0, 0x56, 0xD4, 0x46, 0xD0};  // MSB first
  bool dynamic = true;  // the sender uses dynamic payload length
  std::vector<std::uint8_t> payload;
};

class Nrf24Emulator {
 public:
  enum class Injected { kReceived, kNotListening, kMismatch, kFifoFull };

  Nrf24Emulator() { power_on_reset(); }

  // Supply glitch or power-up: every register back to its reset value, FIFOs empty.
  void power_on_reset();
  // nRF24L01 (non-plus) behaviour: FEATURE/DYNPD read 0 and ignore writes until ACTIVATE 0x73.
  void set_needs_activate(bool v);

  Injected inject(const AirPacket& p);
  // A packet whose length field was corrupted: R_RX_PL_WID then reads 33 (datasheet 7.3.4).
  void inject_corrupt_width();

  Status transfer(const std::uint8_t* tx, std::uint8_t* rx, std::size_t len);
  void set_ce(bool high);

  std::uint8_t reg(std::uint8_t r) const;
  std::array<std::uint8_t, 5> rx_addr_p1() const;  // as stored: LSB first
  bool ce() const;
  std::size_t rx_fifo_size() const;
  // W_REGISTER commands refused because the radio was in RX or TX mode.
  int refused_writes() const;
  int flush_rx_count() const;

  // Adapters a source can own while the test keeps the emulator.
  class Spi;
  class Ce;

 private:
  struct RxEntry {
    std::uint8_t pipe;
    std::vector<std::uint8_t> data;
    std::uint8_t width;  // as R_RX_PL_WID reports it
  };
  bool listening() const;
  bool rf_matches(const AirPacket& p) const;
  int matching_pipe(const AirPacket& p) const;
  std::uint8_t status() const;
  std::uint8_t fifo_status() const;
  void write_register(std::uint8_t r, const std::uint8_t* data, std::size_t len);
  std::vector<std::uint8_t> read_register(std::uint8_t r) const;
  std::size_t addr_width() const { return regs_[nrf24::kSetupAw] + 2u; }
  void push_rx(RxEntry e);

  mutable std::mutex mu_;
  std::array<std::uint8_t, 0x1E> regs_{};
  std::array<std::array<std::uint8_t, 5>, 2> addr_p01_{};  // RX_ADDR_P0, RX_ADDR_P1
  std::array<std::uint8_t, 5> tx_addr_{};
  std::uint8_t status_flags_ = 0;  // RX_DR | TX_DS | MAX_RT
  std::deque<RxEntry> rx_fifo_;
  std::deque<std::vector<std::uint8_t>> tx_fifo_;
  bool ce_ = false;
  bool needs_activate_ = false;
  bool activated_ = false;
  int refused_writes_ = 0;
  int flush_rx_ = 0;
};

class Nrf24Emulator::Spi final : public SpiBus {
 public:
  explicit Spi(Nrf24Emulator& e) : e_(e) {}
  Status transfer(const std::uint8_t* tx, std::uint8_t* rx, std::size_t len) override {
    return e_.transfer(tx, rx, len);
  }

 private:
  Nrf24Emulator& e_;
};

class Nrf24Emulator::Ce final : public GpioLine {
 public:
  explicit Ce(Nrf24Emulator& e) : e_(e) {}
  Status set(bool high) override {
    e_.set_ce(high);
    return Status::ok();
  }

 private:
  Nrf24Emulator& e_;
};

}  // namespace cw::ingest::testing
