#include "ingest/udp_source.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/source_uri.h"
#include "protocol/host/openssl_aead.h"

namespace cw::ingest {
namespace {

namespace fs = std::filesystem;

TEST(SourceUri, ParsesUdpAndRefusesTheRest) {
  auto u = parse_source_uri("udp://127.0.0.1:4200");
  ASSERT_TRUE(u.is_ok());
  EXPECT_EQ(u->udp.host, "127.0.0.1");
  EXPECT_EQ(u->udp.port, 4200);
  auto v6 = parse_source_uri("udp://[::1]:9");
  ASSERT_TRUE(v6.is_ok());
  EXPECT_EQ(v6->udp.host, "::1");
  for (const char* bad : {"udp://host", "udp://:80", "udp://h:99999", "udp://h:80x", "tcp://h:1",
                          "", "udp://[::1:5"})
    EXPECT_FALSE(parse_source_uri(bad).is_ok()) << bad;
}

TEST(UdpSource, FramesFromTheNetworkReachTheStore) {
  fs::path dir = fs::temp_directory_path() / ("cw_udp_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto store = std::move(*store::open_sqlite_store((dir / "db").string(), Calendar::utc()));
  store::NewSensor ns;
  ns.name = "udp";
  ns.id = 3;
  ns.key.fill(0x42);
  ASSERT_TRUE(store->add_sensor(ns).is_ok());
  SystemClock clock;
  LiveHub live;
  Pipeline pipeline(*store, clock, live);
  ASSERT_TRUE(pipeline.start().is_ok());
  UdpSource source({"127.0.0.1", 0}, pipeline);
  ASSERT_TRUE(source.start().is_ok());
  ASSERT_NE(source.port(), 0);

  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(source.port());
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  const int kFrames = 50;
  for (int i = 1; i <= kFrames; ++i) {
    std::uint8_t buf[protocol::kMaxFrame];
    protocol::Measurement m{400 + i, static_cast<std::uint32_t>(1000 + i), 0, 0, 0};
    auto n = protocol::seal_measurement(3, i, m, ns.key.data(), protocol::openssl_aead(), buf);
    ASSERT_EQ(sendto(fd, buf, n, 0, reinterpret_cast<sockaddr*>(&to), sizeof to), ssize_t(n));
  }
  std::uint8_t junk[100] = {0x21};  // version 2, measurement, but far too long
  sendto(fd, junk, sizeof junk, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  close(fd);

  // Wait for the live hub (it publishes only committed samples), bounded.
  std::uint64_t seen = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (seen < kFrames && std::chrono::steady_clock::now() < deadline)
    seen += live.read_after(seen, std::chrono::milliseconds(200)).events.size();
  EXPECT_EQ(seen, std::uint64_t(kFrames));
  source.stop();
  pipeline.stop();
  EXPECT_EQ(source.datagrams(), std::uint64_t(kFrames + 1));
  EXPECT_EQ(pipeline.stats().frames[Verdict::kMalformed], 1u);
  std::uint64_t stored = 0;
  ASSERT_TRUE(store->scan_raw(3, 0, INT64_MAX, [&](std::span<const Sample> s) {
    stored += s.size();
    return true;
  }).is_ok());
  EXPECT_EQ(stored, std::uint64_t(kFrames));
  store.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cw::ingest
