#include "web/tls_cert.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace cw::web {

namespace {

namespace fs = std::filesystem;

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(FILE* f) const { std::fclose(f); }
};
template <typename T>
using Own = std::unique_ptr<T, Free>;

Status tls_error(const std::string& what) {
  return Status(Code::kInternal, "TLS: cannot " + what);
}

Own<X509> self_signed(EVP_PKEY* key) {
  Own<X509> x(X509_new());
  if (!x) return nullptr;
  X509_set_version(x.get(), 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return nullptr;
  serial[0] &= 0x7f;  // a positive serial number
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(x.get(), key);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("CitizenWatt base"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("citizenwatt.local"), -1, -1,
                             0);
  X509_set_issuer_name(x.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:citizenwatt.local,DNS:localhost"},
                            std::pair{NID_basic_constraints, "critical,CA:FALSE"},
                            std::pair{NID_ext_key_usage, "serverAuth"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) return nullptr;
    X509_add_ext(x.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(x.get(), key, EVP_sha256()) <= 0) return nullptr;
  return x;
}

// Opened with O_EXCL and the given mode: never through an existing file or symlink.
Own<FILE> create_exclusive(const fs::path& p, mode_t mode) {
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return nullptr;
  FILE* f = fdopen(fd, "w");
  if (!f) ::close(fd);
  return Own<FILE>(f);
}

Status write_pair(const fs::path& dir, EVP_PKEY* key, X509* cert) {
  Own<FILE> k = create_exclusive(dir / "key.pem", 0600);
  if (!k) return tls_error("create " + (dir / "key.pem").string());
  if (PEM_write_PrivateKey(k.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      std::fflush(k.get()) != 0 || fsync(fileno(k.get())) != 0)
    return tls_error("write the TLS key");
  // The certificate last: its presence says the pair is complete.
  const fs::path tmp = dir / "cert.pem.tmp";
  fs::remove(tmp);
  Own<FILE> c = create_exclusive(tmp, 0644);
  if (!c || PEM_write_X509(c.get(), cert) != 1 || std::fflush(c.get()) != 0)
    return tls_error("write the TLS certificate");
  c.reset();
  std::error_code ec;
  fs::rename(tmp, dir / "cert.pem", ec);
  return ec ? tls_error("install the TLS certificate: " + ec.message()) : Status::ok();
}

}  // namespace

Result<TlsFiles> ensure_self_signed(const std::string& data_dir) {
  const fs::path dir = fs::path(data_dir) / "tls";
  TlsFiles files{(dir / "cert.pem").string(), (dir / "key.pem").string()};
  std::error_code ec;
  const bool cert = fs::exists(files.cert_file, ec), key = fs::exists(files.key_file, ec);
  if (cert && key) return files;
  if (cert || key)
    return invalid_argument("TLS: " + dir.string() +
                            " holds only one of cert.pem and key.pem: remove it or add the other");
  fs::create_directories(dir, ec);
  if (ec) return tls_error("create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  Own<EVP_PKEY> k(EVP_EC_gen("P-256"));
  if (!k) return tls_error("generate an EC P-256 key");
  Own<X509> x = self_signed(k.get());
  if (!x) return tls_error("make a self-signed certificate");
  CW_RETURN_IF_ERROR(write_pair(dir, k.get(), x.get()));
  return files;
}

Result<std::string> cert_fingerprint(const std::string& cert_file) {
  Own<FILE> f(std::fopen(cert_file.c_str(), "r"));
  if (!f) return not_found("TLS: no certificate at " + cert_file);
  Own<X509> x(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
  if (!x) return invalid_argument("TLS: " + cert_file + " is not a PEM certificate");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(x.get(), EVP_sha256(), md, &n) != 1) return tls_error("hash the certificate");
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    if (i) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

}  // namespace cw::web
