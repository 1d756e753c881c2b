#include "hub/pg_pool.h"

namespace cw::hub {

Result<std::unique_ptr<PgPool>> PgPool::open(const std::string& url, int size) {
  std::unique_ptr<PgPool> pool(new PgPool(url));
  try {
    for (int i = 0; i < size; ++i) pool->free_.push_back(std::make_unique<pqxx::connection>(url));
  } catch (const std::exception& e) {
    // The URL may hold a password: name only the failure.
    return Status(Code::kUnavailable, std::string("cannot connect to PostgreSQL: ") + e.what());
  }
  return pool;
}

PgPool::Lease PgPool::acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !free_.empty(); });
  auto c = std::move(free_.back());
  free_.pop_back();
  lock.unlock();
  Lease lease(*this, std::move(c));
  if (!lease->is_open()) {  // reconnect after a drop; on failure the lease returns the old one
    auto fresh = std::make_unique<pqxx::connection>(url_);
    std::swap(lease.conn(), fresh);
  }
  return lease;
}

PgPool::Lease::~Lease() {
  if (!c_) return;
  {
    std::lock_guard lock(pool_.mu_);
    pool_.free_.push_back(std::move(c_));
  }
  pool_.cv_.notify_one();
}

}  // namespace cw::hub
