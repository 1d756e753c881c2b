// Readers of the published AES-CCM vectors in /work/shared/data (CW_SHARED_DATA), shared by the
// OpenSSL and the portable AEAD tests: RFC 3610 and NIST CAVP from the Mbed TLS test suite, and
// Wycheproof.
#pragma once

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "protocol/frame.h"
#include "protocol/hex.h"

namespace cw::protocol::testing {

using Bytes = std::vector<std::uint8_t>;

struct CcmVector {
  std::string name;
  Bytes key, nonce, ad, msg, ct, tag;
  bool valid = true;
};

// AES-128, 13-byte nonce, 8-byte tag: the frame v2 parameters.
inline bool frame_params(const CcmVector& v) {
  return v.key.size() == kKeySize && v.nonce.size() == kNonceSize && v.tag.size() == kTagSize;
}

namespace detail {

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, sep);) out.push_back(part);
  return out;
}

inline std::string unquote(const std::string& s) {
  return s.size() >= 2 && s.front() == '"' ? s.substr(1, s.size() - 2) : s;
}

}  // namespace detail

// Reads the AES vectors of test_suite_ccm.data (plain CCM, not CCM*):
//   mbedtls_ccm_encrypt_and_tag:ID:key:msg:nonce:aad:ct||tag
//   mbedtls_ccm_auth_decrypt:ID:key:ct||tag:nonce:aad:tag_len:result:msg
inline std::vector<CcmVector> read_mbedtls_ccm() {
  std::ifstream in(std::string(CW_SHARED_DATA) + "/aead_vectors_mbedtls/test_suite_ccm.data");
  std::vector<CcmVector> out;
  std::string title, line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto f = detail::split(line, ':');
    bool enc = f[0] == "mbedtls_ccm_encrypt_and_tag";
    bool dec = f[0] == "mbedtls_ccm_auth_decrypt";
    if (!enc && !dec) {
      if (f[0] != "depends_on") title = line;
      continue;
    }
    if (f[1] != "MBEDTLS_CIPHER_ID_AES") continue;
    CcmVector v;
    v.name = title;
    v.key = from_hex(detail::unquote(f[2]));
    Bytes sealed = from_hex(detail::unquote(f[3 + (enc ? 3 : 0)]));
    v.nonce = from_hex(detail::unquote(f[4]));
    v.ad = from_hex(detail::unquote(f[5]));
    std::size_t tag_len;
    if (enc) {
      v.msg = from_hex(detail::unquote(f[3]));
      tag_len = sealed.size() - v.msg.size();
    } else {
      tag_len = std::stoul(f[6]);
      v.valid = f[7] == "0";
      if (v.valid) v.msg = from_hex(detail::unquote(f[8]));
    }
    v.ct.assign(sealed.begin(), sealed.end() - tag_len);
    v.tag.assign(sealed.end() - tag_len, sealed.end());
    out.push_back(std::move(v));
  }
  return out;
}

inline std::vector<CcmVector> read_wycheproof_ccm() {
  std::ifstream in(std::string(CW_SHARED_DATA) + "/wycheproof_aead/aes_ccm_test.json");
  nlohmann::json doc = nlohmann::json::parse(in);
  std::vector<CcmVector> out;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& t : group["tests"]) {
      CcmVector v;
      v.name = "wycheproof tcId " + std::to_string(t["tcId"].get<int>());
      v.key = from_hex(t["key"].get<std::string>());
      v.nonce = from_hex(t["iv"].get<std::string>());
      v.ad = from_hex(t["aad"].get<std::string>());
      v.msg = from_hex(t["msg"].get<std::string>());
      v.ct = from_hex(t["ct"].get<std::string>());
      v.tag = from_hex(t["tag"].get<std::string>());
      v.valid = t["result"].get<std::string>() == "valid";
      out.push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace cw::protocol::testing
