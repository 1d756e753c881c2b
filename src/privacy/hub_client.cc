#include "privacy/hub_client.h"

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <regex>

namespace cw::privacy {

namespace {

using nlohmann::json;

X509_STORE* store_from_pem(const std::string& pem) {
  X509_STORE* store = X509_STORE_new();
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  int added = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    added += X509_STORE_add_cert(store, cert) == 1;
    X509_free(cert);
  }
  BIO_free(bio);
  if (!added) {
    X509_STORE_free(store);
    return nullptr;
  }
  return store;
}

// A string member of a hub's answer, or fallback: the hub is outside, its answers are checked.
std::string text_of(const json& j, const char* key, const char* fallback) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                : fallback;
}

Status refusal(int status, const json& body) {
  std::string message = text_of(body, "message", "");
  std::string code = text_of(body, "error", "");
  std::string text = "hub refused (" + std::to_string(status) + " " + code + "): " + message;
  if (status == 429 || status >= 500) return Status(Code::kUnavailable, text);
  if (status == 401 || status == 403) return Status(Code::kPermissionDenied, text);
  if (status == 409) return Status(Code::kAlreadyExists, text);
  return invalid_argument(text);
}

}  // namespace

Result<HubEndpoint> parse_hub_url(const std::string& url) {
  static const std::regex re(R"(https://([A-Za-z0-9.\-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?/?)");
  std::smatch m;
  if (!std::regex_match(url, m, re))
    return invalid_argument("the hub URL must be https://HOST[:PORT]");
  HubEndpoint ep;
  ep.host = m[1].str();
  if (m[2].matched) ep.port = std::stoi(m[2].str());
  if (ep.port < 1 || ep.port > 65535) return invalid_argument("the hub port must be 1 to 65535");
  return ep;
}

Result<json> HubClient::call(const std::string& method, const std::string& path,
                             const std::string& body, const std::string& bearer,
                             int* status) const {
  httplib::SSLClient cli(ep_.host, ep_.port);
  cli.enable_server_certificate_verification(true);
  if (!ep_.ca_file.empty()) {
    cli.set_ca_cert_path(ep_.ca_file.c_str());
  } else if (!ep_.ca_pem.empty()) {
    X509_STORE* store = store_from_pem(ep_.ca_pem);
    if (!store) return invalid_argument("the hub's CA certificate is not valid PEM");
    cli.set_ca_cert_store(store);  // owned by the client from here
  }
  cli.set_keep_alive(false);
  cli.set_tcp_nodelay(true);
  cli.set_connection_timeout(timeout_s_, 0);
  cli.set_read_timeout(timeout_s_, 0);
  cli.set_write_timeout(timeout_s_, 0);
  httplib::Headers headers;
  if (!bearer.empty()) headers.emplace("Authorization", "Bearer " + bearer);
  httplib::Result res = method == "GET" ? cli.Get(path.c_str(), headers)
                        : method == "POST"
                            ? cli.Post(path.c_str(), headers, body, "application/json")
                            : cli.Delete(path.c_str(), headers, body, "application/json");
  if (!res)
    return Status(Code::kUnavailable, "hub unreachable: " + httplib::to_string(res.error()));
  *status = res->status;
  json j = json::parse(res->body, nullptr, false);
  if (res->status >= 300) return refusal(res->status, j);
  if (j.is_discarded()) return Status(Code::kUnavailable, "hub answered something not JSON");
  return j;
}

Result<std::string> HubClient::period_key(const std::string& period) const {
  int status = 0;
  auto j = call("GET", "/hub/v1/keys/" + period, "", "", &status);
  if (!j) return j.status();
  if (!j->contains("public_key") || !(*j)["public_key"].is_string())
    return Status(Code::kUnavailable, "hub sent no key");
  return (*j)["public_key"].get<std::string>();
}

Result<std::vector<Result<Bytes>>> HubClient::issue(
    const std::string& credential, const std::vector<TokenRequest>& requests) const {
  json reqs = json::array();
  for (const auto& r : requests)
    reqs.push_back(
        {{"period", r.period}, {"key_id", r.key_id}, {"blinded_msg", b64url(r.blinded_msg)}});
  int status = 0;
  auto j = call("POST", "/hub/v1/tokens", json{{"requests", reqs}}.dump(), credential, &status);
  if (!j) return j.status();
  const json& results = (*j)["results"];
  if (!results.is_array() || results.size() != requests.size())
    return Status(Code::kUnavailable, "hub answered the wrong number of signatures");
  std::vector<Result<Bytes>> out;
  for (const auto& r : results) {
    if (r.is_object() && r.contains("blind_sig") && r["blind_sig"].is_string()) {
      auto b = from_b64url(r["blind_sig"].get<std::string>());
      if (!b) return Status(Code::kUnavailable, "hub sent a malformed signature");
      out.push_back(std::move(*b));
    } else {
      std::string code = text_of(r, "error", "refused");
      out.push_back(Status(code == "already_issued" ? Code::kAlreadyExists : Code::kInvalidArgument,
                           "hub refused the token: " + code));
    }
  }
  return out;
}

Status HubClient::upload(const json& contribution) const {
  int status = 0;
  auto j = call("POST", "/hub/v1/contributions", contribution.dump(), "", &status);
  return j.status();
}

Result<int> HubClient::erase(const std::vector<std::string>& handles_b64) const {
  int status = 0;
  auto j =
      call("DELETE", "/hub/v1/contributions", json{{"handles", handles_b64}}.dump(), "", &status);
  if (!j) return j.status();
  const json& n = (*j)["deleted"];
  return n.is_number_integer() ? n.get<int>() : 0;
}

Result<json> HubClient::comparator() const {
  int status = 0;
  return call("GET", "/open/v1/comparator", "", "", &status);
}

}  // namespace cw::privacy
