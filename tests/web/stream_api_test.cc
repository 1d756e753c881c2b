// The live stream (SSE) and the raw export.
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include "web_fixture.h"

namespace cw::web::testing {
namespace {

using namespace std::chrono_literals;

// Reads an SSE stream on its own thread; the test waits for text to arrive.
class SseReader {
 public:
  SseReader(int port, httplib::Headers headers, std::string path = "/api/v1/live")
      : thread_([this, port, headers, path] {
          httplib::Client c("127.0.0.1", port);
          c.set_read_timeout(10, 0);
          auto r = c.Get(
              path, headers,
              [this](const httplib::Response& res) {
                std::lock_guard l(mu_);
                status_ = res.status;
                type_ = res.get_header_value("Content-Type");
                cv_.notify_all();
                return true;
              },
              [this](const char* data, size_t n) {
                std::lock_guard l(mu_);
                text_.append(data, n);
                cv_.notify_all();
                return !cancel_;
              });
          std::lock_guard l(mu_);
          ended_ = true;
          cv_.notify_all();
        }) {}
  ~SseReader() {
    {
      std::lock_guard l(mu_);
      cancel_ = true;
    }
    thread_.join();
  }
  // True when text contains needle within the timeout.
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock l(mu_);
    return cv_.wait_for(l, timeout, [&] { return text_.find(needle) != std::string::npos; });
  }
  bool wait_ended(std::chrono::milliseconds timeout = 5s) {
    std::unique_lock l(mu_);
    return cv_.wait_for(l, timeout, [&] { return ended_; });
  }
  bool wait_status(std::chrono::milliseconds timeout = 5s) {
    std::unique_lock l(mu_);
    return cv_.wait_for(l, timeout, [&] { return status_ != 0 || ended_; });
  }
  std::string text() {
    std::lock_guard l(mu_);
    return text_;
  }
  int status() {
    std::lock_guard l(mu_);
    return status_;
  }
  std::string type() {
    std::lock_guard l(mu_);
    return type_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string text_, type_;
  int status_ = 0;
  bool ended_ = false, cancel_ = false;
  std::thread thread_;
};

class StreamApiTest : public WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    read_ = token(store::TokenScope::kRead);
  }
  std::string read_;
};

TEST_F(StreamApiTest, LiveDeliversPublishedSamples) {
  SseReader reader(server_->port(), bearer(read_));
  ASSERT_TRUE(reader.wait_for(": connected"));
  EXPECT_EQ(reader.status(), 200);
  EXPECT_EQ(reader.type(), "text/event-stream");
  hub_.publish(7, Sample{kT0, 42, 1234, 5678});
  ASSERT_TRUE(reader.wait_for("\n\n", 5s));
  ASSERT_TRUE(reader.wait_for("\"counter\":42")) << reader.text();
  const std::string t = reader.text();
  EXPECT_NE(t.find("id: 1\nevent: sample\ndata: "), std::string::npos) << t;
  EXPECT_NE(t.find("\"sensor\":7"), std::string::npos) << t;
  EXPECT_NE(t.find("\"power_w\":1234"), std::string::npos) << t;
  EXPECT_NE(t.find("\"energy_wh\":5678"), std::string::npos) << t;
  EXPECT_NE(t.find("\"t\":\"2024-04-01T10:00:00.000Z\""), std::string::npos) << t;
}

TEST_F(StreamApiTest, LiveSendsHeartbeatsAndFiltersBySensor) {
  SseReader reader(server_->port(), bearer(read_), "/api/v1/live?sensor=2");
  ASSERT_TRUE(reader.wait_for(": connected"));
  ASSERT_TRUE(reader.wait_for(": heartbeat", 5s));
  hub_.publish(1, Sample{kT0, 1, 100, 1});
  hub_.publish(2, Sample{kT0, 2, 200, 2});
  ASSERT_TRUE(reader.wait_for("\"sensor\":2"));
  EXPECT_EQ(reader.text().find("\"sensor\":1"), std::string::npos);
}

TEST_F(StreamApiTest, LiveResumesAfterLastEventId) {
  for (int i = 1; i <= 3; ++i) hub_.publish(1, Sample{kT0 + i, std::uint32_t(i), i, i});
  auto h = bearer(read_);
  h.emplace("Last-Event-ID", "1");
  SseReader reader(server_->port(), h);
  ASSERT_TRUE(reader.wait_for("\"counter\":3")) << reader.text();
  EXPECT_NE(reader.text().find("id: 2\n"), std::string::npos);
  EXPECT_EQ(reader.text().find("\"counter\":1,"), std::string::npos);
}

TEST_F(StreamApiTest, LiveEndsWhenTheServerStops) {
  SseReader reader(server_->port(), bearer(read_));
  ASSERT_TRUE(reader.wait_for(": connected"));
  const auto start = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(reader.wait_ended(5s));
}

TEST_F(StreamApiTest, LiveEndsWhenTheHubCloses) {
  SseReader reader(server_->port(), bearer(read_));
  ASSERT_TRUE(reader.wait_for(": connected"));
  hub_.close();
  EXPECT_TRUE(reader.wait_ended(5s));
}

TEST_F(StreamApiTest, ConcurrentStreamsAreCapped) {
  server_->stop();
  server_.reset();
  WebOptions o;
  o.max_streams = 2;
  o.threads = 4;
  start(o);
  SseReader a(server_->port(), bearer(read_));
  SseReader b(server_->port(), bearer(read_));
  ASSERT_TRUE(a.wait_for(": connected"));
  ASSERT_TRUE(b.wait_for(": connected"));
  expect_error(client()->Get("/api/v1/live", bearer(read_)), 503, "too_many_streams");
  // The API itself still answers.
  EXPECT_EQ(client()->Get("/api/v1/health")->status, 200);
}

TEST_F(StreamApiTest, ExportCsvStreamsExactlyTheCommittedSamples) {
  add_test_data();
  auto r = client()->Get(
      "/api/v1/export?sensor=1&from=2024-04-01T10:00:00Z&to=2024-04-01T11:00:00Z", bearer(read_));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Transfer-Encoding"), "chunked");
  EXPECT_NE(r->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  std::istringstream in(r->body);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "time,t_ms,counter,power_w,energy_wh");
  int k = 0;
  while (std::getline(in, line)) {
    const Sample x = test_sample(k++);
    EXPECT_EQ(line, format_iso_utc(x.t) + "," + std::to_string(x.t) + "," +
                        std::to_string(x.counter) + ",3600," + std::to_string(x.energy_wh));
  }
  EXPECT_EQ(k, kSamples - 1);  // [from, to): the sample at 11:00 is excluded
}

TEST_F(StreamApiTest, ExportJsonIsOneValidDocument) {
  add_test_data();
  auto r = client()->Get(
      "/api/v1/export?sensor=1&format=json&from=2024-04-01T00:00:00Z&to=2024-04-02T00:00:00Z",
      bearer(read_));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  json j = json::parse(r->body);
  ASSERT_EQ(j["samples"].size(), std::size_t(kSamples));
  EXPECT_EQ(j["samples"][5]["energy_wh"], test_sample(5).energy_wh);
  EXPECT_EQ(j["sensor"], 1);
}

TEST_F(StreamApiTest, EmptyExportHasOnlyTheHeader) {
  add_test_data();
  auto r = client()->Get("/api/v1/export?sensor=1&from=2020-01-01&to=2020-01-02", bearer(read_));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "time,t_ms,counter,power_w,energy_wh\n");
}

}  // namespace
}  // namespace cw::web::testing
