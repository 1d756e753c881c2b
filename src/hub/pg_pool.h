// A small pool of PostgreSQL connections (libpqxx). A pqxx::connection belongs to one thread at
// a time: a request borrows one for its transaction and gives it back.
//
// Thread-safety: acquire() may be called from any thread; it waits for a free connection.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/status.h"

namespace cw::hub {

class PgPool {
 public:
  static Result<std::unique_ptr<PgPool>> open(const std::string& url, int size);

  class Lease {
   public:
    Lease(PgPool& pool, std::unique_ptr<pqxx::connection> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), c_(std::move(o.c_)) {}
    ~Lease();
    pqxx::connection& operator*() { return *c_; }
    pqxx::connection* operator->() { return c_.get(); }
    std::unique_ptr<pqxx::connection>& conn() { return c_; }

   private:
    PgPool& pool_;
    std::unique_ptr<pqxx::connection> c_;
  };
  Lease acquire();

 private:
  explicit PgPool(std::string url) : url_(std::move(url)) {}
  std::string url_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> free_;  // guarded by mu_
};

// Runs fn(work) in a transaction; maps database failures to a Status (never throws).
template <typename Fn>
Status with_txn(PgPool& pool, Fn&& fn) {
  try {
    auto lease = pool.acquire();
    pqxx::work w(*lease);
    Status s = fn(w);
    if (s) w.commit();
    return s;
  } catch (const pqxx::broken_connection& e) {
    return Status(Code::kUnavailable, std::string("database unreachable: ") + e.what());
  } catch (const std::exception& e) {
    return internal_error(std::string("database: ") + e.what());
  }
}

}  // namespace cw::hub
