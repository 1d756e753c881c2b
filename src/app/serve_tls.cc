#include "app/serve_tls.h"

#include <arpa/inet.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "app/base.h"
#include "app/commands.h"
#include "web/tls_cert.h"

namespace cw::app {

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  std::string h = host;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, h.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

Result<web::WebOptions> serve_web_options(const Config& cfg, const std::string& host) {
  web::WebOptions o;
  const bool tls = cfg.tls == "on" || (cfg.tls == "auto" && !is_loopback_host(host));
  if (!tls) {
    if (!is_loopback_host(host))
      spdlog::warn("web: plain HTTP on {}: passwords and data cross the network in clear", host);
    return o;
  }
  web::TlsFiles files{cfg.tls_cert, cfg.tls_key};
  if (files.cert_file.empty()) {
    auto made = web::ensure_self_signed(cfg.data_dir);
    if (!made) return made.status();
    files = *made;
  }
  auto fp = web::cert_fingerprint(files.cert_file);
  if (!fp) return fp.status();
  spdlog::info("web: HTTPS certificate {} (SHA-256 {})", files.cert_file, *fp);
  o.tls_cert_file = files.cert_file;
  o.tls_key_file = files.key_file;
  return o;
}

int run_tls_fingerprint(const std::string& data_dir, const std::string& cert) {
  const std::string file = cert.empty() ? data_dir + "/tls/cert.pem" : cert;
  auto fp = web::cert_fingerprint(file);
  if (!fp) {
    std::cerr << "citizenwatt: " << fp.status().message()
              << (cert.empty() ? " (serve makes it at its first start on a network address)" : "")
              << "\n";
    return report(Status(fp.status().code(), ""));
  }
  std::cout << "SHA-256 " << *fp << "\n";
  return kExitOk;
}

}  // namespace cw::app
