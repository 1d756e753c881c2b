#include "ingest/spi_linux.h"

#include <fcntl.h>
#include <linux/spi/spidev.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

#include "ingest/serial_port.h"  // UniqueFd

namespace cw::ingest {

namespace {

class LinuxSpiBus final : public SpiBus {
 public:
  LinuxSpiBus(UniqueFd fd, std::string device, std::uint32_t hz)
      : fd_(std::move(fd)), device_(std::move(device)), hz_(hz) {}

  Status transfer(const std::uint8_t* tx, std::uint8_t* rx, std::size_t len) override {
    spi_ioc_transfer t{};
    t.tx_buf = reinterpret_cast<std::uintptr_t>(tx);
    t.rx_buf = reinterpret_cast<std::uintptr_t>(rx);
    t.len = static_cast<std::uint32_t>(len);
    t.speed_hz = hz_;
    t.bits_per_word = 8;
    if (::ioctl(fd_.get(), SPI_IOC_MESSAGE(1), &t) < 0)
      return Status(Code::kUnavailable, "spi " + device_ + ": transfer: " + std::strerror(errno));
    return Status::ok();
  }

 private:
  UniqueFd fd_;
  std::string device_;
  std::uint32_t hz_;
};

}  // namespace

Result<std::unique_ptr<SpiBus>> open_linux_spi(const std::string& device, std::uint32_t hz) {
  UniqueFd fd(::open(device.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.valid()) {
    int err = errno;
    std::string hint = err == ENOENT   ? " (is SPI enabled? on a Raspberry Pi: dtparam=spi=on in "
                                         "/boot/config.txt, then reboot)"
                       : err == EACCES ? " (add the service user to the 'spi' group)"
                                       : "";
    return Status(err == ENOENT ? Code::kNotFound : Code::kUnavailable,
                  "nrf24: cannot open SPI device " + device + ": " + std::strerror(err) + hint);
  }
  std::uint8_t mode = SPI_MODE_0;
  std::uint8_t bits = 8;
  if (::ioctl(fd.get(), SPI_IOC_WR_MODE, &mode) < 0 ||
      ::ioctl(fd.get(), SPI_IOC_WR_BITS_PER_WORD, &bits) < 0 ||
      ::ioctl(fd.get(), SPI_IOC_WR_MAX_SPEED_HZ, &hz) < 0)
    return Status(Code::kUnavailable,
                  "nrf24: " + device + " is not a usable spidev device: " + std::strerror(errno));
  return std::unique_ptr<SpiBus>(new LinuxSpiBus(std::move(fd), device, hz));
}

}  // namespace cw::ingest
