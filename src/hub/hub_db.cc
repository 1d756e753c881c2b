#include "hub/hub_db.h"

#include <spdlog/spdlog.h>

#include "privacy/encoding.h"

namespace cw::hub {

namespace {

using privacy::Bytes;
using privacy::hex;
using privacy::sha256;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS bases (
  id text PRIMARY KEY,
  label text NOT NULL,
  secret_sha256 text NOT NULL,
  enrolled_on date NOT NULL DEFAULT current_date,
  revoked boolean NOT NULL DEFAULT false);
CREATE TABLE IF NOT EXISTS period_keys (
  period date PRIMARY KEY,
  key_id text NOT NULL UNIQUE,
  public_pem text NOT NULL,
  private_pem text NOT NULL);
CREATE TABLE IF NOT EXISTS issuances (
  base_id text NOT NULL REFERENCES bases(id),
  period date NOT NULL,
  blinded_sha256 text NOT NULL,
  blind_sig text NOT NULL,
  PRIMARY KEY (base_id, period));
CREATE TABLE IF NOT EXISTS spent_tokens (
  token_sha256 text PRIMARY KEY,
  period date NOT NULL);
CREATE TABLE IF NOT EXISTS contributions (
  token_sha256 text PRIMARY KEY,
  period date NOT NULL,
  granularity smallint NOT NULL,
  purposes smallint NOT NULL,
  area text NOT NULL,
  household_size text NOT NULL,
  heating text NOT NULL,
  dwelling text NOT NULL,
  daily_wh integer NOT NULL,
  half_hours_wh integer[],
  delete_sha256 text NOT NULL UNIQUE,
  body_sha256 text NOT NULL);
CREATE INDEX IF NOT EXISTS contributions_period ON contributions (period);
CREATE TABLE IF NOT EXISTS dirty_periods (period date PRIMARY KEY);
CREATE TABLE IF NOT EXISTS published_cells (
  dataset text NOT NULL,
  period date NOT NULL,
  area text NOT NULL,
  dimension text NOT NULL,
  grp text NOT NULL,
  slot smallint NOT NULL,
  n integer,
  total_wh bigint,
  mean_wh double precision,
  percentiles text,
  suppressed text NOT NULL,
  noisy boolean NOT NULL,
  PRIMARY KEY (dataset, period, area, dimension, grp, slot));
CREATE TABLE IF NOT EXISTS epsilon_ledger (
  dataset text NOT NULL,
  period date NOT NULL,
  release integer NOT NULL,
  epsilon double precision NOT NULL,
  released_on date NOT NULL,
  PRIMARY KEY (dataset, period, release));
)sql";

std::string body_hash(const privacy::Contribution& c) {
  return hex(sha256(privacy::binding_text(c) + "\n" + c.token.key_id));
}

std::string int_array(const std::vector<std::int64_t>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "}";
}

}  // namespace

Status HubDb::migrate() {
  return with_txn(pool_, [](pqxx::work& w) {
    w.exec("SELECT pg_advisory_xact_lock(8008)");  // two hubs starting at once
    w.exec(kSchema);
    return Status::ok();
  });
}

Result<std::string> HubDb::enrol(const std::string& label) {
  if (label.empty() || label.size() > 200)
    return invalid_argument("label must have 1 to 200 characters");
  const std::string id = hex(privacy::random_bytes(8));
  const std::string secret = privacy::b64url(privacy::random_bytes(32));
  Status s = with_txn(pool_, [&](pqxx::work& w) {
    w.exec_params("INSERT INTO bases (id, label, secret_sha256) VALUES ($1, $2, $3)", id, label,
                  hex(sha256(secret)));
    return Status::ok();
  });
  if (!s) return s;
  return "cwb_" + id + "_" + secret;
}

Status HubDb::revoke_base(const std::string& id) {
  return with_txn(pool_, [&](pqxx::work& w) {
    auto r = w.exec_params("UPDATE bases SET revoked = true WHERE id = $1", id);
    return r.affected_rows() ? Status::ok() : not_found("no base " + id);
  });
}

Result<std::string> HubDb::authenticate(const std::string& credential) {
  const Status denied(Code::kUnauthenticated, "unknown, wrong or revoked base credential");
  if (credential.size() < 22 || credential.rfind("cwb_", 0) != 0 || credential[20] != '_')
    return denied;
  const std::string id = credential.substr(4, 16), secret = credential.substr(21);
  std::optional<std::string> stored;
  Status s = with_txn(pool_, [&](pqxx::work& w) {
    auto r = w.exec_params("SELECT secret_sha256 FROM bases WHERE id = $1 AND NOT revoked", id);
    if (!r.empty()) stored = r[0][0].as<std::string>();
    return Status::ok();
  });
  if (!s) return s;
  const std::string given = hex(sha256(secret));
  if (!stored || !privacy::equal_secret(privacy::as_bytes(*stored), privacy::as_bytes(given)))
    return denied;
  return id;
}

