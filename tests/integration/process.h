// Test support: runs the real citizenwatt binary as a child process, reads its log, signals it.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace cw::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs citizenwatt with args to completion, feeding stdin_text; times out after timeout.
RunResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text = "",
                  std::chrono::seconds timeout = std::chrono::seconds(60));

class Process {
 public:
  // Starts citizenwatt with args; stderr and stdout go to log_path.
  Process(const std::vector<std::string>& args, std::filesystem::path log_path);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Waits until the log matches re; returns the first capture group (or the match).
  std::optional<std::string> wait_for_log(const std::string& re, std::chrono::milliseconds timeout);
  std::string log() const;
  void signal(int sig);
  // Waits for the exit; returns the exit code, or 128+signal, or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_path_;
  bool reaped_ = false;
};

// A fresh temp folder removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Waits until pred() is true, polling every 50 ms, up to timeout.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    struct timespec ts = {0, 50'000'000};
    nanosleep(&ts, nullptr);
  }
  return pred();
}

}  // namespace cw::testing
