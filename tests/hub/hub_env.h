// Test support for the hub: a real PostgreSQL cluster (scripts/test-postgres.sh), a throwaway
// CA and certificate (scripts/test-tls.sh), simulated households written into a real base store,
// and the base's side of the token flow. Header-only: shared by test_hub and test_integration.
#pragma once

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "core/calendar.h"
#include "privacy/blind_rsa.h"
#include "privacy/contribution.h"
#include "privacy/hub_client.h"
#include "store/store.h"

namespace cw::hubtest {

inline std::string run_sh(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  const int rc = pclose(p);
  EXPECT_EQ(rc, 0) << cmd << "\n" << out;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

class Dir {
 public:
  Dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cw_hub_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~Dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A PostgreSQL cluster of its own, stopped at destruction.
class TestPostgres {
 public:
  TestPostgres() {
    url_ = run_sh("sh " + std::string(CW_SOURCE_DIR) + "/scripts/test-postgres.sh start " +
                  (dir_.path() / "pg").string() + " 2>&1");
    url_ = url_.substr(url_.rfind('\n') + 1);  // the URL is the last line, whatever came before
    EXPECT_EQ(url_.rfind("postgresql://", 0), 0u) << url_;
  }
  ~TestPostgres() {
    run_sh("sh " + std::string(CW_SOURCE_DIR) + "/scripts/test-postgres.sh stop " +
           (dir_.path() / "pg").string());
  }
  const std::string& url() const { return url_; }

 private:
  Dir dir_;
  std::string url_;
};

// DIR/ca.pem, DIR/hub.pem, DIR/hub.key.
struct TestTls {
  TestTls() {
    run_sh("sh " + std::string(CW_SOURCE_DIR) + "/scripts/test-tls.sh " + dir.path().string());
    std::ifstream in(dir.path() / "ca.pem");
    std::stringstream ss;
    ss << in.rdbuf();
    ca_pem = ss.str();
  }
  std::string cert() const { return (dir.path() / "hub.pem").string(); }
  std::string key() const { return (dir.path() / "hub.key").string(); }
  Dir dir;
  std::string ca_pem;
};

// A household's samples every minute over [from, to): a base load, a morning and an evening
// peak, scaled by `scale`; the register integrates the power exactly.
inline void write_household(store::Store& store, TimeMs from, TimeMs to, double scale,
                            std::uint32_t seed) {
  auto added = store.add_sensor({"Compteur", store::SensorKind::kV2, {}, std::nullopt});
  ASSERT_TRUE(added.is_ok()) << added.status().to_string();
  std::mt19937 rng(seed);
  store::CommitBatch batch;
  store::SensorBatch sb;
  sb.sensor = added->id;
  std::int64_t e = 1000, carry = 0;
  std::uint32_t counter = 1;
  for (TimeMs t = from; t < to; t += kMinuteMs) {
    const int hour = static_cast<int>((t / kHourMs) % 24);
    double w = 250 + ((hour >= 6 && hour < 8) || (hour >= 18 && hour < 22) ? 1200 : 0) +
               double(rng() % 200);
    const auto p = static_cast<std::int32_t>(w * scale);
    sb.samples.push_back({t, counter++, p, e});
    carry += std::int64_t(p) * kMinuteMs;
    e += carry / 3600000;
    carry %= 3600000;
  }
  sb.state.has_counter = true;
  sb.state.last_counter = counter - 1;
  sb.state.last_seen = sb.samples.back().t;
  sb.state.last_power_w = sb.samples.back().power_w;
  sb.state.last_raw_energy_wh = sb.samples.back().energy_wh;
  batch.sensors.push_back(std::move(sb));
  Status s = store.commit(batch);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
}

// The base's side of the token flow for one contribution, as the upload worker does it.
inline Status contribute(const privacy::HubClient& hub, const std::string& credential,
                         privacy::Contribution c, privacy::Contribution* sent = nullptr) {
  if (c.delete_hash.empty()) c.delete_hash = privacy::sha256(privacy::random_bytes(32));
  auto pem = hub.period_key(c.period);
  if (!pem) return pem.status();
  auto pk = privacy::BlindRsaPublicKey::from_pem(*pem);
  if (!pk) return pk.status();
  const privacy::Bytes input = privacy::prepare(privacy::sha256(privacy::binding_text(c)));
  auto b = privacy::blind(*pk, input);
  if (!b) return b.status();
  auto sigs = hub.issue(credential, {{c.period, pk->key_id(), b->blinded_msg}});
  if (!sigs) return sigs.status();
  if (!(*sigs)[0]) return (*sigs)[0].status();
  auto sig = privacy::finalize(*pk, *(*sigs)[0], b->inv, input);
  if (!sig) return sig.status();
  c.token = {pk->key_id(), input, *sig};
  if (sent) *sent = c;
  return hub.upload(privacy::to_json(c));
}

inline privacy::Contribution daily(const std::string& period, std::int64_t wh,
                                   const std::string& area, const std::string& size = "",
                                   std::uint8_t purposes = 7) {
  privacy::Contribution c;
  c.period = period;
  c.purposes = purposes;
  c.context.area = area;
  c.context.household_size = size;
  c.daily_wh = wh;
  return c;
}

}  // namespace cw::hubtest
