// The one seam between radio drivers and an SPI controller: a full-duplex transfer with chip
// select held for its whole length. Linux spidev implements it (spi_linux.h); tests put a
// register-level emulated radio behind it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/status.h"

namespace cw::ingest {

class SpiBus {
 public:
  virtual ~SpiBus() = default;
  // Clocks out len bytes of tx while reading len bytes into rx (rx may alias nothing else).
  virtual Status transfer(const std::uint8_t* tx, std::uint8_t* rx, std::size_t len) = 0;
};

}  // namespace cw::ingest
