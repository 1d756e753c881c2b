// `serve` on a network address speaks HTTPS by default, with the certificate made at first
// start; the CLI prints the same fingerprint as the API shows the wizard.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "process.h"

namespace cw::testing {
namespace {

using namespace std::chrono_literals;

TEST(IntegrationServeTls, ANetworkListenerIsHttpsWithAFingerprintTheCliPrints) {
  TempDir tmp;
  const std::string data = (tmp.path() / "var").string();
  Process serve({"serve", "--data", data, "--listen", "0.0.0.0:0"}, tmp.path() / "serve.log");
  auto port = serve.wait_for_log(R"(base station on https://0\.0\.0\.0:(\d+))", 20s);
  ASSERT_TRUE(port.has_value()) << serve.log();
  auto logged = serve.wait_for_log(R"(SHA-256 ([0-9A-F:]{95}))", 1s);
  ASSERT_TRUE(logged.has_value()) << serve.log();

  struct stat st {};
  ASSERT_EQ(stat((data + "/tls/key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  httplib::SSLClient c("localhost", std::stoi(*port));
  c.set_ca_cert_path((data + "/tls/cert.pem").c_str());
  c.enable_server_certificate_verification(true);
  c.set_connection_timeout(5, 0);
  auto r = c.Get("/api/v1/tls");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  EXPECT_EQ(j["enabled"], true);
  EXPECT_EQ(j["fingerprint_sha256"], *logged);
  EXPECT_EQ(r->get_header_value("Strict-Transport-Security"), "max-age=31536000");

  auto cli = run_cli({"tls", "fingerprint", "--data", data});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(cli.out, "SHA-256 " + *logged + "\n");
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait(10s), 0);

  // The next start keeps the same certificate (the fingerprint the user checked stays true).
  Process again({"serve", "--data", data, "--listen", "0.0.0.0:0"}, tmp.path() / "serve2.log");
  ASSERT_TRUE(again.wait_for_log(R"(base station on https://)", 20s)) << again.log();
  EXPECT_TRUE(again.wait_for_log("SHA-256 " + *logged, 1s)) << again.log();
}

TEST(IntegrationServeTls, LoopbackStaysHttpUnlessAskedAndBadTlsSettingsAreRefused) {
  TempDir tmp;
  const std::string data = (tmp.path() / "var").string();
  {
    Process plain({"serve", "--data", data, "--listen", "127.0.0.1:0"}, tmp.path() / "a.log");
    EXPECT_TRUE(plain.wait_for_log(R"(base station on http://127\.0\.0\.1:)", 20s)) << plain.log();
  }
  EXPECT_FALSE(std::filesystem::exists(data + "/tls")) << "no certificate for a loopback base";
  {
    Process on({"serve", "--data", data, "--listen", "127.0.0.1:0", "--tls", "on"},
               tmp.path() / "b.log");
    EXPECT_TRUE(on.wait_for_log(R"(base station on https://127\.0\.0\.1:)", 20s)) << on.log();
  }
  auto bad = run_cli({"serve", "--data", data, "--tls", "maybe"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("tls must be auto, on or off"), std::string::npos) << bad.err;
  auto half = run_cli({"serve", "--data", data, "--tls-cert", data + "/tls/cert.pem"});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_NE(half.err.find("tls_cert and tls_key go together"), std::string::npos) << half.err;
}

TEST(IntegrationServeTls, TheFingerprintCommandSaysWhenThereIsNoCertificate) {
  TempDir tmp;
  auto cli = run_cli({"tls", "fingerprint", "--data", (tmp.path() / "none").string()});
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_NE(cli.err.find("no certificate"), std::string::npos) << cli.err;
}

}  // namespace
}  // namespace cw::testing
