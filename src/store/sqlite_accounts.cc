// AccountStore on SQLite: one connection, serialised by a mutex (account traffic is light:
// logins, and one session lookup per API request).
#include <mutex>

#include "store/accounts.h"
#include "store/accounts_sql.h"

namespace cw::store {

const char* role_name(Role r) {
  return r == Role::kAdmin ? "admin" : "member";
}
const char* scope_name(TokenScope s) {
  switch (s) {
    case TokenScope::kWrite: return "write";
    case TokenScope::kIngest: return "ingest";
    default: return "read";
  }
}

Result<Role> parse_role(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "member") return Role::kMember;
  return invalid_argument("role must be admin or member");
}

Result<TokenScope> parse_scope(std::string_view name) {
  if (name == "read") return TokenScope::kRead;
  if (name == "write") return TokenScope::kWrite;
  if (name == "ingest") return TokenScope::kIngest;
  return invalid_argument("scope must be read, write or ingest");
}

namespace {

using acct::Db;
using acct::Stmt;

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS accounts_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role INTEGER NOT NULL,
  password_hash TEXT NOT NULL,
  created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash BLOB PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  scope INTEGER NOT NULL,
  hash BLOB NOT NULL UNIQUE,
  created INTEGER NOT NULL,
  last_used INTEGER NOT NULL DEFAULT 0);
)sql";

constexpr const char* kUserCols = "SELECT id, name, role, password_hash, created FROM users ";
constexpr const char* kTokenCols =
    "SELECT id, name, scope, hash, created, last_used FROM api_tokens ";

User read_user(const Stmt& s) {
  return User{s.i64(0), s.text(1), s.i64(2) == 0 ? Role::kAdmin : Role::kMember, s.text(3),
              s.i64(4)};
}

ApiToken read_token(const Stmt& s) {
  const std::int64_t scope = s.i64(2);
  ApiToken t{s.i64(0), s.text(1),
             scope == 1   ? TokenScope::kWrite
             : scope == 2 ? TokenScope::kIngest
                          : TokenScope::kRead};
  s.blob_into(3, t.hash);
  t.created = s.i64(4);
  t.last_used = s.i64(5);
  return t;
}

class SqliteAccounts final : public AccountStore {
 public:
  explicit SqliteAccounts(Db db) : db_(std::move(db)) {}

  Result<User> add_user(const NewUser& u, bool only_if_none) override {
    std::lock_guard lock(mu_);
    CW_RETURN_IF_ERROR(db_.exec("BEGIN IMMEDIATE"));
    auto r = add_user_locked(u, only_if_none);
    Status end = db_.exec(r ? "COMMIT" : "ROLLBACK");
    if (r && !end) return end;
    return r;
  }

  Result<std::int64_t> user_count() override {
    std::lock_guard lock(mu_);
    return count_users_locked();
  }

  Result<User> user(std::int64_t id) override {
    std::lock_guard lock(mu_);
    return one<User>(std::string(kUserCols) + "WHERE id = ?", read_user, id, "user");
  }

  Result<User> user_by_name(const std::string& name) override {
    std::lock_guard lock(mu_);
    return one<User>(std::string(kUserCols) + "WHERE name = ?", read_user, name, "user");
  }

  Result<std::vector<User>> users() override {
    std::lock_guard lock(mu_);
    return all<User>(std::string(kUserCols) + "ORDER BY id", read_user);
  }

  Status set_password_hash(std::int64_t id, const std::string& hash) override {
    std::lock_guard lock(mu_);
    return change("UPDATE users SET password_hash = ? WHERE id = ?", hash, id, "user");
  }

  Status add_session(const Session& s) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(
        "INSERT INTO sessions (id_hash, user_id, created, last_seen, expires) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!st) return st.status();
    return st->bind(1, s.id_hash)
        .bind(2, s.user_id)
        .bind(3, s.created)
        .bind(4, s.last_seen)
        .bind(5, s.expires)
        .run();
  }

  Result<Session> session(const Digest& id_hash) override {
    std::lock_guard lock(mu_);
    auto read = [&](const Stmt& s) {
      return Session{id_hash, s.i64(0), s.i64(1), s.i64(2), s.i64(3)};
    };
    return one<Session>(
        "SELECT user_id, created, last_seen, expires FROM sessions WHERE id_hash = ?", read,
        std::span<const std::uint8_t>(id_hash), "session");
  }

  Status touch_session(const Digest& id_hash, TimeMs last_seen) override {
    std::lock_guard lock(mu_);
    return change("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", last_seen,
                  std::span<const std::uint8_t>(id_hash), "session");
  }

