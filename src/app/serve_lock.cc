#include "app/serve_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cw::app {

ServeLock::~ServeLock() {
  if (fd_ >= 0) ::close(fd_);
}

ServeLock& ServeLock::operator=(ServeLock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

Result<ServeLock> lock_data_dir(const std::string& dir) {
  const std::string path = dir + "/serve.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return Status(Code::kUnavailable, "cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK)
      return Status(Code::kUnavailable, "a base station is running on " + dir +
                                            " (stop it first: systemctl stop citizenwatt)");
    return Status(Code::kUnavailable, "cannot lock " + path + ": " + std::strerror(err));
  }
  return ServeLock(fd);
}

bool base_running(const std::string& dir) {
  int fd = ::open((dir + "/serve.lock").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool busy = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return busy;
}

}  // namespace cw::app
