// Consent at home: what a household agreed to share, with which words, since when.
//
// Four items, each opted into separately: three purposes (open_data, comparator, challenges)
// and the half_hour granularity, which is only ever on by explicit choice and needs open_data
// (the default, and the only granularity of comparator and challenges, is one total per day).
// Each item has a versioned text in French and English; a grant records the version and the
// SHA-256 of the exact text shown, so the ledger proves what the household read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace cw::privacy {

enum class ConsentItem { kOpenData, kComparator, kChallenges, kHalfHour };
inline constexpr ConsentItem kConsentItems[] = {ConsentItem::kOpenData, ConsentItem::kComparator,
                                                ConsentItem::kChallenges, ConsentItem::kHalfHour};

const char* consent_item_name(ConsentItem i);
Result<ConsentItem> parse_consent_item(std::string_view s);

struct ConsentText {
  std::string version;
  std::string fr;
  std::string en;
};
// The text of an item in force now.
const ConsentText& consent_text(ConsentItem item);
// The text in a language ("fr" or "en"); invalid_argument otherwise.
Result<std::string> consent_text_in(ConsentItem item, std::string_view lang);

// One line of the consent ledger (append-only).
struct LedgerEntry {
  std::int64_t seq = 0;
  TimeMs t = 0;
  ConsentItem item = ConsentItem::kOpenData;
  bool granted = false;  // false: revoked
  std::string text_version;
  std::string lang;
  std::string text_sha256;  // hex, of the exact text shown
  int backfill_days = 0;    // days before the grant that may be shared too (0..30)
};

// The state now: for each item, its last grant if it was not revoked since.
struct ConsentState {
  std::optional<LedgerEntry> open_data, comparator, challenges, half_hour;
  const std::optional<LedgerEntry>& of(ConsentItem i) const;
  std::optional<LedgerEntry>& of(ConsentItem i);
  bool any_purpose() const { return open_data || comparator || challenges; }
  std::uint8_t purposes() const;  // Purpose bits
};

ConsentState fold_ledger(const std::vector<LedgerEntry>& ledger);

inline constexpr int kMaxBackfillDays = 30;

}  // namespace cw::privacy
