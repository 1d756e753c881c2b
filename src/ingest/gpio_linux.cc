#include "ingest/gpio_linux.h"

#include <fcntl.h>
#include <linux/gpio.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

#include "ingest/serial_port.h"  // UniqueFd

namespace cw::ingest {

namespace {

class LinuxGpioLine final : public GpioLine {
 public:
  LinuxGpioLine(UniqueFd fd, std::string name) : fd_(std::move(fd)), name_(std::move(name)) {}

  Status set(bool high) override {
    gpio_v2_line_values v{};
    v.bits = high ? 1 : 0;
    v.mask = 1;
    if (::ioctl(fd_.get(), GPIO_V2_LINE_SET_VALUES_IOCTL, &v) < 0)
      return Status(Code::kUnavailable, "gpio " + name_ + ": set: " + std::strerror(errno));
    return Status::ok();
  }

 private:
  UniqueFd fd_;  // the line request, not the chip
  std::string name_;
};

}  // namespace

Result<std::unique_ptr<GpioLine>> open_linux_gpio_output(const std::string& chip,
                                                         std::uint32_t line,
                                                         const std::string& consumer) {
  std::string path = chip.empty() || chip[0] == '/' ? chip : "/dev/" + chip;
  std::string name = path + " line " + std::to_string(line);
  UniqueFd chip_fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!chip_fd.valid()) {
    int err = errno;
    return Status(err == ENOENT ? Code::kNotFound : Code::kUnavailable,
                  "nrf24: cannot open GPIO chip " + path + " for CE: " + std::strerror(err) +
                      (err == EACCES ? " (add the service user to the 'gpio' group)" : ""));
  }
  gpio_v2_line_request req{};
  req.offsets[0] = line;
  req.num_lines = 1;
  std::strncpy(req.consumer, consumer.c_str(), sizeof req.consumer - 1);
  req.config.flags = GPIO_V2_LINE_FLAG_OUTPUT;
  req.config.num_attrs = 1;
  req.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
  req.config.attrs[0].attr.values = 0;  // CE starts low: the radio stays in standby
  req.config.attrs[0].mask = 1;
  if (::ioctl(chip_fd.get(), GPIO_V2_GET_LINE_IOCTL, &req) < 0) {
    int err = errno;
    return Status(err == EBUSY ? Code::kUnavailable : Code::kInvalidArgument,
                  "nrf24: cannot claim " + name + " as CE output: " + std::strerror(err));
  }
  return std::unique_ptr<GpioLine>(new LinuxGpioLine(UniqueFd(req.fd), name));
}

}  // namespace cw::ingest
