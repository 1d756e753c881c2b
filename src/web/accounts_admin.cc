#include "web/accounts_admin.h"

#include "web/passwords.h"

namespace cw::web {

Result<store::User> create_user(store::AccountStore& accounts, const std::string& name,
                                const std::string& password, store::Role role, TimeMs now,
                                bool only_if_none) {
  CW_RETURN_IF_ERROR(check_username(name));
  CW_RETURN_IF_ERROR(check_password(password));
  auto hash = hash_password(password);
  if (!hash) return hash.status();
  return accounts.add_user(store::NewUser{name, role, *hash, now}, only_if_none);
}

Result<CreatedToken> create_token(store::AccountStore& accounts, const std::string& name,
                                  store::TokenScope scope, TimeMs now) {
  Status ok_name = check_username(name);
  if (!ok_name) return invalid_argument("token name: " + ok_name.message());
  std::string secret = new_token_secret();
  auto token = accounts.add_token(store::NewToken{name, scope, sha256(secret), now});
  if (!token) return token.status();
  return CreatedToken{*token, std::move(secret)};
}

Result<std::vector<store::ApiToken>> list_tokens(store::AccountStore& accounts) {
  return accounts.tokens();
}

Status revoke_token(store::AccountStore& accounts, std::int64_t id) {
  return accounts.remove_token(id);
}

Status set_password(store::AccountStore& accounts, const std::string& name,
                    const std::string& password) {
  CW_RETURN_IF_ERROR(check_password(password));
  auto user = accounts.user_by_name(name);
  if (!user) return user.status();
  auto hash = hash_password(password);
  if (!hash) return hash.status();
  CW_RETURN_IF_ERROR(accounts.set_password_hash(user->id, *hash));
  return accounts.remove_user_sessions(user->id);
}

}  // namespace cw::web
