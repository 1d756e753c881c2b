// A small pool of read connections, so reads run while the writer commits (WAL mode lets
// readers see the last committed snapshot without waiting). A connection is leased by one
// thread at a time and returned to the pool when the lease ends.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/sqlite_handle.h"

namespace cw::store::detail {

class ReadPool {
 public:
  ReadPool(std::string path, int busy_timeout_ms, std::size_t keep = 4)
      : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms), keep_(keep) {}

  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<Db> db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Db& db() { return *db_; }

   private:
    ReadPool* pool_;
    std::unique_ptr<Db> db_;
  };

  // A connection from the pool, or a new one when all are in use.
  Result<Lease> acquire();

 private:
  void give_back(std::unique_ptr<Db> db);

  const std::string path_;
  const int busy_timeout_ms_;
  const std::size_t keep_;  // idle connections kept open; more are closed on return
  std::mutex mu_;
  std::vector<std::unique_ptr<Db>> idle_;  // guarded by mu_
};

// A read transaction: every query inside sees one committed snapshot. Ends on destruction.
class ReadTxn {
 public:
  explicit ReadTxn(Db& db) : db_(db), status_(db.exec("BEGIN")) {}
  ~ReadTxn() {
    if (status_) (void)db_.exec("COMMIT");
  }
  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;
  const Status& status() const { return status_; }

 private:
  Db& db_;
  Status status_;
};

}  // namespace cw::store::detail
