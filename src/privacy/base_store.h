// The base's privacy database (DATA/privacy.db, SQLite): the consent ledger, the hub settings
// and the household's secret, the upload queue and the pending erasures. Kept apart from the
// measurement store so that erasing or exporting it never touches the samples.
//
// Thread-safety: every method may be called from any thread (one connection behind a mutex).
// Every change is one transaction: a crash never leaves half a queue item.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "privacy/consent.h"
#include "privacy/encoding.h"
#include "store/accounts_sql.h"

namespace cw::privacy {

// One local day on its way to the hub.
struct QueueItem {
  enum class State { kPending, kTokened, kSent, kFailed, kCancelled };
  std::string period;
  State state = State::kPending;
  std::string body;   // the contribution's JSON without its token (what leaves the home)
  std::string blind;  // JSON: key, prepared message and blinding inverse (kept secret)
  std::string token;  // JSON of the finalised token, once obtained
  int attempts = 0;
  TimeMs next_try_ms = 0;  // not before (backoff, or the mixing delay)
  std::string last_error;
  TimeMs sent_ms = 0;
};
const char* queue_state_name(QueueItem::State s);

struct QueueCounts {
  int pending = 0, tokened = 0, sent = 0, failed = 0, cancelled = 0, deleting = 0;
};

class PrivacyStore {
 public:
  static Result<std::unique_ptr<PrivacyStore>> open(const std::string& path);

  Result<std::int64_t> append_ledger(const LedgerEntry& e);
  Result<std::vector<LedgerEntry>> ledger();

  Result<std::optional<std::string>> setting(const std::string& key);
  Status set_setting(const std::string& key, const std::string& value);
  // 32 random bytes made on first use; never leaves the base (deletion handles derive from it).
  Result<Bytes> household_secret();

  Result<bool> has_period(const std::string& period);
  Status insert(const QueueItem& item);
  Status update(const QueueItem& item);
  Result<std::vector<QueueItem>> items();  // every day, oldest first
  Result<QueueCounts> counts();

  // Revocation, in one transaction: pending and tokened days are cancelled, and an erasure is
  // queued for every day whose contribution may be on the hub (sent, or tokened: an upload may
  // have reached the hub just before).
  Status cancel_and_erase(const std::vector<std::pair<std::string, std::string>>& handles);
  Result<std::vector<std::string>> pending_erasures();  // base64url handles
  Status erasures_done(const std::vector<std::string>& handles);

 private:
  explicit PrivacyStore(store::acct::Db db) : db_(std::move(db)) {}
  Result<std::vector<QueueItem>> items_locked();
  std::mutex mu_;
  store::acct::Db db_;  // guarded by mu_
};

}  // namespace cw::privacy