Result<std::shared_ptr<const PeriodKey>> HubDb::key(const std::string& period, bool create) {
  {
    std::lock_guard lock(keys_mu_);
    if (auto it = keys_.find(period); it != keys_.end()) return it->second;
  }
  std::optional<std::pair<std::string, std::string>> pems;
  auto load = [&](pqxx::work& w) {
    auto r = w.exec_params(
        "SELECT public_pem, private_pem FROM period_keys WHERE period = $1::date", period);
    if (!r.empty()) pems = {r[0][0].as<std::string>(), r[0][1].as<std::string>()};
    return Status::ok();
  };
  CW_RETURN_IF_ERROR(with_txn(pool_, load));
  if (!pems && create) {
    auto sk = privacy::BlindRsaPrivateKey::generate(key_bits_);
    if (!sk) return sk.status();
    const auto pk = sk->public_key();
    CW_RETURN_IF_ERROR(with_txn(pool_, [&](pqxx::work& w) {
      // Two requests may race to make the key: the first one wins, both use it.
      w.exec_params("INSERT INTO period_keys VALUES ($1::date, $2, $3, $4) ON CONFLICT DO NOTHING",
                    period, pk.key_id(), pk.to_pem(), sk->to_pem());
      return Status::ok();
    }));
    CW_RETURN_IF_ERROR(with_txn(pool_, load));
  }
  if (!pems) return not_found("no key for " + period);
  auto pk = privacy::BlindRsaPublicKey::from_pem(pems->first);
  auto sk = privacy::BlindRsaPrivateKey::from_pem(pems->second);
  if (!pk || !sk) return corruption("stored key of " + period + " is not valid");
  auto k = std::make_shared<const PeriodKey>(PeriodKey{period, pk->key_id(), *pk, *sk});
  std::lock_guard lock(keys_mu_);
  return keys_.emplace(period, k).first->second;
}

Result<Bytes> HubDb::issue(const std::string& base_id, const std::string& period,
                           const PeriodKey& key, const Bytes& blinded) {
  const std::string blinded_hash = hex(sha256(blinded));
  Bytes out;
  Status s = with_txn(pool_, [&](pqxx::work& w) {
    auto r = w.exec_params(
        "SELECT blinded_sha256, blind_sig FROM issuances WHERE base_id = $1 AND period = $2::date "
        "FOR UPDATE",
        base_id, period);
    if (!r.empty()) {
      if (r[0][0].as<std::string>() != blinded_hash)
        return Status(Code::kAlreadyExists, "this base already has its token for " + period);
      out = *privacy::from_hex(r[0][1].as<std::string>());
      return Status::ok();
    }
    auto sig = privacy::blind_sign(key.sk, blinded);
    if (!sig) return sig.status();
    w.exec_params("INSERT INTO issuances VALUES ($1, $2::date, $3, $4)", base_id, period,
                  blinded_hash, hex(*sig));
    out = std::move(*sig);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<Stored> HubDb::store(const privacy::Contribution& c) {
  const std::string token = hex(sha256(c.token.msg)), body = body_hash(c);
  Stored result = Stored::kNew;
  Status s = with_txn(pool_, [&](pqxx::work& w) {
    auto spent = w.exec_params(
        "INSERT INTO spent_tokens VALUES ($1, $2::date) ON CONFLICT DO NOTHING RETURNING 1", token,
        c.period);
    if (spent.empty()) {
      auto same = w.exec_params(
          "SELECT 1 FROM contributions WHERE token_sha256 = $1 AND body_sha256 = $2", token, body);
      if (same.empty()) return Status(Code::kAlreadyExists, "this token was already spent");
      result = Stored::kDuplicate;
      return Status::ok();
    }
    auto ins = w.exec_params(
        "INSERT INTO contributions VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, "
        "$10::integer[], $11, $12) ON CONFLICT (delete_sha256) DO NOTHING RETURNING 1",
        token, c.period, static_cast<int>(c.granularity), static_cast<int>(c.purposes),
        c.context.area, c.context.household_size, c.context.heating, c.context.dwelling, c.daily_wh,
        c.half_hours_wh.empty() ? std::optional<std::string>() : int_array(c.half_hours_wh),
        hex(c.delete_hash), body);
    if (ins.empty())
      return Status(Code::kAlreadyExists, "a contribution with this deletion hash exists");
    w.exec_params("INSERT INTO dirty_periods VALUES ($1::date) ON CONFLICT DO NOTHING", c.period);
    return Status::ok();
  });
  if (!s) return s;
  return result;
}

Result<int> HubDb::erase(const std::vector<Bytes>& handles) {
  int deleted = 0;
  Status s = with_txn(pool_, [&](pqxx::work& w) {
    for (const Bytes& h : handles) {
      auto r =
          w.exec_params("DELETE FROM contributions WHERE delete_sha256 = $1 RETURNING period::text",
                        hex(sha256(h)));
      for (const auto& row : r) {
        ++deleted;
        w.exec_params("INSERT INTO dirty_periods VALUES ($1::date) ON CONFLICT DO NOTHING",
                      row[0].as<std::string>());
      }
    }
    return Status::ok();
  });
  if (!s) return s;
  return deleted;
}

}  // namespace cw::hub
