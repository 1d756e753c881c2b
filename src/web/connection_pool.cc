#include "web/connection_pool.h"

namespace cw::web {

namespace {
thread_local bool t_overflow = false;
}

ConnectionPool::ConnectionPool(std::size_t threads, std::size_t max_waiting,
                               std::size_t overflow_threads)
    : threads_(threads), max_waiting_(max_waiting) {
  for (std::size_t k = 0; k < threads; ++k)
    main_.threads.emplace_back([this] { work(main_, false); });
  for (std::size_t k = 0; k < overflow_threads; ++k)
    overflow_.threads.emplace_back([this] { work(overflow_, true); });
}

ConnectionPool::~ConnectionPool() {
  shutdown();
}

bool ConnectionPool::overloaded() {
  return t_overflow;
}

void ConnectionPool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (busy_ < threads_ + max_waiting_) {
      ++busy_;
      main_.jobs.push_back(std::move(fn));
    } else {
      overflow_.jobs.push_back(std::move(fn));
    }
  }
  cv_.notify_all();
}

void ConnectionPool::work(Queue& q, bool overflow) {
  t_overflow = overflow;
  for (;;) {
    std::function<void()> fn;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return shutdown_ || !q.jobs.empty(); });
      if (q.jobs.empty()) return;  // shutting down with nothing left to close
      fn = std::move(q.jobs.front());
      q.jobs.pop_front();
    }
    fn();
    if (!overflow) {
      std::lock_guard lock(mu_);
      --busy_;
    }
  }
}

void ConnectionPool::shutdown() {
  {
    std::lock_guard lock(mu_);
    if (shutdown_) return;
    shutdown_ = true;
  }
  cv_.notify_all();
  for (Queue* q : {&main_, &overflow_})
    for (auto& t : q->threads)
      if (t.joinable()) t.join();
}

}  // namespace cw::web
