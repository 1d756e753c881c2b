// The security side of a base's accounts: read-only share links and the audit log.
//
// Share links: a secret handed to a guest ("cws_..."), stored as its SHA-256 only, granting read
// access to a documented subset of the API (web/access_policy.h) until it expires or is revoked.
// Audit log: who did what security-relevant thing, when and from which address. Bounded: after
// each append, rows beyond max_rows or older than max_age_ms are dropped.
//
// Storage: the accounts database (DIR/citizenwatt.db), a connection of its own, tables of its own
// versioned in `security_schema`; never the measurement schema. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/accounts.h"

namespace cw::store {

struct ShareLink {
  std::int64_t id = 0;
  std::string name;
  Digest hash{};
  TimeMs created = 0;
  TimeMs expires = 0;
};

struct AuditEvent {
  std::int64_t id = 0;  // set by the store
  TimeMs t = 0;
  std::string actor;    // user name, "token:<name>", "share:<name>" or "" when unknown
  std::string address;  // the client's IP address
  std::string action;   // stable: login, login_failed, user_created, token_created...
  std::string detail;   // free text, never a secret
  bool ok = true;
};

struct SecurityLogOptions {
  std::int64_t max_rows = 10000;
  TimeMs max_age_ms = 365 * kDayMs;
  int busy_timeout_ms = 5000;
};

class SecurityLog {
 public:
  virtual ~SecurityLog() = default;

  // Names are unique (already_exists).
  virtual Result<ShareLink> add_share_link(const std::string& name, const Digest& hash,
                                           TimeMs created, TimeMs expires) = 0;
  virtual Result<std::vector<ShareLink>> share_links() = 0;
  virtual Result<ShareLink> share_link_by_hash(const Digest& hash) = 0;  // not_found
  virtual Status remove_share_link(std::int64_t id) = 0;                 // not_found

  virtual Status append(const AuditEvent& e) = 0;
  // Newest first; at most limit events with id < before_id (0 = from the newest).
  virtual Result<std::vector<AuditEvent>> recent(std::size_t limit, std::int64_t before_id = 0) = 0;
};

Result<std::unique_ptr<SecurityLog>> open_sqlite_security_log(const std::string& path,
                                                              const SecurityLogOptions& o = {});

}  // namespace cw::store
