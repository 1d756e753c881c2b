// The device side of the provisioning protocol, fed byte by byte as the firmware will feed it.
#include "protocol/provision_device.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "protocol/hex.h"
#include "protocol/provision_memory_storage.h"

namespace cw::protocol::provision {
namespace {

using testing::MemoryStorage;

constexpr const char* kKeyHex = "000102030405060708090a0b0c0d0e0f";

std::string with_checksum(const std::string& body) {
  char buf[256];
  LineWriter w(buf, sizeof buf);
  w.str(body.c_str());
  return std::string(buf, w.finish());
}

class ProvisionDevice : public ::testing::Test {
 protected:
  // Feeds raw bytes; returns every reply line the device produced, each checked and without
  // its "*CC\n".
  std::vector<std::string> feed(const std::string& bytes) {
    std::vector<std::string> replies;
    for (char c : bytes) {
      size_t n = device.receive(static_cast<uint8_t>(c));
      if (n == 0) continue;
      std::string line(device.reply(), n);
      EXPECT_EQ(line.back(), '\n');
      EXPECT_LE(n, kMaxReplyLine + 1);
      line.pop_back();
      size_t body = 0;
      EXPECT_EQ(check_line(line.data(), line.size(), &body), LineCheck::kOk) << line;
      replies.push_back(line.substr(0, body));
    }
    return replies;
  }
  // Sends one checksummed command and returns its single reply.
  std::string send(const std::string& body) {
    auto r = feed(with_checksum(body));
    EXPECT_EQ(r.size(), 1u) << body;
    return r.empty() ? "" : r[0];
  }

  MemoryStorage storage;
  Device device{storage, 0x0102};
};

TEST_F(ProvisionDevice, HelloAndInfoOfAFreshSensor) {
  storage.counter = 77;
  EXPECT_EQ(send("HELLO"), "OK HELLO CWPROV=1 FW=1.2");
  EXPECT_EQ(send("INFO"), "OK INFO FW=1.2 ID=0 ADDR=0000000000 KEY=0 CTR=77 CAL=0,0,0,0");
}

TEST_F(ProvisionDevice, SetsAreStagedUntilCommit) {
  EXPECT_EQ(send("SET ID 42"), "OK ID 42");
  EXPECT_EQ(send(std::string("SET KEY ") + kKeyHex), "OK KEY");
  EXPECT_EQ(send("SET ADDR E056D446D0"), "OK ADDR e056d446d0");
  EXPECT_EQ(send("SET CAL 3 -1500"), "OK CAL 3 -1500");
  EXPECT_TRUE(device.pending());
  // INFO reports what the sensor would boot with: nothing yet.
  EXPECT_EQ(send("INFO"), "OK INFO FW=1.2 ID=0 ADDR=0000000000 KEY=0 CTR=0 CAL=0,0,0,0");
  EXPECT_EQ(storage.saves, 0);

  EXPECT_EQ(send("COMMIT"), "OK COMMIT");
  EXPECT_FALSE(device.pending());
  EXPECT_EQ(storage.saves, 1);
  EXPECT_EQ(storage.stored.sensor_id, 42);
  EXPECT_TRUE(storage.stored.key_set);
  EXPECT_EQ(protocol::testing::to_hex(storage.stored.key, kKeySize), kKeyHex);
  std::string info = send("INFO");
  EXPECT_EQ(info, "OK INFO FW=1.2 ID=42 ADDR=e056d446d0 KEY=1 CTR=0 CAL=0,0,0,-1500");
  Info parsed;
  EXPECT_TRUE(parse_info(info.data(), info.size(), &parsed));
}

TEST_F(ProvisionDevice, SetsKeepOtherStoredValues) {
  storage.stored.calibration[0] = 1234;
  storage.stored.sensor_id = 9;
  EXPECT_EQ(send(std::string("SET KEY ") + kKeyHex), "OK KEY");
  EXPECT_EQ(send("COMMIT"), "OK COMMIT");
  EXPECT_EQ(storage.stored.sensor_id, 9);
  EXPECT_EQ(storage.stored.calibration[0], 1234);
}

TEST_F(ProvisionDevice, CommandsAreIdempotent) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(send("SET ID 7"), "OK ID 7");
    EXPECT_EQ(send(std::string("SET KEY ") + kKeyHex), "OK KEY");
    EXPECT_EQ(send("COMMIT"), "OK COMMIT");
  }
  EXPECT_EQ(storage.stored.sensor_id, 7);
}

