// Account operations shared by the CLI and the JSON API: they validate, hash, then store, so a
// bad input changes nothing.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/accounts.h"

namespace cw::web {

// Checks the name and password rules (passwords.h), hashes, stores. already_exists when taken.
// With only_if_none the user is created only if there is no user yet (first-run setup).
Result<store::User> create_user(store::AccountStore& accounts, const std::string& name,
                                const std::string& password, store::Role role, TimeMs now = 0,
                                bool only_if_none = false);

struct CreatedToken {
  store::ApiToken token;
  std::string secret;  // "cwt_...": shown once, never stored
};

// Token names follow the user name rules.
Result<CreatedToken> create_token(store::AccountStore& accounts, const std::string& name,
                                  store::TokenScope scope, TimeMs now = 0);
Result<std::vector<store::ApiToken>> list_tokens(store::AccountStore& accounts);
Status revoke_token(store::AccountStore& accounts, std::int64_t id);

// Replaces a user's password and ends all of the user's sessions.
Status set_password(store::AccountStore& accounts, const std::string& name,
                    const std::string& password);

}  // namespace cw::web
