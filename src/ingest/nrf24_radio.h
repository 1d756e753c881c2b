// Driver for an nRF24L01+ as a primary receiver (PRX) on one pipe, configured like the original
// CitizenWatt network (docs/protocol.md, "Radio inputs"): channel 0x4c, 250 kbps, 2-byte CRC,
// auto-acknowledge, 5-byte address on pipe 1, dynamic payload length (or a fixed width).
//
// Polled, not interrupt-driven: the IRQ pin need not be wired, and at a few frames per second
// the 3-deep RX FIFO is drained long before it fills.
//
// Not thread-safe: one thread (the source's) drives a radio. The bus and CE line must outlive it.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>

#include "ingest/gpio_line.h"
#include "ingest/source_uri.h"
#include "ingest/spi_bus.h"

namespace cw::ingest {

struct Nrf24Counters {
  std::uint64_t payloads = 0;    // read from the RX FIFO and passed on
  std::uint64_t bad_widths = 0;  // R_RX_PL_WID said 0 or > 32: RX FIFO flushed
};

class Nrf24Radio {
 public:
  Nrf24Radio(SpiBus& spi, GpioLine& ce, const Nrf24Options& options);

  // Writes the whole configuration with the radio powered down, reads it back, then powers up
  // in PRX and raises CE. A radio that does not read back what was written (absent, unpowered,
  // miswired) is an error, and the radio is left powered down.
  Status configure();

  // Reads every payload waiting in the RX FIFO and calls sink for each (the span is valid only
  // during the call). Returns how many payloads were delivered.
  Result<int> drain(const std::function<void(std::span<const std::uint8_t>)>& sink);

  // Whether the registers still hold the configuration: a supply glitch resets the chip to
  // power-down with reset values, and it then hears nothing. Cheap: two register reads.
  Result<bool> still_configured();

  // CE low and PWR_UP cleared (900 nA); configure() starts it again.
  Status power_down();

  const Nrf24Counters& counters() const { return counters_; }

  // What configure() writes, for checks and logs.
  std::uint8_t config_value() const;
  std::uint8_t rf_setup_value() const;

 private:
  Status command(std::uint8_t cmd, const std::uint8_t* in, std::uint8_t* out, std::size_t len,
                 std::uint8_t* status = nullptr);
  Status write_reg(std::uint8_t reg, std::uint8_t value);
  Status write_reg(std::uint8_t reg, const std::uint8_t* data, std::size_t len);
  Result<std::uint8_t> read_reg(std::uint8_t reg);
  Status write_features();
  Status verify_readback();

  SpiBus& spi_;
  GpioLine& ce_;
  const Nrf24Options options_;
  Nrf24Counters counters_;
};

}  // namespace cw::ingest
