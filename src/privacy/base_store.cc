#include "privacy/base_store.h"

namespace cw::privacy {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS consent_ledger (
  seq INTEGER PRIMARY KEY,
  t_ms INTEGER NOT NULL,
  item TEXT NOT NULL,
  granted INTEGER NOT NULL,
  text_version TEXT NOT NULL,
  lang TEXT NOT NULL,
  text_sha256 TEXT NOT NULL,
  backfill_days INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS privacy_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS upload_queue (
  period TEXT PRIMARY KEY,
  state INTEGER NOT NULL,
  body TEXT NOT NULL,
  blind TEXT NOT NULL DEFAULT '',
  token TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_try_ms INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  sent_ms INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS erasures (handle TEXT PRIMARY KEY, period TEXT NOT NULL);
)sql";

const char* kItemCols =
    "SELECT period, state, body, blind, token, attempts, next_try_ms, last_error, sent_ms "
    "FROM upload_queue ";

struct Txn {
  explicit Txn(store::acct::Db& db) : db_(db) { ok_ = db_.exec("BEGIN IMMEDIATE").is_ok(); }
  ~Txn() {
    if (ok_ && !done_) (void)db_.exec("ROLLBACK");
  }
  Status commit() {
    done_ = true;
    return db_.exec("COMMIT");
  }
  store::acct::Db& db_;
  bool ok_ = false, done_ = false;
};

}  // namespace

const char* queue_state_name(QueueItem::State s) {
  switch (s) {
    case QueueItem::State::kPending:
      return "pending";
    case QueueItem::State::kTokened:
      return "tokened";
    case QueueItem::State::kSent:
      return "sent";
    case QueueItem::State::kFailed:
      return "failed";
    case QueueItem::State::kCancelled:
      return "cancelled";
  }
  return "?";
}

Result<std::unique_ptr<PrivacyStore>> PrivacyStore::open(const std::string& path) {
  store::acct::Db db;
  CW_RETURN_IF_ERROR(db.open(path, 5000));
  CW_RETURN_IF_ERROR(db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"));
  CW_RETURN_IF_ERROR(db.exec(kSchema));
  return std::unique_ptr<PrivacyStore>(new PrivacyStore(std::move(db)));
}

Result<std::int64_t> PrivacyStore::append_ledger(const LedgerEntry& e) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(
      "INSERT INTO consent_ledger (t_ms, item, granted, text_version, lang, text_sha256, "
      "backfill_days) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!s) return s.status();
  s->bind(1, e.t).bind(2, std::string_view(consent_item_name(e.item))).bind(3, e.granted ? 1 : 0);
  s->bind(4, std::string_view(e.text_version)).bind(5, std::string_view(e.lang));
  s->bind(6, std::string_view(e.text_sha256)).bind(7, std::int64_t{e.backfill_days});
  CW_RETURN_IF_ERROR(s->run());
  return db_.last_insert_rowid();
}

Result<std::vector<LedgerEntry>> PrivacyStore::ledger() {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(
      "SELECT seq, t_ms, item, granted, text_version, lang, text_sha256, backfill_days FROM "
      "consent_ledger ORDER BY seq");
  if (!s) return s.status();
  std::vector<LedgerEntry> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.status();
    if (!*row) break;
    auto item = parse_consent_item(s->text(2));
    if (!item) return corruption("consent ledger holds an unknown item");
    out.push_back(LedgerEntry{s->i64(0), s->i64(1), *item, s->i64(3) != 0, s->text(4), s->text(5),
                              s->text(6), static_cast<int>(s->i64(7))});
  }
  return out;
}

Result<std::optional<std::string>> PrivacyStore::setting(const std::string& key) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("SELECT value FROM privacy_settings WHERE key = ?");
  if (!s) return s.status();
  s->bind(1, std::string_view(key));
  auto row = s->step();
  if (!row) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(s->text(0));
}

Status PrivacyStore::set_setting(const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("INSERT OR REPLACE INTO privacy_settings (key, value) VALUES (?, ?)");
  if (!s) return s.status();
  s->bind(1, std::string_view(key)).bind(2, std::string_view(value));
  return s->run();
}

Result<Bytes> PrivacyStore::household_secret() {
  auto v = setting("household_secret");
  if (!v) return v.status();
  if (*v) return from_b64url(**v);
  Bytes secret = random_bytes(32);
  CW_RETURN_IF_ERROR(set_setting("household_secret", b64url(secret)));
  return secret;
}

Result<bool> PrivacyStore::has_period(const std::string& period) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("SELECT 1 FROM upload_queue WHERE period = ?");
  if (!s) return s.status();
  s->bind(1, std::string_view(period));
  return s->step();
}