TEST_F(ProvisionDevice, MalformedLinesGetAnErrorAndChangeNothing) {
  struct Case {
    std::string line;
    const char* reply_prefix;
  };
  const std::string set_id = with_checksum("SET ID 42");
  std::string flipped = set_id;
  flipped[7] = '5';  // SET ID 52 under the checksum of SET ID 42
  const std::vector<Case> cases = {
      {flipped, "ERR 1 "},
      {"SET ID 42\n", "ERR 1 "},
      {"SET ID 42*ZZ\n", "ERR 1 "},
      {with_checksum("RESET"), "ERR 3 "},
      {with_checksum("set id 42"), "ERR 3 "},
      {with_checksum("SET NAME x"), "ERR 3 "},
      {with_checksum("SET ID"), "ERR 4 "},
      {with_checksum("SET ID 42 43"), "ERR 4 "},
      {with_checksum("SET  ID 42"), "ERR 4 "},
      {with_checksum("SET ID 042"), "ERR 4 "},
      {with_checksum("SET ID -1"), "ERR 4 "},
      {with_checksum("SET CAL 1"), "ERR 4 "},
      {with_checksum("SET CAL x 1"), "ERR 4 "},
      {with_checksum("SET CAL 1 2147483648"), "ERR 4 "},
      {with_checksum("INFO now"), "ERR 4 "},
      {with_checksum("SET KEY 000102030405060708090a0b0c0d0e0"), "ERR 5 "},
      {with_checksum("SET KEY 000102030405060708090a0b0c0d0e0f0"), "ERR 5 "},
      {with_checksum("SET KEY 000102030405060708090a0b0c0d0e0g"), "ERR 5 "},
      {with_checksum("SET ADDR e056d446"), "ERR 5 "},
      {with_checksum("SET ID 0"), "ERR 6 "},
      {with_checksum("SET ID 65536"), "ERR 6 "},
      {with_checksum("SET CAL 4 1"), "ERR 6 "},
      {with_checksum("SET KEY 00000000000000000000000000000000"), "ERR 6 "},
      {with_checksum("SET ADDR ffffffffff"), "ERR 6 "},
      {with_checksum("SET ADDR aaaaaaaaaa"), "ERR 6 "},
      {with_checksum("COMMIT"), "ERR 8 "},  // nothing staged: no id, no key
  };
  for (const auto& c : cases) {
    auto replies = feed(c.line);
    ASSERT_EQ(replies.size(), 1u) << c.line;
    EXPECT_EQ(replies[0].rfind(c.reply_prefix, 0), 0u) << c.line << " -> " << replies[0];
  }
  EXPECT_FALSE(device.pending());
  EXPECT_EQ(storage.saves, 0);
  EXPECT_EQ(send("INFO"), "OK INFO FW=1.2 ID=0 ADDR=0000000000 KEY=0 CTR=0 CAL=0,0,0,0");
}

TEST_F(ProvisionDevice, ALineTooLongIsRefusedWholeAndTheNextLineWorks) {
  // The tail of the long line must not be taken for a new command.
  std::string tail = with_checksum("SET ID 5");
  auto replies = feed(std::string(200, 'A') + tail + with_checksum("SET ID 6"));
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0], "ERR 2 line too long");
  EXPECT_EQ(replies[1], "OK ID 6");
  // Exactly kMaxCommandLine bytes is accepted.
  std::string body = "SET CAL 1 ";
  body += std::string(kMaxCommandLine - 3 - body.size(), '1').replace(0, 1, "-");
  EXPECT_EQ(send(body).rfind("ERR 4", 0), 0u);  // too big a number, but not too long
}

TEST_F(ProvisionDevice, EmptyLinesAndCrLfAreTolerated) {
  EXPECT_TRUE(feed("\n\r\n\n").empty());
  std::string crlf = with_checksum("HELLO");
  crlf.insert(crlf.size() - 1, "\r");
  auto replies = feed(crlf);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].rfind("OK HELLO", 0), 0u);
}

TEST_F(ProvisionDevice, NonPrintableBytesAreRefused) {
  std::string line = with_checksum(std::string("SET ID 4\x01", 9));
  EXPECT_EQ(feed(line)[0], "ERR 4 byte outside printable ASCII");
}

TEST_F(ProvisionDevice, StorageFailuresAreReported) {
  storage.fail_load = true;
  EXPECT_EQ(send("INFO"), "ERR 7 cannot read settings");
  EXPECT_EQ(send("SET ID 3"), "ERR 7 cannot read settings");
  storage.fail_load = false;
  EXPECT_EQ(send("SET ID 3"), "OK ID 3");
  EXPECT_EQ(send(std::string("SET KEY ") + kKeyHex), "OK KEY");
  storage.fail_save = true;
  EXPECT_EQ(send("COMMIT"), "ERR 7 cannot write settings");
  EXPECT_TRUE(device.pending());
  storage.fail_save = false;
  EXPECT_EQ(send("COMMIT"), "OK COMMIT");
}

TEST_F(ProvisionDevice, CommitNeedsAKey) {
  EXPECT_EQ(send("SET ID 3"), "OK ID 3");
  EXPECT_EQ(send("COMMIT"), "ERR 8 no key set");
}

TEST_F(ProvisionDevice, NoReplyEverCarriesTheKey) {
  const std::string secret = "f1e2d3c4b5a69788796a5b4c3d2e1f00";
  std::vector<std::string> all;
  for (const char* cmd : {"HELLO", "SET ID 1", "COMMIT", "INFO"}) all.push_back(send(cmd));
  all.push_back(send("SET KEY " + secret));
  all.push_back(send("COMMIT"));
  all.push_back(send("INFO"));
  all.push_back(feed("SET KEY " + secret + "*00\n")[0]);  // a damaged line is not echoed either
  for (const auto& r : all) {
    EXPECT_EQ(r.find(secret), std::string::npos) << r;
    EXPECT_EQ(r.find("F1E2D3C4"), std::string::npos) << r;
  }
}

}  // namespace
}  // namespace cw::protocol::provision
