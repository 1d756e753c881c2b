// Internal to the web layer: the server's worker pool, with a connection cap.
//
// httplib hands every accepted connection to a TaskQueue. This one serves at most `threads`
// connections at once and lets at most `max_waiting` more wait for a worker; a connection beyond
// that is answered at once by an overflow worker with 503 and Retry-After (overloaded() is true
// on that thread; server.cc's pre-routing handler answers). So a neighbour who opens hundreds of
// connections, or a slow client who trickles bytes (slowloris), holds at most the workers it
// reached, each for at most the read timeout per byte, and new clients hear "busy" instead of
// waiting forever. httplib owns each socket inside its job, so an overflow job must still run
// to close it: the overflow queue is not bounded, but its jobs end in one short reply.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cw::web {

class ConnectionPool final : public httplib::TaskQueue {
 public:
  ConnectionPool(std::size_t threads, std::size_t max_waiting, std::size_t overflow_threads = 1);
  ~ConnectionPool() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  // True on an overflow worker: the request it reads must be refused.
  static bool overloaded();

 private:
  struct Queue {
    std::deque<std::function<void()>> jobs;
    std::vector<std::thread> threads;
  };
  void work(Queue& q, bool overflow);

  const std::size_t threads_, max_waiting_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t busy_ = 0;  // guarded by mu_: jobs of the main queue running or waiting
  bool shutdown_ = false;
  Queue main_, overflow_;
};

}  // namespace cw::web
