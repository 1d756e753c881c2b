// The nRF24L01+ register map now lives in the portable protocol layer, which the sensor
// firmware compiles too (protocol/nrf24_regs.h); the base's driver keeps its name for it.
#pragma once

#include "protocol/nrf24_regs.h"

namespace cw::ingest {
namespace nrf24 = protocol::nrf24;
}  // namespace cw::ingest