Status PrivacyStore::insert(const QueueItem& item) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("INSERT INTO upload_queue (period, state, body) VALUES (?, ?, ?)");
  if (!s) return s.status();
  s->bind(1, std::string_view(item.period)).bind(2, std::int64_t(item.state));
  s->bind(3, std::string_view(item.body));
  return s->run();
}

Status PrivacyStore::update(const QueueItem& i) {
  std::lock_guard lock(mu_);
  // A revocation may have cancelled the day meanwhile: a cancelled day stays cancelled.
  auto s = db_.prepare(
      "UPDATE upload_queue SET state = ?, blind = ?, token = ?, attempts = ?, next_try_ms = ?, "
      "last_error = ?, sent_ms = ? WHERE period = ? AND state != ?");
  if (!s) return s.status();
  s->bind(1, std::int64_t(i.state)).bind(2, std::string_view(i.blind));
  s->bind(3, std::string_view(i.token)).bind(4, std::int64_t{i.attempts});
  s->bind(5, i.next_try_ms).bind(6, std::string_view(i.last_error)).bind(7, i.sent_ms);
  s->bind(8, std::string_view(i.period)).bind(9, std::int64_t(QueueItem::State::kCancelled));
  return s->run();
}

Result<std::vector<QueueItem>> PrivacyStore::items_locked() {
  auto s = db_.prepare(std::string(kItemCols) + "ORDER BY period");
  if (!s) return s.status();
  std::vector<QueueItem> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.status();
    if (!*row) break;
    QueueItem q;
    q.period = s->text(0);
    q.state = static_cast<QueueItem::State>(s->i64(1));
    q.body = s->text(2);
    q.blind = s->text(3);
    q.token = s->text(4);
    q.attempts = static_cast<int>(s->i64(5));
    q.next_try_ms = s->i64(6);
    q.last_error = s->text(7);
    q.sent_ms = s->i64(8);
    out.push_back(std::move(q));
  }
  return out;
}

Result<std::vector<QueueItem>> PrivacyStore::items() {
  std::lock_guard lock(mu_);
  return items_locked();
}

Result<QueueCounts> PrivacyStore::counts() {
  std::lock_guard lock(mu_);
  auto all = items_locked();
  if (!all) return all.status();
  QueueCounts c;
  for (const QueueItem& q : *all) {
    switch (q.state) {
      case QueueItem::State::kPending:
        ++c.pending;
        break;
      case QueueItem::State::kTokened:
        ++c.tokened;
        break;
      case QueueItem::State::kSent:
        ++c.sent;
        break;
      case QueueItem::State::kFailed:
        ++c.failed;
        break;
      case QueueItem::State::kCancelled:
        ++c.cancelled;
        break;
    }
  }
  auto s = db_.prepare("SELECT count(*) FROM erasures");
  if (!s) return s.status();
  auto row = s->step();
  if (!row) return row.status();
  c.deleting = static_cast<int>(s->i64(0));
  return c;
}

Status PrivacyStore::cancel_and_erase(
    const std::vector<std::pair<std::string, std::string>>& handles) {
  std::lock_guard lock(mu_);
  Txn txn(db_);
  if (!txn.ok_) return Status(Code::kUnavailable, "privacy database is busy");
  for (const auto& [period, handle] : handles) {
    auto s = db_.prepare("INSERT OR IGNORE INTO erasures (handle, period) VALUES (?, ?)");
    if (!s) return s.status();
    s->bind(1, std::string_view(handle)).bind(2, std::string_view(period));
    CW_RETURN_IF_ERROR(s->run());
  }
  auto s = db_.prepare(
      "UPDATE upload_queue SET state = ?, blind = '', token = '' WHERE state IN (?, ?, ?)");
  if (!s) return s.status();
  s->bind(1, std::int64_t(QueueItem::State::kCancelled));
  s->bind(2, std::int64_t(QueueItem::State::kPending));
  s->bind(3, std::int64_t(QueueItem::State::kTokened));
  s->bind(4, std::int64_t(QueueItem::State::kSent));
  CW_RETURN_IF_ERROR(s->run());
  return txn.commit();
}

Result<std::vector<std::string>> PrivacyStore::pending_erasures() {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("SELECT handle FROM erasures ORDER BY period");
  if (!s) return s.status();
  std::vector<std::string> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.status();
    if (!*row) break;
    out.push_back(s->text(0));
  }
  return out;
}

Status PrivacyStore::erasures_done(const std::vector<std::string>& handles) {
  std::lock_guard lock(mu_);
  Txn txn(db_);
  if (!txn.ok_) return Status(Code::kUnavailable, "privacy database is busy");
  for (const std::string& h : handles) {
    auto s = db_.prepare("DELETE FROM erasures WHERE handle = ?");
    if (!s) return s.status();
    s->bind(1, std::string_view(h));
    CW_RETURN_IF_ERROR(s->run());
  }
  return txn.commit();
}

}  // namespace cw::privacy
