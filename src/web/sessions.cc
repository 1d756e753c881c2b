#include "web/sessions.h"

#include "web/passwords.h"

namespace cw::web {

namespace {
Status bad_credentials() {
  return {Code::kUnauthenticated, "wrong user name or password"};
}
Status no_session() {
  return {Code::kUnauthenticated, "no valid session: please log in"};
}
}  // namespace

Result<OpenedSession> login(store::AccountStore& accounts, const std::string& name,
                            const std::string& password, TimeMs now, const SessionPolicy& policy) {
  if (password.size() > kMaxPasswordLength) return bad_credentials();
  auto user = accounts.user_by_name(name);
  if (!user) {
    if (user.status().code() != Code::kNotFound) return user.status();
    burn_password_check(password);
    return bad_credentials();
  }
  if (!verify_password(password, user->password_hash)) return bad_credentials();
  return open_session(accounts, *user, now, policy);
}

Result<OpenedSession> open_session(store::AccountStore& accounts, const store::User& user,
                                   TimeMs now, const SessionPolicy& policy) {
  // Housekeeping at the rare moment a session is born keeps the table small.
  (void)accounts.remove_expired_sessions(now, policy.idle_ms);
  OpenedSession out{random_secret(), user, now + policy.absolute_ms};
  CW_RETURN_IF_ERROR(
      accounts.add_session(store::Session{sha256(out.id), user.id, now, now, out.expires}));
  return out;
}

Result<store::User> resolve_session(store::AccountStore& accounts, std::string_view id, TimeMs now,
                                    const SessionPolicy& policy) {
  if (id.empty() || id.size() > 128) return no_session();
  const store::Digest h = sha256(id);
  auto s = accounts.session(h);
  if (!s) return s.status().code() == Code::kNotFound ? no_session() : s.status();
  // Refused, and left in place: a refusal writes nothing (the next login sweeps dead sessions).
  if (now >= s->expires || now >= s->last_seen + policy.idle_ms) return no_session();
  if (now - s->last_seen >= policy.touch_every_ms) (void)accounts.touch_session(h, now);
  auto user = accounts.user(s->user_id);
  if (!user) return user.status().code() == Code::kNotFound ? no_session() : user.status();
  return user;
}

Status close_session(store::AccountStore& accounts, std::string_view id) {
  if (id.empty() || id.size() > 128) return Status::ok();
  return accounts.remove_session(sha256(id));
}

}  // namespace cw::web
