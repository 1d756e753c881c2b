// TLS: the certificate made at first start, and the server's protocol and cipher policy, checked
// with the openssl command-line client the way a scanner would (testssl-like assertions).
#include <sys/stat.h>

#include <cstdio>

#include "web/tls_cert.h"
#include "web_fixture.h"

namespace cw::web::testing {
namespace {

// openssl s_client against the server: whether the handshake succeeded, and what it printed.
std::pair<bool, std::string> s_client(int port, const std::string& args) {
  const std::string cmd = "timeout 10 openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                          " " + args + " </dev/null 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (p && std::fgets(buf, sizeof buf, p)) out += buf;
  const int rc = p ? pclose(p) : -1;
  return {rc == 0 && out.find("Cipher is (NONE)") == std::string::npos &&
              out.find("Cipher is ") != std::string::npos,
          out};
}

class TlsTest : public WebTest {
 protected:
  void SetUp() override {
    auto files = ensure_self_signed(dir_.path().string());
    ASSERT_TRUE(files.is_ok()) << files.status().to_string();
    files_ = *files;
    WebOptions o;
    o.tls_cert_file = files_.cert_file;
    o.tls_key_file = files_.key_file;
    start(o);
  }
  std::unique_ptr<httplib::SSLClient> tls_client() {
    auto c = std::make_unique<httplib::SSLClient>("localhost", server_->port());
    c->set_ca_cert_path(files_.cert_file.c_str());  // the pinned self-signed certificate
    c->enable_server_certificate_verification(true);
    c->set_connection_timeout(5, 0);
    c->set_read_timeout(5, 0);
    return c;
  }
  TlsFiles files_;
};

TEST(TlsCertTest, FirstStartMakesAnEcKeyReadableByItsOwnerOnly) {
  TempDir dir;
  auto files = ensure_self_signed(dir.path().string());
  ASSERT_TRUE(files.is_ok()) << files.status().to_string();
  struct stat st {};
  ASSERT_EQ(stat(files->key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto fp = cert_fingerprint(files->cert_file);
  ASSERT_TRUE(fp.is_ok());
  EXPECT_EQ(fp->size(), 32u * 3 - 1);
  // The same pair at the next start: the fingerprint the user compared stays valid.
  auto again = ensure_self_signed(dir.path().string());
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(cert_fingerprint(again->cert_file).value(), *fp);
  const std::string text_cmd = "openssl x509 -in " + files->cert_file + " -noout -text";
  FILE* p = popen(text_cmd.c_str(), "r");
  std::string text;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) text += buf;
  pclose(p);
  EXPECT_NE(text.find("prime256v1"), std::string::npos) << text;
  EXPECT_NE(text.find("DNS:citizenwatt.local"), std::string::npos) << text;
  EXPECT_NE(text.find("ecdsa-with-SHA256"), std::string::npos) << text;
  // Half a pair is an error, never silently replaced.
  std::filesystem::remove(files->cert_file);
  EXPECT_FALSE(ensure_self_signed(dir.path().string()).is_ok());
  EXPECT_FALSE(cert_fingerprint(files->cert_file).is_ok());
}

TEST_F(TlsTest, HttpsWithHstsSecureCookiesAndTheFingerprint) {
  make_user("alice", store::Role::kAdmin);
  auto c = tls_client();
  auto r = c->Get("/api/v1/health");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Strict-Transport-Security"), "max-age=31536000");
  auto info = c->Get("/api/v1/tls");
  ASSERT_TRUE(info);
  EXPECT_EQ(body_json(info)["enabled"], true);
  EXPECT_EQ(body_json(info)["fingerprint_sha256"], cert_fingerprint(files_.cert_file).value());
  auto login =
      c->Post("/api/v1/login", json{{"username", "alice"}, {"password", kAdminPassword}}.dump(),
              "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  EXPECT_NE(login->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
  // Plain HTTP to the TLS port gets no answer.
  auto plain = client()->Get("/api/v1/health");
  EXPECT_FALSE(plain && plain->status == 200);
}

TEST_F(TlsTest, OnlyTls12AndUpWithAeadCiphers) {
  const int port = server_->port();
  auto tls13 = s_client(port, "-tls1_3");
  EXPECT_TRUE(tls13.first) << tls13.second;
  EXPECT_NE(tls13.second.find("TLSv1.3"), std::string::npos) << tls13.second;
  auto tls12 = s_client(port, "-tls1_2");
  EXPECT_TRUE(tls12.first) << tls12.second;
  EXPECT_NE(tls12.second.find("ECDHE-ECDSA-AES"), std::string::npos) << tls12.second;
  EXPECT_NE(tls12.second.find("GCM"), std::string::npos) << tls12.second;
  // What an old or careless client would offer: the client is told to allow it (SECLEVEL=0),
  // so a failed handshake is the server's refusal.
  for (const std::string& weak :
       {std::string("-tls1_1 -cipher DEFAULT:@SECLEVEL=0"),
        std::string("-tls1 -cipher DEFAULT:@SECLEVEL=0"),
        std::string("-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:@SECLEVEL=0"),
        std::string("-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384"),
        std::string("-tls1_2 -cipher 'AES128-GCM-SHA256:AES256-GCM-SHA384:@SECLEVEL=0'"),
        std::string("-tls1_2 -cipher 'DES-CBC3-SHA:RC4-SHA:NULL-SHA:@SECLEVEL=0'")}) {
    auto r = s_client(port, weak);
    EXPECT_FALSE(r.first) << weak << " was accepted:\n" << r.second;
  }
}

}  // namespace
}  // namespace cw::web::testing
