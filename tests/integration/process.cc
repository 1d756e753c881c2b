#include "process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace cw::testing {

namespace fs = std::filesystem;

namespace {

std::vector<char*> argv_of(std::vector<std::string>& args) {
  std::vector<char*> v;
  for (auto& a : args) v.push_back(a.data());
  v.push_back(nullptr);
  return v;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

RunResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text,
                  std::chrono::seconds timeout) {
  TempDir tmp;
  fs::path in = tmp.path() / "in", out = tmp.path() / "out", err = tmp.path() / "err";
  std::ofstream(in) << stdin_text;
  std::vector<std::string> full = {CW_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    int i = open(in.c_str(), O_RDONLY), o = open(out.c_str(), O_WRONLY | O_CREAT, 0600),
        e = open(err.c_str(), O_WRONLY | O_CREAT, 0600);
    dup2(i, 0);
    dup2(o, 1);
    dup2(e, 2);
    auto argv = argv_of(full);
    execv(argv[0], argv.data());
    _exit(127);
  }
  RunResult r;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.err = "timeout";
      return r;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

Process::Process(const std::vector<std::string>& args, fs::path log_path)
    : log_path_(std::move(log_path)) {
  std::vector<std::string> full = {CW_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  pid_ = fork();
  if (pid_ == 0) {
    int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    auto argv = argv_of(full);
    execv(argv[0], argv.data());
    _exit(127);
  }
}

Process::~Process() {
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string Process::log() const { return slurp(log_path_); }

std::optional<std::string> Process::wait_for_log(const std::string& re,
                                                  std::chrono::milliseconds timeout) {
  std::regex rx(re);
  std::optional<std::string> found;
  eventually(
      [&] {
        std::smatch m;
        std::string text = log();
        if (std::regex_search(text, m, rx)) {
          found = m.size() > 1 ? m[1].str() : m[0].str();
          return true;
        }
        return false;
      },
      timeout);
  return found;
}

void Process::signal(int sig) {
  if (!reaped_) kill(pid_, sig);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  int status = 0;
  bool done = eventually([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
  if (!done) return std::nullopt;
  reaped_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("cw_it_" + std::to_string(getpid()) + "_" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace cw::testing
