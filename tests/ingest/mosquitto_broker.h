// A real mosquitto broker for tests: a temp folder with its config, a free port on 127.0.0.1,
// started as the current user (as root too: the config then says `user root`, since mosquitto
// otherwise refuses to run as root), stopped by its pid. And a small libmosquitto client.
#pragma once

#include <gtest/gtest.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cw::ingest::testing {

inline int free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
  close(s);
  return ntohs(a.sin_port);
}

// With secure = true: TLS with a test CA (openssl, SAN IP:127.0.0.1) and a password file
// (mosquitto_passwd) holding user "cw" with password "cw-secret"; no anonymous access.
class Mosquitto {
 public:
  explicit Mosquitto(bool secure = false) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cw_mqtt_XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    port_ = free_port();
    passwd* pw = getpwuid(geteuid());
    std::ofstream conf(dir_ / "mosquitto.conf");
    conf << "listener " << port_ << " 127.0.0.1\npersistence false\nlog_dest stderr\nuser "
         << (pw ? pw->pw_name : "root") << "\n";
    if (!secure) {
      conf << "allow_anonymous true\n";
    } else {
      make_secrets();
      conf << "allow_anonymous false\npassword_file " << (dir_ / "passwd").string() << "\n"
           << "cafile " << ca() << "\ncertfile " << (dir_ / "server.pem").string() << "\n"
           << "keyfile " << (dir_ / "server.key").string() << "\n";
    }
    conf.close();
    start();
  }
  std::string ca() const { return (dir_ / "ca.pem").string(); }
  std::string dir() const { return dir_.string(); }
  ~Mosquitto() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void start() {
    pid_ = fork();
    if (pid_ == 0) {
      FILE* log = freopen((dir_ / "broker.log").c_str(), "a", stderr);
      (void)log;
      execlp("mosquitto", "mosquitto", "-c", (dir_ / "mosquitto.conf").c_str(),
             static_cast<char*>(nullptr));
      _exit(127);
    }
    // Ready when it accepts a connection.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      int s = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<std::uint16_t>(port_));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      const bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
      close(s);
      if (ok) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "mosquitto did not start";
  }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int port() const { return port_; }

 private:
  void make_secrets() {
    const std::string d = dir_.string();
    const std::string q = " >/dev/null 2>&1";
    const std::string cmds[] = {
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=cw-test-ca -keyout " + d +
            "/ca.key -out " + d + "/ca.pem" + q,
        "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout " + d +
            "/server.key -out " + d + "/server.csr" + q,
        "printf 'subjectAltName=IP:127.0.0.1\\n' > " + d + "/san.cnf",
        "openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
            "/ca.key -CAcreateserial -days 2 -extfile " + d + "/san.cnf -out " + d + "/server.pem" +
            q,
        "mosquitto_passwd -b -c " + d + "/passwd cw cw-secret" + q,
        "chmod 0644 " + d + "/server.key " + d + "/passwd"};
    for (const auto& c : cmds) ASSERT_EQ(std::system(c.c_str()), 0) << c;
  }

  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A client that records every message it receives (retained ones included), by topic.
class Client {
 public:
  explicit Client(int port, const std::vector<std::string>& subscribe = {}) : subs_(subscribe) {
    mosquitto_lib_init();
    m_ = mosquitto_new(nullptr, true, this);
    mosquitto_connect_callback_set(m_, [](mosquitto* m, void* self, int) {
      for (const auto& s : static_cast<Client*>(self)->subs_)
        mosquitto_subscribe(m, nullptr, s.c_str(), 1);
    });
    mosquitto_message_callback_set(m_, [](mosquitto*, void* self, const mosquitto_message* msg) {
      auto* c = static_cast<Client*>(self);
      std::lock_guard lock(c->mu_);
      c->got_[msg->topic].push_back(
          {std::string(static_cast<const char*>(msg->payload), std::size_t(msg->payloadlen)),
           msg->retain});
    });
    mosquitto_connect(m_, "127.0.0.1", port, 30);
    mosquitto_loop_start(m_);
  }
  ~Client() {
    mosquitto_disconnect(m_);
    mosquitto_loop_stop(m_, false);
    mosquitto_destroy(m_);
  }
  void publish(const std::string& topic, const std::string& payload, bool retain = false) {
    mosquitto_publish(m_, nullptr, topic.c_str(), int(payload.size()), payload.data(), 1, retain);
  }
  struct Msg {
    std::string payload;
    bool retained;
  };
  std::map<std::string, std::vector<Msg>> received() {
    std::lock_guard lock(mu_);
    return got_;
  }

 private:
  mosquitto* m_;
  std::vector<std::string> subs_;
  std::mutex mu_;
  std::map<std::string, std::vector<Msg>> got_;
};

}  // namespace cw::ingest::testing
