// SpiBus on Linux spidev (/dev/spidevB.C): SPI mode 0, 8-bit words, MSB first, as the
// nRF24L01+ wants; one SPI_IOC_MESSAGE per transfer so chip select frames each command.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ingest/spi_bus.h"

namespace cw::ingest {

// Errors name the device and say what to check (missing: SPI not enabled in config.txt).
Result<std::unique_ptr<SpiBus>> open_linux_spi(const std::string& device, std::uint32_t hz);

}  // namespace cw::ingest
