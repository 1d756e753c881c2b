// Internal to the web layer: the authorisation table, the one place that says which caller may
// call a route of which access level. auth.cc identifies the caller; this table decides.
//
// Roles (docs/security.md): an admin runs the base station; a household member reads everything
// and may do what concerns daily use of the display (the household's target, acknowledging an
// alert, logging out, changing their own password) but changes no setting, sensor, consent,
// account or token. A share link reads a documented subset (Access::kShared) until it expires.
#pragma once

#include <array>
#include <cstddef>

#include "web/routes.h"

namespace cw::web {

enum class Caller : std::uint8_t {
  kAnonymous,
  kMember,       // a session of a user of role member
  kAdmin,        // a session of a user of role admin
  kReadToken,    // API token of scope read
  kWriteToken,   // API token of scope write
  kIngestToken,  // API token of scope ingest
  kShareLink,    // a read-only share link that has not expired
};
inline constexpr std::size_t kCallerCount = 7;
inline constexpr std::size_t kAccessCount = 7;

const char* caller_name(Caller c);
const char* access_name(Access a);

// The table: allowed(a, c) is true when a caller c may call a route of access a.
bool allowed(Access access, Caller caller);

}  // namespace cw::web
