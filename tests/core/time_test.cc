#include "core/time.h"

#include <gtest/gtest.h>

#include "core/calendar.h"

namespace cw {
namespace {

TEST(ParseInstant, AcceptsIsoWithZoneAndEpochForms) {
  EXPECT_EQ(*parse_instant("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(*parse_instant("2024-03-31T03:00:00+02:00"), *parse_instant("2024-03-31T01:00:00Z"));
  EXPECT_EQ(*parse_instant("2024-03-31"), *parse_instant("2024-03-31T00:00:00Z"));
  EXPECT_EQ(*parse_instant("1711846800"), 1711846800000);
  EXPECT_EQ(*parse_instant("1711846800123"), 1711846800123);
  EXPECT_EQ(*parse_instant("2024-01-01T00:00:00.5Z"), *parse_instant("2024-01-01") + 500);
}

TEST(ParseInstant, RefusesAmbiguousOrBrokenText) {
  for (const char* bad : {"", "2024-13-01", "2024-02-30", "2024-01-01T25:00Z", "2024-01-01T10:00",
                          "yesterday", "2024-01-01T10:00Zjunk", "99999999999999999999"}) {
    auto r = parse_instant(bad);
    EXPECT_FALSE(r.is_ok()) << bad;
    if (!r) {
      EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    }
  }
}

TEST(FormatIso, RoundTrips) {
  EXPECT_EQ(format_iso_utc(1711846800123), "2024-03-31T01:00:00.123Z");
  EXPECT_EQ(*parse_instant(format_iso_utc(1711846800123)), 1711846800123);
}

TEST(Calendar, ParisDstDaysHave23And25Hours) {
  auto cal = *Calendar::in_zone("Europe/Paris");
  TimeMs spring = *parse_instant("2024-03-31T12:00:00Z");
  TimeMs autumn = *parse_instant("2024-10-27T12:00:00Z");
  EXPECT_EQ(cal.next(spring, Period::kDay) - cal.floor(spring, Period::kDay), 23 * kHourMs);
  EXPECT_EQ(cal.next(autumn, Period::kDay) - cal.floor(autumn, Period::kDay), 25 * kHourMs);
  EXPECT_EQ(cal.floor(spring, Period::kDay), *parse_instant("2024-03-30T23:00:00Z"));
  EXPECT_EQ(cal.floor(autumn, Period::kMonth), *parse_instant("2024-09-30T22:00:00Z"));
  EXPECT_EQ(cal.next(autumn, Period::kMonth), *parse_instant("2024-10-31T23:00:00Z"));
  EXPECT_EQ(cal.floor(autumn, Period::kWeek), *parse_instant("2024-10-20T22:00:00Z"));
  EXPECT_EQ(cal.format_local(spring), "2024-03-31T14:00:00+02:00");
}

TEST(Calendar, RepeatedAutumnHourStaysTwoHours) {
  auto cal = *Calendar::in_zone("Europe/Paris");
  TimeMs first = *parse_instant("2024-10-27T00:30:00Z");   // 02:30 CEST
  TimeMs second = *parse_instant("2024-10-27T01:30:00Z");  // 02:30 CET
  EXPECT_NE(cal.floor(first, Period::kHour), cal.floor(second, Period::kHour));
}

TEST(Calendar, UnknownZoneIsAnError) {
  EXPECT_FALSE(Calendar::in_zone("Mars/Olympus").is_ok());
}

}  // namespace
}  // namespace cw
