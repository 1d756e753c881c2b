// How the daemons (serve, hub) stop: SIGINT and SIGTERM are blocked in every thread and waited
// for by the main one (so no handler runs in the middle of a write), SIGPIPE is ignored.
#pragma once

#include <csignal>

namespace cw::app {

class StopSignals {
 public:
  // Call before any other thread starts: threads inherit the blocked mask.
  StopSignals();
  // Blocks until SIGINT or SIGTERM; returns which.
  int wait() const;

 private:
  sigset_t set_;
};

}  // namespace cw::app
