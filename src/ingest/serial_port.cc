#include "ingest/serial_port.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cw::ingest {

void UniqueFd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

namespace {

bool baud_constant(std::uint32_t baud, speed_t* out) {
  struct Pair {
    std::uint32_t baud;
    speed_t speed;
  };
  static constexpr Pair kSpeeds[] = {{1200, B1200},       {2400, B2400},       {4800, B4800},
                                     {9600, B9600},       {19200, B19200},     {38400, B38400},
                                     {57600, B57600},     {115200, B115200},   {230400, B230400},
                                     {460800, B460800},   {500000, B500000},   {576000, B576000},
                                     {921600, B921600},   {1000000, B1000000}, {1500000, B1500000},
                                     {2000000, B2000000}, {3000000, B3000000}};
  for (const auto& p : kSpeeds) {
    if (p.baud != baud) continue;
    *out = p.speed;
    return true;
  }
  return false;
}

Status sys_error(const std::string& path, const char* what) {
  int err = errno;
  Code code = (err == ENOENT || err == ENODEV || err == ENXIO) ? Code::kNotFound
              : (err == EACCES || err == EPERM)                ? Code::kPermissionDenied
                                                               : Code::kUnavailable;
  return Status(code, "serial " + path + ": " + what + ": " + std::strerror(err));
}

}  // namespace

Result<UniqueFd> open_serial_port(const std::string& path, std::uint32_t baud,
                                  SerialFraming framing) {
  speed_t speed;
  if (!baud_constant(baud, &speed))
    return invalid_argument("serial " + path + ": unsupported baud " + std::to_string(baud));
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) return sys_error(path, "cannot open");
  if (!::isatty(fd.get()))
    return invalid_argument("serial " + path +
                            ": not a terminal device (expected a tty such as "
                            "/dev/ttyUSB0 or /dev/ttyACM0)");
  if (::ioctl(fd.get(), TIOCEXCL) != 0) return sys_error(path, "cannot lock");
  termios tio{};
  if (::tcgetattr(fd.get(), &tio) != 0) return sys_error(path, "cannot read settings");
  ::cfmakeraw(&tio);  // no echo, no line editing, no CR/LF translation, 8 bits, no parity
  tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | CRTSCTS | PARENB);
  tio.c_cflag |= CLOCAL | CREAD;
  if (framing == SerialFraming::k7E1) {
    // TIC: 7 data bits, even parity. No INPCK: a character with bad parity still arrives, and
    // the group checksum decides (a dropped byte would shift the group instead).
    tio.c_cflag = (tio.c_cflag & ~static_cast<tcflag_t>(CSIZE | PARODD)) | CS7 | PARENB;
    tio.c_iflag |= ISTRIP;
  }
  // With O_NONBLOCK, VMIN 1 makes an empty read fail with EAGAIN; VMIN 0 would return 0, which
  // is indistinguishable from a hang-up.
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  if (::cfsetispeed(&tio, speed) != 0 || ::cfsetospeed(&tio, speed) != 0 ||
      ::tcsetattr(fd.get(), TCSANOW, &tio) != 0)
    return sys_error(path, "cannot set the line's speed and framing");
  return fd;
}

std::string describe_line(int fd) {
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) return "unknown";
  speed_t speed = cfgetispeed(&tio);
  std::uint32_t baud = 0;
  for (std::uint32_t b : {1200u, 2400u, 4800u, 9600u, 19200u, 38400u, 57600u, 115200u}) {
    speed_t c;
    if (baud_constant(b, &c) && c == speed) baud = b;
  }
  const int bits = (tio.c_cflag & CSIZE) == CS7 ? 7 : (tio.c_cflag & CSIZE) == CS8 ? 8 : 0;
  const char parity = !(tio.c_cflag & PARENB) ? 'N' : (tio.c_cflag & PARODD) ? 'O' : 'E';
  const int stop = (tio.c_cflag & CSTOPB) ? 2 : 1;
  return std::to_string(baud) + " " + std::to_string(bits) + parity + std::to_string(stop);
}

}  // namespace cw::ingest
