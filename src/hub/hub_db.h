// The hub's database (PostgreSQL): its schema and every write of the hub protocol.
//
// What is kept, and why nothing links a contribution to a base (docs/privacy.md):
// - bases: enrolled base stations (an id, the operator's label, the SHA-256 of the secret);
// - issuances: one row per base and period, the blinded message's hash and the blind signature
//   (what the hub saw when signing; RSA blinding makes it independent of the token);
// - period_keys: the RSA key that signs the tokens of each local day;
// - contributions, spent_tokens: keyed by the SHA-256 of the token message. No base id, no
//   address, no time of arrival, no serial number: insertion order is not stored;
// - dirty_periods, published_cells, epsilon_ledger: what publication needs.
//
// Thread-safety: every method may be called from any thread (each takes a pooled connection).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "hub/pg_pool.h"
#include "privacy/blind_rsa.h"
#include "privacy/contribution.h"

namespace cw::hub {

struct PeriodKey {
  std::string period;
  std::string key_id;
  privacy::BlindRsaPublicKey pk;
  privacy::BlindRsaPrivateKey sk;
};

enum class Stored { kNew, kDuplicate };

class HubDb {
 public:
  explicit HubDb(PgPool& pool, int key_bits = 2048) : pool_(pool), key_bits_(key_bits) {}

  Status migrate();

  // A new base: returns its credential "cwb_<id>_<secret>", shown once.
  Result<std::string> enrol(const std::string& label);
  Status revoke_base(const std::string& id);
  // The base id behind a credential; kUnauthenticated when unknown, wrong or revoked.
  Result<std::string> authenticate(const std::string& credential);

  // The period's key, made on first use when create is true.
  Result<std::shared_ptr<const PeriodKey>> key(const std::string& period, bool create);

  // One blind signature per base and period: the same blinded message again gets the same
  // answer (a lost reply can be retried); another one is kAlreadyExists.
  Result<privacy::Bytes> issue(const std::string& base_id, const std::string& period,
                               const PeriodKey& key, const privacy::Bytes& blinded);

  // Stores a checked contribution; kAlreadyExists when its token was spent on other data.
  Result<Stored> store(const privacy::Contribution& c);
  // Removes the contributions whose deletion hash is SHA-256(handle); returns how many.
  Result<int> erase(const std::vector<privacy::Bytes>& handles);

  PgPool& pool() { return pool_; }

 private:
  PgPool& pool_;
  int key_bits_;
  std::mutex keys_mu_;
  std::map<std::string, std::shared_ptr<const PeriodKey>> keys_;  // guarded by keys_mu_
};

}  // namespace cw::hub
