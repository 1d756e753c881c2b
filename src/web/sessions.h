// Login sessions: a random id in the browser's cookie, its SHA-256 in the accounts store.
// A session ends after 7 idle days or 30 days in all, whichever comes first; a new id is issued
// at every login (the old one, if presented, is dropped), so a planted id never gains rights.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"
#include "store/accounts.h"

namespace cw::web {

struct SessionPolicy {
  TimeMs idle_ms = 7 * kDayMs;
  TimeMs absolute_ms = 30 * kDayMs;
  TimeMs touch_every_ms = kMinuteMs;  // last_seen is rewritten at most this often
};

struct OpenedSession {
  std::string id;  // clear session id for the cookie; never stored
  store::User user;
  TimeMs expires = 0;
};

// Checks the credentials (slow: Argon2id) and opens a session. unauthenticated on a wrong
// name or password, with the same message and about the same time for both.
Result<OpenedSession> login(store::AccountStore& accounts, const std::string& name,
                            const std::string& password, TimeMs now,
                            const SessionPolicy& policy = {});

// Opens a session for a user whose identity is already established (setup, tests).
Result<OpenedSession> open_session(store::AccountStore& accounts, const store::User& user,
                                   TimeMs now, const SessionPolicy& policy = {});

// The user behind a session id, refreshing its idle timer. unauthenticated when the id is
// unknown, expired or idle too long (expired sessions are deleted by the next login).
Result<store::User> resolve_session(store::AccountStore& accounts, std::string_view id, TimeMs now,
                                    const SessionPolicy& policy = {});

Status close_session(store::AccountStore& accounts, std::string_view id);

}  // namespace cw::web
