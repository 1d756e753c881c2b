#include "web/access_policy.h"

namespace cw::web {

namespace {

constexpr bool Y = true, N = false;

// Rows: Access in enum order. Columns: anonymous, member, admin, read token, write token,
// ingest token, share link. Tokens never administer (a leaked script key must not make users);
// a session never ingests (inputs are posted by GET: a session would make them a CSRF target).
constexpr std::array<std::array<bool, kCallerCount>, kAccessCount> kTable = {{
    //         anon member admin  read write ingest share
    /* kPublic */ {Y, Y, Y, Y, Y, Y, Y},
    /* kRead   */ {N, Y, Y, Y, Y, N, N},
    /* kWrite  */ {N, N, Y, N, Y, N, N},
    /* kAdmin  */ {N, N, Y, N, N, N, N},
    /* kIngest */ {N, N, N, N, Y, Y, N},
    /* kMember */ {N, Y, Y, N, Y, N, N},
    /* kShared */ {N, Y, Y, Y, Y, N, Y},
}};

}  // namespace

bool allowed(Access access, Caller caller) {
  return kTable[static_cast<std::size_t>(access)][static_cast<std::size_t>(caller)];
}

const char* caller_name(Caller c) {
  static constexpr const char* kNames[kCallerCount] = {
      "anonymous", "member", "admin", "read_token", "write_token", "ingest_token", "share_link"};
  return kNames[static_cast<std::size_t>(c)];
}

const char* access_name(Access a) {
  static constexpr const char* kNames[kAccessCount] = {"public", "read",   "write", "admin",
                                                       "ingest", "member", "shared"};
  return kNames[static_cast<std::size_t>(a)];
}

}  // namespace cw::web
