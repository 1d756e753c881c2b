// GpioLine on the Linux GPIO character device (/dev/gpiochipN), uAPI v2 (kernel 5.10+), called
// through <linux/gpio.h> directly: two ioctls do not justify a libgpiod dependency, and the v2
// uAPI avoids both the deprecated sysfs interface and libgpiod's v1/v2 API split.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ingest/gpio_line.h"

namespace cw::ingest {

// Requests line as an output, initially low, labelled consumer (shown by gpioinfo).
// chip: a name under /dev ("gpiochip0") or an absolute path.
Result<std::unique_ptr<GpioLine>> open_linux_gpio_output(const std::string& chip,
                                                         std::uint32_t line,
                                                         const std::string& consumer);

}  // namespace cw::ingest
