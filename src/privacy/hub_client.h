// The base's side of the hub protocol (docs/hub.md), over HTTPS only.
//
// Every call opens its own TLS connection and closes it (no keep-alive, no session resumption):
// two uploads share no connection, so the hub cannot tie them together by their transport.
// Errors: kUnavailable when the hub could not be reached or answered 5xx/429 (worth retrying);
// another code when the hub refused the request for good (4xx), with the hub's message.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "privacy/encoding.h"

namespace cw::privacy {

struct HubEndpoint {
  std::string host;
  int port = 443;
  std::string ca_pem;  // trust anchors for the hub's certificate; empty: the system's
  // The same anchors in a file. Preferred when set: cpp-httplib then loads only that file,
  // while with ca_pem it also parses the whole system bundle at every connection (~20 ms of
  // OpenSSL 3 PEM decoding, measured: harmless for a base, not for a load generator).
  std::string ca_file;
};

// "https://host[:port]" (a path is refused: the API's paths are fixed).
Result<HubEndpoint> parse_hub_url(const std::string& url);

struct TokenRequest {
  std::string period;
  std::string key_id;
  Bytes blinded_msg;
};

class HubClient {
 public:
  explicit HubClient(HubEndpoint ep, int timeout_s = 10)
      : ep_(std::move(ep)), timeout_s_(timeout_s) {}

  // The public key (PEM) that signs the tokens of a period: asked anonymously.
  Result<std::string> period_key(const std::string& period) const;
  // Blind signatures, one per request (or why the hub refused that one), authenticated by the
  // base's enrolment credential.
  Result<std::vector<Result<Bytes>>> issue(const std::string& credential,
                                           const std::vector<TokenRequest>& requests) const;
  // Anonymous upload of one contribution (with its token). Ok for 201 (stored) and 200 (the same
  // contribution was already stored: an upload is idempotent).
  Status upload(const nlohmann::json& contribution) const;
  // Anonymous erasure by deletion handles; returns how many contributions the hub removed.
  Result<int> erase(const std::vector<std::string>& handles_b64) const;
  // The community distributions for the comparator, for every area (so the request says nothing
  // of the household's own area).
  Result<nlohmann::json> comparator() const;

 private:
  Result<nlohmann::json> call(const std::string& method, const std::string& path,
                              const std::string& body, const std::string& bearer,
                              int* status) const;
  HubEndpoint ep_;
  int timeout_s_;
};

}  // namespace cw::privacy
