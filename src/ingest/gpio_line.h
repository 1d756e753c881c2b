// The one seam between radio drivers and a GPIO output (the nRF24L01+ CE pin). Linux GPIO
// character device in gpio_linux.h; tests drive an emulated radio's CE.
#pragma once

#include "core/status.h"

namespace cw::ingest {

class GpioLine {
 public:
  virtual ~GpioLine() = default;
  virtual Status set(bool high) = 0;
};

}  // namespace cw::ingest
