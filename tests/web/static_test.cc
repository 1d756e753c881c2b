// Static UI files, path traversal, unknown API routes, body limits and binding.
#include <sys/socket.h>
#include <unistd.h>

#include "web_fixture.h"

namespace cw::web::testing {
namespace {

class StaticTest : public WebTest {};

TEST_F(StaticTest, ServesIndexAndFilesWithTheirTypes) {
  auto c = client();
  auto r = c->Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r->body.find("CitizenWatt"), std::string::npos);
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  auto js = c->Get("/app.js");
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  auto css = c->Get("/css/main.css");
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(StaticTest, NoDirectoryListingNoMissingFile) {
  auto c = client();
  expect_error(c->Get("/css"), 404);
  expect_error(c->Get("/css/"), 404);  // no index.html there, and no listing
  expect_error(c->Get("/missing.html"), 404);
}

TEST_F(StaticTest, PathTraversalIsRefused) {
  const char* attempts[] = {
      "/../secret.txt",       "/css/../../secret.txt", "/%2e%2e/secret.txt",
      "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt",      "/css/%2e%2e/%2e%2e/secret.txt",
      "/..\\secret.txt",      "/%5c..%5csecret.txt",   "/app.js%00.html",
      "/....//secret.txt",    "//etc/passwd",          "/%2fetc/passwd",
  };
  auto c = client();
  for (const char* path : attempts) {
    SCOPED_TRACE(path);
    auto r = c->Get(path);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->status == 400 || r->status == 404) << r->status;
    EXPECT_EQ(r->body.find("TOP SECRET"), std::string::npos);
    EXPECT_EQ(r->body.find("root:"), std::string::npos);
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  }
}

TEST_F(StaticTest, UnknownApiRoutesAreJson404) {
  auto c = client();
  expect_error(c->Get("/api/v1/unknown"), 404, "not_found");
  expect_error(c->Get("/api/v2/sensors"), 404, "not_found");
  expect_error(c->Post("/api/v1/sensors/1/series", "{}", "application/json"), 404);
  expect_error(c->Patch("/api/v1/me", "{}", "application/json"), 404);
  expect_error(c->Delete("/api/v1/me"), 404);
  expect_error(c->Post("/index.html", "{}", "application/json"), 404);
}

TEST_F(StaticTest, OversizedBodyIs413) {
  auto c = client();
  std::string big = "{\"username\":\"" + std::string(100 * 1024, 'a') + "\",\"password\":\"x\"}";
  expect_error(c->Post("/api/v1/login", big, "application/json"), 413, "payload_too_large");
  EXPECT_EQ(accounts_->user_count().value(), 0);
}

TEST_F(StaticTest, ListenFailsWhenThePortIsTaken) {
  WebServer other(WebContext{*store_, *accounts_, hub_, *calendar_, clock_, nullptr, "x", ""});
  Status st = other.listen("127.0.0.1", server_->port());
  EXPECT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_EQ(client()->Get("/api/v1/health")->status, 200);  // the first one still serves
}

TEST_F(StaticTest, StopIsIdempotentAndPrompt) {
  const auto start = std::chrono::steady_clock::now();
  server_->stop();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  auto r = client()->Get("/api/v1/health");
  EXPECT_FALSE(r);
}

}  // namespace
}  // namespace cw::web::testing
