// The serial gateway source through a real pseudo-terminal pair: the test is the gateway,
// writing encoded frames to the master side; the source opens the slave side by path (through
// a symlink, so the test can swap in a new "device" to emulate unplug and replug).
#include "ingest/serial_source.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "ingest/gateway_framing.h"
#include "ingest/source.h"
#include "radio_fixture.h"

namespace cw::ingest {
namespace {

using testing::RadioFixture;

// One pty pair; closing the master is the device disappearing.
struct Pty {
  int master = -1;
  std::string slave_path;
  Pty() {
    int slave = -1;
    char name[128];
    if (openpty(&master, &slave, name, nullptr, nullptr) == 0) {
      slave_path = name;
      ::close(slave);  // the source opens its own; the pty lives while the master is open
    }
  }
  ~Pty() { close(); }
  void close() {
    if (master >= 0) ::close(master);
    master = -1;
  }
  void write_all(const std::vector<std::uint8_t>& bytes) const {
    std::size_t at = 0;
    while (at < bytes.size()) {
      ssize_t n = ::write(master, bytes.data() + at, bytes.size() - at);
      ASSERT_GT(n, 0) << std::strerror(errno);
      at += static_cast<std::size_t>(n);
    }
  }
};

std::vector<std::uint8_t> encode(const std::vector<std::uint8_t>& payload) {
  std::uint8_t out[kGatewayMaxEncoded];
  std::size_t n = gateway_encode(payload.data(), payload.size(), out, sizeof out);
  return {out, out + n};
}

class SerialSourceTest : public RadioFixture {
 protected:
  // Atomically points dir/tty at a pty's slave, as udev would a /dev/serial/by-id link.
  void link_to(const Pty& pty) {
    auto tmp = dir_ / "tty.new";
    std::filesystem::remove(tmp);
    std::filesystem::create_symlink(pty.slave_path, tmp);
    std::filesystem::rename(tmp, dir_ / "tty");
  }
  std::string tty() const { return (dir_ / "tty").string(); }
};

TEST_F(SerialSourceTest, FramesThroughNoiseSplitWritesAndBadCrcsReachTheStore) {
  Pty pty;
  ASSERT_GE(pty.master, 0);
  link_to(pty);
  auto uri = parse_source_uri("serial:" + tty() + "?baud=115200");
  ASSERT_TRUE(uri.is_ok()) << uri.status().to_string();
  auto made = make_source(*uri, *pipeline_);
  ASSERT_TRUE(made.is_ok());
  auto* source = dynamic_cast<SerialSource*>(made->get());
  ASSERT_NE(source, nullptr);
  ASSERT_TRUE(source->start().is_ok());
  EXPECT_EQ(source->describe(), "serial:" + tty() + "?baud=115200");

  std::vector<std::uint8_t> stream = {0x00, 0x13, 0xFF, 0x42};  // noise: a bad CRC at the flag
  for (std::uint32_t c = 1; c <= 10; ++c) {
    auto f = encode(frame(c));
    if (c == 4) f[5] ^= 0x40;  // corrupted on the line: dropped by the CRC, never submitted
    stream.insert(stream.end(), f.begin(), f.end());
    if (c % 3 == 0) stream.insert(stream.end(), {0x7D, 0x01});  // junk with a bad escape
  }
  // Split at awkward places (inside escapes, flags, CRCs): the decoder keeps state across reads.
  for (std::size_t at = 0, step = 1; at < stream.size(); at += step, step = step % 7 + 1) {
    std::size_t end = std::min(stream.size(), at + step);
    pty.write_all({stream.begin() + at, stream.begin() + end});
  }
  auto powers = stored_powers(9);
  EXPECT_EQ(powers, (std::vector<std::int32_t>{101, 102, 103, 105, 106, 107, 108, 109, 110}));
  ASSERT_TRUE(RadioFixture::eventually([&] { return source->counters().frames == 9; }));
  auto c = source->counters();
  EXPECT_EQ(c.bytes, stream.size());
  EXPECT_EQ(c.errors[static_cast<int>(GatewayError::kBadCrc)], 2u);     // noise + frame 4
  EXPECT_EQ(c.errors[static_cast<int>(GatewayError::kBadEscape)], 3u);  // after 3, 6, 9
  EXPECT_EQ(c.framing_errors(), 5u);
  EXPECT_EQ(pipeline_->stats().frames[Verdict::kAccepted], 9u);
  source->stop();
  source->stop();  // idempotent
}

TEST_F(SerialSourceTest, AVanishedDeviceIsReopenedWithBackoff) {
  auto first = std::make_unique<Pty>();
  link_to(*first);
  SerialSource source({tty(), 115200}, *pipeline_);
  ASSERT_TRUE(source.start().is_ok());
  first->write_all(encode(frame(1)));
  ASSERT_EQ(stored_powers(1), std::vector<std::int32_t>{101});

  // Unplug: a new device takes the path, then the old one goes away mid-frame.
  Pty second;
  link_to(second);
  auto partial = encode(frame(2));
  const auto before = source.counters().bytes;
  first->write_all({partial.begin(), partial.begin() + 10});
  ASSERT_TRUE(RadioFixture::eventually([&] { return source.counters().bytes == before + 10; }));
  first->close();
  ASSERT_TRUE(RadioFixture::eventually([&] { return source.counters().losses == 1; }));
  ASSERT_TRUE(RadioFixture::eventually([&] { return source.counters().opens == 2; }));
  EXPECT_TRUE(source.counters().connected);

  // The half frame from the old device must not be glued to the new device's bytes.
  second.write_all({partial.begin() + 10, partial.end()});
  second.write_all(encode(frame(3)));
  EXPECT_EQ(stored_powers(2), (std::vector<std::int32_t>{101, 103}));
  source.stop();
}

TEST_F(SerialSourceTest, StartReportsAMissingDeviceOrANonTty) {
  SerialSource missing({(dir_ / "nope").string(), 115200}, *pipeline_);
  Status s = missing.start();
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_NE(s.message().find("nope"), std::string::npos) << s.message();
  std::ofstream((dir_ / "file").string()) << "x";
  SerialSource file({(dir_ / "file").string(), 115200}, *pipeline_);
  s = file.start();
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("not a terminal"), std::string::npos) << s.message();
}

TEST_F(SerialSourceTest, StopIsPromptWhileWaitingForBytes) {
  Pty pty;
  link_to(pty);
  SerialSource source({tty(), 9600}, *pipeline_);
  ASSERT_TRUE(source.start().is_ok());
  auto t0 = std::chrono::steady_clock::now();
  source.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(500));
}

}  // namespace
}  // namespace cw::ingest
