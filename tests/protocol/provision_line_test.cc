// Provisioning line framing and the INFO/HELLO text: checksum, numbers, hex, tokens, round trips.
#include "protocol/provision_line.h"

#include <gtest/gtest.h>

#include <cctype>
#include <climits>
#include <cstring>
#include <string>

#include "protocol/provision_info.h"

namespace cw::protocol::provision {
namespace {

std::string sealed(const std::string& body) {
  char buf[kMaxReplyLine + 1];
  LineWriter w(buf, sizeof buf);
  w.str(body.c_str());
  size_t n = w.finish();
  return std::string(buf, n);
}

LineCheck check(const std::string& line, size_t* body = nullptr) {
  size_t b = 0;
  LineCheck c = check_line(line.data(), line.size(), &b);
  if (body) *body = b;
  return c;
}

TEST(ProvisionLine, Crc8IsSmbusWithItsCheckValue) {
  EXPECT_EQ(crc8("123456789", 9), 0xF4);
  EXPECT_EQ(crc8("", 0), 0x00);
  EXPECT_EQ(crc8("HELLO", 5), 0x35);  // the example of docs/protocol.md
}

TEST(ProvisionLine, WriterAppendsUpperCaseChecksumAndNewline) {
  EXPECT_EQ(sealed("HELLO"), "HELLO*35\n");
  std::string line = sealed("SET ID 42");
  ASSERT_EQ(line.back(), '\n');
  line.pop_back();
  size_t body = 0;
  EXPECT_EQ(check(line, &body), LineCheck::kOk);
  EXPECT_EQ(body, 9u);
  EXPECT_EQ(check(line + "\r"), LineCheck::kOk);  // CRLF from a terminal is fine
}

TEST(ProvisionLine, ChecksumDigitsInEitherCase) {
  EXPECT_EQ(check("SET ID 42*4F"), LineCheck::kOk);
  EXPECT_EQ(check("SET ID 42*4f"), LineCheck::kOk);
}

TEST(ProvisionLine, DamagedLinesAreRefused) {
  EXPECT_EQ(check("HELLO"), LineCheck::kNoChecksum);
  EXPECT_EQ(check("HELLO*A"), LineCheck::kNoChecksum);
  EXPECT_EQ(check(""), LineCheck::kNoChecksum);
  EXPECT_EQ(check("HELLO*G5"), LineCheck::kBadChecksum);
  EXPECT_EQ(check("HELLO*36"), LineCheck::kBadChecksum);
  EXPECT_EQ(check("HEL*LO*35"), LineCheck::kBadByte);
  EXPECT_EQ(check(std::string("HEL\0LO*00", 9)), LineCheck::kBadByte);
}

TEST(ProvisionLine, EverySingleBitFlipIsDetected) {
  std::string good = sealed("SET KEY 000102030405060708090a0b0c0d0e0f");
  good.pop_back();
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      // The checksum's hex letters are case-insensitive: 'E' -> 'e' is the same checksum.
      if (i + 2 >= good.size() && std::toupper(bad[i]) == std::toupper(good[i])) continue;
      EXPECT_NE(check(bad), LineCheck::kOk) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(ProvisionLine, WriterRefusesALineThatDoesNotFit) {
  char buf[10];
  LineWriter w(buf, sizeof buf);
  w.str("HELLO");  // 5 + "*CC\n" = 9 fits
  EXPECT_EQ(w.finish(), 9u);
  LineWriter w2(buf, sizeof buf);
  w2.str("HELLO!!");  // 7 + "*CC\n" = 11 does not
  EXPECT_EQ(w2.finish(), 0u);
  EXPECT_FALSE(w2.ok());
}

TEST(ProvisionLine, Numbers) {
  uint32_t u = 1;
  EXPECT_TRUE(parse_u32("0", 1, &u));
  EXPECT_EQ(u, 0u);
  EXPECT_TRUE(parse_u32("4294967295", 10, &u));
  EXPECT_EQ(u, 4294967295u);
  for (const char* bad : {"", "4294967296", "01", "-1", "+1", "1a", "99999999999"})
    EXPECT_FALSE(parse_u32(bad, std::char_traits<char>::length(bad), &u)) << bad;
  int32_t i = 0;
  EXPECT_TRUE(parse_i32("-2147483648", 11, &i));
  EXPECT_EQ(i, INT32_MIN);
  EXPECT_TRUE(parse_i32("2147483647", 10, &i));
  EXPECT_EQ(i, INT32_MAX);
  for (const char* bad : {"2147483648", "-2147483649", "-0", "-", "--1", ""})
    EXPECT_FALSE(parse_i32(bad, std::char_traits<char>::length(bad), &i)) << bad;
}

TEST(ProvisionLine, Hex) {
  uint8_t out[2] = {};
  EXPECT_TRUE(hex_decode("aB0f", 4, out, 2));
  EXPECT_EQ(out[0], 0xAB);
  EXPECT_EQ(out[1], 0x0F);
  EXPECT_FALSE(hex_decode("ab0", 3, out, 2));
  EXPECT_FALSE(hex_decode("ab0fe", 5, out, 2));
  EXPECT_FALSE(hex_decode("ab0g", 4, out, 2));
  EXPECT_FALSE(hex_decode("ab 0", 4, out, 2));
}

TEST(ProvisionLine, Tokens) {
  Token t[3];
  EXPECT_EQ(tokenize("SET ID 1", 8, t, 3), 3u);
  EXPECT_TRUE(token_is(t[0], "SET"));
  EXPECT_FALSE(token_is(t[0], "SE"));
  EXPECT_FALSE(token_is(t[0], "SETS"));
  EXPECT_EQ(std::string(t[2].text, t[2].len), "1");
  EXPECT_EQ(tokenize("SET  ID", 7, t, 3), 0u);
  EXPECT_EQ(tokenize(" SET", 4, t, 3), 0u);
  EXPECT_EQ(tokenize("SET ", 4, t, 3), 0u);
  EXPECT_EQ(tokenize("", 0, t, 3), 0u);
  EXPECT_EQ(tokenize("A B C D E", 9, t, 3), 4u);
}

Info extreme_info() {
  Info info;
  info.firmware_version = 0xFFFF;
  info.sensor_id = 65535;
  for (auto& b : info.radio_address) b = 0xE5;
  info.key_set = true;
  info.frame_counter = UINT32_MAX;
  for (auto& c : info.calibration) c = INT32_MIN;
  return info;
}

std::string info_body(const Info& info) {
  char buf[kMaxReplyLine + 1];
  LineWriter w(buf, sizeof buf);
  write_info(info, w.str("OK "));
  size_t n = w.finish();
  EXPECT_GT(n, 0u) << "the longest INFO reply must fit kMaxReplyLine";
  std::string line(buf, n);
  return line.substr(0, line.find('*'));
}

void expect_same(const Info& a, const Info& b) {
  EXPECT_EQ(a.firmware_version, b.firmware_version);
  EXPECT_EQ(a.sensor_id, b.sensor_id);
  EXPECT_EQ(0, memcmp(a.radio_address, b.radio_address, kRadioAddressSize));
  EXPECT_EQ(a.key_set, b.key_set);
  EXPECT_EQ(a.frame_counter, b.frame_counter);
  EXPECT_EQ(0, memcmp(a.calibration, b.calibration, sizeof a.calibration));
}

TEST(ProvisionInfo, RoundTripsIncludingTheLongestReply) {
  Info in = extreme_info();
  std::string body = info_body(in);
  Info out;
  ASSERT_TRUE(parse_info(body.data(), body.size(), &out)) << body;
  expect_same(in, out);

  Info small;  // all zero: an unprovisioned sensor
  small.firmware_version = 0x0102;
  small.calibration[3] = -12;
  body = info_body(small);
  EXPECT_EQ(body, "OK INFO FW=1.2 ID=0 ADDR=0000000000 KEY=0 CTR=0 CAL=0,0,0,-12");
  ASSERT_TRUE(parse_info(body.data(), body.size(), &out));
  expect_same(small, out);
}

TEST(ProvisionInfo, MalformedInfoIsRefused) {
  const char* bad[] = {
      "OK INFO FW=1.2 ID=1 ADDR=e056d446d0 KEY=1 CTR=5",                  // no CAL
      "OK INFO FW=1.2 ID=1 ADDR=e056d446d0 KEY=1 CTR=5 CAL=1,2,3",        // 3 channels
      "OK INFO FW=1.2 ID=1 ADDR=e056d446d0 KEY=1 CTR=5 CAL=1,2,3,4,5",    // 5 channels
      "OK INFO FW=1.2 ID=1 ADDR=e056d446d0 KEY=2 CTR=5 CAL=1,2,3,4",      // KEY not 0/1
      "OK INFO FW=1.2 ID=65536 ADDR=e056d446d0 KEY=1 CTR=5 CAL=1,2,3,4",  // id range
      "OK INFO FW=1.2 ID=1 ADDR=e056d446d KEY=1 CTR=5 CAL=1,2,3,4",       // short address
      "OK INFO FW=256.0 ID=1 ADDR=e056d446d0 KEY=1 CTR=5 CAL=1,2,3,4",    // version range
      "OK INFO ID=1 FW=1.2 ADDR=e056d446d0 KEY=1 CTR=5 CAL=1,2,3,4",      // order
      "OK INFO FW=1.2 ID=1 ADDR=e056d446d0 KEY=1 CTR=5 CAL=1,,3,4",       // empty value
      "OK INFO FW=1.2 ID=1 ADDR=e056d446d0 KEY=1 CTR=5 CAL=1,2,3,4 X=1",  // extra
      "OK HELLO FW=1.2 ID=1 ADDR=e056d446d0 KEY=1 CTR=5 CAL=1,2,3,4",     // not INFO
  };
  Info out;
  for (const char* b : bad)
    EXPECT_FALSE(parse_info(b, std::char_traits<char>::length(b), &out)) << b;
}

TEST(ProvisionInfo, Hello) {
  char buf[kMaxReplyLine + 1];
  LineWriter w(buf, sizeof buf);
  write_hello(0x0203, w.str("OK "));
  std::string body(buf, w.size());
  EXPECT_EQ(body, "OK HELLO CWPROV=1 FW=2.3");
  uint8_t proto = 0;
  uint16_t fw = 0;
  ASSERT_TRUE(parse_hello(body.data(), body.size(), &proto, &fw));
  EXPECT_EQ(proto, 1);
  EXPECT_EQ(fw, 0x0203);
  EXPECT_FALSE(parse_hello("OK HELLO FW=2.3", 15, &proto, &fw));
  EXPECT_FALSE(parse_hello("OK HELLO CWPROV=1 FW=2", 22, &proto, &fw));
}

}  // namespace
}  // namespace cw::protocol::provision
