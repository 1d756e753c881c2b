#include "store/read_pool.h"

namespace cw::store::detail {

ReadPool::Lease::~Lease() {
  if (pool_ && db_) pool_->give_back(std::move(db_));
}

Result<ReadPool::Lease> ReadPool::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(db));
    }
  }
  auto db = Db::open(path_, /*read_only=*/false, busy_timeout_ms_);
  if (!db) return db.status();
  // Reads only: a bug that writes through a read connection fails loudly instead.
  CW_RETURN_IF_ERROR(db->exec("PRAGMA query_only = 1"));
  return Lease(this, std::make_unique<Db>(std::move(*db)));
}

void ReadPool::give_back(std::unique_ptr<Db> db) {
  std::lock_guard lock(mu_);
  if (idle_.size() < keep_) idle_.push_back(std::move(db));
}

}  // namespace cw::store::detail