  Status remove_session(const Digest& id_hash) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("DELETE FROM sessions WHERE id_hash = ?");
    if (!st) return st.status();
    return st->bind(1, id_hash).run();
  }

  Status remove_user_sessions(std::int64_t user_id) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("DELETE FROM sessions WHERE user_id = ?");
    if (!st) return st.status();
    return st->bind(1, user_id).run();
  }

  Status remove_expired_sessions(TimeMs now, TimeMs idle_ms) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("DELETE FROM sessions WHERE expires <= ? OR last_seen + ? <= ?");
    if (!st) return st.status();
    return st->bind(1, now).bind(2, idle_ms).bind(3, now).run();
  }

  Result<ApiToken> add_token(const NewToken& t) override {
    std::lock_guard lock(mu_);
    auto st =
        db_.prepare("INSERT INTO api_tokens (name, scope, hash, created) VALUES (?, ?, ?, ?)");
    if (!st) return st.status();
    Status s =
        st->bind(1, t.name).bind(2, std::int64_t(t.scope)).bind(3, t.hash).bind(4, t.created).run();
    if (s.code() == Code::kAlreadyExists)
      return Status(Code::kAlreadyExists, "a token named '" + t.name + "' already exists");
    if (!s) return s;
    return ApiToken{db_.last_insert_rowid(), t.name, t.scope, t.hash, t.created, 0};
  }

  Result<std::vector<ApiToken>> tokens() override {
    std::lock_guard lock(mu_);
    return all<ApiToken>(std::string(kTokenCols) + "ORDER BY id", read_token);
  }

  Result<ApiToken> token_by_hash(const Digest& hash) override {
    std::lock_guard lock(mu_);
    return one<ApiToken>(std::string(kTokenCols) + "WHERE hash = ?", read_token,
                         std::span<const std::uint8_t>(hash), "token");
  }

  Status touch_token(std::int64_t id, TimeMs now) override {
    std::lock_guard lock(mu_);
    return change("UPDATE api_tokens SET last_used = ? WHERE id = ?", now, id, "token");
  }

  Status remove_token(std::int64_t id) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("DELETE FROM api_tokens WHERE id = ?");
    if (!st) return st.status();
    CW_RETURN_IF_ERROR(st->bind(1, id).run());
    if (db_.changes() == 0) return not_found("no token with id " + std::to_string(id));
    return Status::ok();
  }

 private:
  Result<std::int64_t> count_users_locked() {
    auto st = db_.prepare("SELECT count(*) FROM users");
    if (!st) return st.status();
    auto row = st->step();
    if (!row) return row.status();
    return st->i64(0);
  }

  Result<User> add_user_locked(const NewUser& u, bool only_if_none) {
    if (only_if_none) {
      auto n = count_users_locked();
      if (!n) return n.status();
      if (*n > 0) return Status(Code::kAlreadyExists, "a user already exists");
    }
    auto st =
        db_.prepare("INSERT INTO users (name, role, password_hash, created) VALUES (?, ?, ?, ?)");
    if (!st) return st.status();
    Status s = st->bind(1, u.name)
                   .bind(2, std::int64_t(u.role))
                   .bind(3, u.password_hash)
                   .bind(4, u.created)
                   .run();
    if (s.code() == Code::kAlreadyExists)
      return Status(Code::kAlreadyExists, "a user named '" + u.name + "' already exists");
    if (!s) return s;
    return User{db_.last_insert_rowid(), u.name, u.role, u.password_hash, u.created};
  }

  template <typename T, typename Read, typename Key>
  Result<T> one(const std::string& sql, const Read& read, const Key& key, const char* what) {
    auto st = db_.prepare(sql);
    if (!st) return st.status();
    st->bind(1, key);
    auto row = st->step();
    if (!row) return row.status();
    if (!*row) return not_found(std::string("no such ") + what);
    return read(*st);
  }

  template <typename T, typename Read>
  Result<std::vector<T>> all(const std::string& sql, const Read& read) {
    auto st = db_.prepare(sql);
    if (!st) return st.status();
    std::vector<T> out;
    for (;;) {
      auto row = st->step();
      if (!row) return row.status();
      if (!*row) return out;
      out.push_back(read(*st));
    }
  }

  template <typename A, typename B>
  Status change(const char* sql, const A& a, const B& b, const char* what) {
    auto st = db_.prepare(sql);
    if (!st) return st.status();
    CW_RETURN_IF_ERROR(st->bind(1, a).bind(2, b).run());
    if (db_.changes() == 0) return not_found(std::string("no such ") + what);
    return Status::ok();
  }

  std::mutex mu_;
  Db db_;  // guarded by mu_
};

Status migrate(Db& db) {
  CW_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  Status s = db.exec(kSchema);
  int version = 0;
  if (s) {
    auto st = db.prepare("SELECT max(version) FROM accounts_schema");
    if (!st)
      s = st.status();
    else if (auto row = st->step(); !row)
      s = row.status();
    else
      version = static_cast<int>(st->i64(0));
  }
  if (s && version > kSchemaVersion)
    s = corruption("accounts schema version " + std::to_string(version) +
                   " is newer than this program (" + std::to_string(kSchemaVersion) + ")");
  if (s && version < kSchemaVersion) {
    auto st = db.prepare("INSERT INTO accounts_schema (version) VALUES (?)");
    s = st ? st->bind(1, std::int64_t(kSchemaVersion)).run() : st.status();
  }
  Status end = db.exec(s ? "COMMIT" : "ROLLBACK");
  return s ? end : s;
}

}  // namespace

Result<std::unique_ptr<AccountStore>> open_sqlite_accounts(const std::string& path,
                                                           const SqliteAccountsOptions& o) {
  Db db;
  CW_RETURN_IF_ERROR(db.open(path, o.busy_timeout_ms));
  CW_RETURN_IF_ERROR(db.exec("PRAGMA journal_mode = WAL"));
  CW_RETURN_IF_ERROR(db.exec("PRAGMA synchronous = NORMAL"));
  CW_RETURN_IF_ERROR(db.exec("PRAGMA foreign_keys = ON"));
  CW_RETURN_IF_ERROR(migrate(db));
  return std::unique_ptr<AccountStore>(new SqliteAccounts(std::move(db)));
}

}  // namespace cw::store
