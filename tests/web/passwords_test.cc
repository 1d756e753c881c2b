#include "web/passwords.h"

#include <gtest/gtest.h>

#include <set>

namespace cw::web {
namespace {

TEST(Username, AcceptsOrdinaryAndUnicodeNames) {
  EXPECT_TRUE(check_username("alice").is_ok());
  EXPECT_TRUE(check_username("Zoé Müller").is_ok());
  EXPECT_TRUE(check_username(std::string(64, 'a')).is_ok());
}

TEST(Username, RefusesEmptyLongControlAndBadUtf8) {
  EXPECT_EQ(check_username("").code(), Code::kInvalidArgument);
  EXPECT_EQ(check_username(std::string(65, 'a')).code(), Code::kInvalidArgument);
  EXPECT_FALSE(check_username("ali\nce").is_ok());
  EXPECT_FALSE(check_username(std::string("ali\0ce", 6)).is_ok());
  EXPECT_FALSE(check_username("ali\x7f").is_ok());
  EXPECT_FALSE(check_username("ali\xc2\x85").is_ok());  // U+0085, a C1 control
  EXPECT_FALSE(check_username("\xff\xfe").is_ok());
  EXPECT_FALSE(check_username("\xc0\xaf").is_ok());  // overlong '/'
  EXPECT_FALSE(check_username(" alice").is_ok());
}

TEST(Password, NeedsTenCharacters) {
  EXPECT_FALSE(check_password("123456789").is_ok());
  EXPECT_TRUE(check_password("1234567890").is_ok());
  EXPECT_FALSE(check_password(std::string(1025, 'x')).is_ok());
}

TEST(Password, HashIsArgon2idWithTheChosenCostAndVerifies) {
  auto h = hash_password("correct horse battery");
  ASSERT_TRUE(h.is_ok());
  EXPECT_EQ(h->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *h;
  EXPECT_TRUE(verify_password("correct horse battery", *h));
  EXPECT_FALSE(verify_password("correct horse batterY", *h));
  EXPECT_FALSE(verify_password("correct horse battery", "not a hash"));
  auto h2 = hash_password("correct horse battery");
  ASSERT_TRUE(h2.is_ok());
  EXPECT_NE(*h, *h2);  // salted
}

TEST(Secrets, AreBase64Url256BitsAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string s = random_secret();
    EXPECT_EQ(s.size(), 43u);
    EXPECT_EQ(
        s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 100u);
  std::string t = new_token_secret();
  EXPECT_EQ(t.rfind("cwt_", 0), 0u);
  EXPECT_EQ(t.size(), 47u);
}

TEST(Secrets, Sha256MatchesTheStandardVector) {
  store::Digest d = sha256("abc");
  static const unsigned char kAbc[] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
                                       0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                       0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                                       0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  EXPECT_TRUE(std::equal(d.begin(), d.end(), kAbc));
}

}  // namespace
}  // namespace cw::web
