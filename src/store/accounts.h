// Accounts of a base station: users, their login sessions and API tokens.
//
// Secrets are never stored in clear: a user's password as an Argon2id string (web/passwords.h),
// session ids and API tokens as the SHA-256 of the secret (they are 256 random bits, so a fast
// hash is enough and a lookup by hash is the comparison).
//
// Storage: the same SQLite file as the Store (DIR/citizenwatt.db, WAL), through a connection of
// its own and tables of its own, versioned in `accounts_schema` (the Store owns user_version).
// Thread-safety: every method may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace cw::store {

using Digest = std::array<std::uint8_t, 32>;  // SHA-256 of a session id or an API token

enum class Role : std::uint8_t { kAdmin = 0, kMember = 1 };
// kIngest may only post measurements (emoncms-style /input/post, /input/bulk): the key an
// uploader such as IoTaWatt stores in plain text can neither read the household's data nor
// change its settings.
enum class TokenScope : std::uint8_t { kRead = 0, kWrite = 1, kIngest = 2 };

const char* role_name(Role r);         // "admin", "member"
const char* scope_name(TokenScope s);  // "read", "write", "ingest"
Result<Role> parse_role(std::string_view name);
Result<TokenScope> parse_scope(std::string_view name);

struct User {
  std::int64_t id = 0;
  std::string name;
  Role role = Role::kMember;
  std::string password_hash;  // Argon2id encoded string
  TimeMs created = 0;
};

struct NewUser {
  std::string name;
  Role role = Role::kMember;
  std::string password_hash;
  TimeMs created = 0;
};

struct Session {
  Digest id_hash{};
  std::int64_t user_id = 0;
  TimeMs created = 0;
  TimeMs last_seen = 0;
  TimeMs expires = 0;  // absolute expiry; the idle limit is applied from last_seen by the caller
};

struct ApiToken {
  std::int64_t id = 0;
  std::string name;
  TokenScope scope = TokenScope::kRead;
  Digest hash{};
  TimeMs created = 0;
  TimeMs last_used = 0;  // 0 = never used
};

struct NewToken {
  std::string name;
  TokenScope scope = TokenScope::kRead;
  Digest hash{};
  TimeMs created = 0;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Users. Names are unique (already_exists). With only_if_none, the user is created only when
  // no user exists yet, atomically (first-run setup); otherwise already_exists.
  virtual Result<User> add_user(const NewUser& u, bool only_if_none = false) = 0;
  virtual Result<std::int64_t> user_count() = 0;
  virtual Result<User> user(std::int64_t id) = 0;
  virtual Result<User> user_by_name(const std::string& name) = 0;
  virtual Result<std::vector<User>> users() = 0;
  virtual Status set_password_hash(std::int64_t id, const std::string& hash) = 0;

  // Sessions, found by the hash of their id.
  virtual Status add_session(const Session& s) = 0;
  virtual Result<Session> session(const Digest& id_hash) = 0;
  virtual Status touch_session(const Digest& id_hash, TimeMs last_seen) = 0;
  virtual Status remove_session(const Digest& id_hash) = 0;
  virtual Status remove_user_sessions(std::int64_t user_id) = 0;
  // Drops sessions whose absolute expiry is past or that were idle longer than idle_ms.
  virtual Status remove_expired_sessions(TimeMs now, TimeMs idle_ms) = 0;

  // API tokens, found by the hash of the token. Names are unique.
  virtual Result<ApiToken> add_token(const NewToken& t) = 0;
  virtual Result<std::vector<ApiToken>> tokens() = 0;
  virtual Result<ApiToken> token_by_hash(const Digest& hash) = 0;
  virtual Status touch_token(std::int64_t id, TimeMs now) = 0;
  virtual Status remove_token(std::int64_t id) = 0;  // not_found when absent
};

struct SqliteAccountsOptions {
  int busy_timeout_ms = 5000;
};

// Opens (creating tables if needed) the accounts in the SQLite file at path.
Result<std::unique_ptr<AccountStore>> open_sqlite_accounts(const std::string& path,
                                                           const SqliteAccountsOptions& o = {});

}  // namespace cw::store
