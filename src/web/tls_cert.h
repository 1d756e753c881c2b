// The base station's TLS certificate: the user's own, or one made at first start.
//
// Made at first start: an EC P-256 key and a self-signed certificate (10 years, CN and SAN
// "citizenwatt.local" and "localhost"), in DIR/tls/key.pem (mode 0600, created exclusively: an
// existing file is never overwritten) and DIR/tls/cert.pem. A browser cannot check such a
// certificate against an authority, so the wizard and the CLI show its SHA-256 fingerprint for
// the user to compare once (trust on first use). OpenSSL does all of the cryptography.
#pragma once

#include <string>

#include "core/status.h"

namespace cw::web {

struct TlsFiles {
  std::string cert_file, key_file;
};

// DIR/tls/cert.pem and key.pem, made if neither exists; failed_precondition-like error
// (invalid_argument) when only one of them exists.
Result<TlsFiles> ensure_self_signed(const std::string& data_dir);

// "AB:CD:..." (32 bytes, upper-case hex): the SHA-256 of the certificate's DER encoding.
Result<std::string> cert_fingerprint(const std::string& cert_file);

// OpenSSL's cipher list for TLS 1.2: ECDHE key exchange and AEAD ciphers only (TLS 1.3's suites
// are all AEAD already).
inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace cw::web
