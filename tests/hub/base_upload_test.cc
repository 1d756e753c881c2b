// The base's upload worker against a real hub: consent, queue on disk across a hub outage,
// exactly-once delivery, erasure on revocation, granularity by explicit choice only.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "hub_fixture.h"
#include "privacy/base_store.h"
#include "privacy/service.h"

namespace cw::hubtest {
namespace {

using nlohmann::json;

class BaseUploadTest : public HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    auto st = store::open_sqlite_store((base_dir_.path() / "citizenwatt.db").string(), *calendar_);
    ASSERT_TRUE(st.is_ok());
    store_ = std::move(*st);
    // Three whole local days (from 2024-04-07 00:00 Paris) and the morning of the fourth.
    write_household(*store_, 1712440800000, kNow, 1.0, 7);
    auto db = privacy::PrivacyStore::open((base_dir_.path() / "privacy.db").string());
    ASSERT_TRUE(db.is_ok());
    pdb_ = std::move(*db);
    privacy::ServiceOptions o;
    o.upload_spread_ms = 0;
    o.backoff_base_ms = 10;
    o.settle_ms = 0;
    service_ = std::make_unique<privacy::PrivacyService>(*pdb_, *store_, *calendar_, clock_, o);
    ASSERT_TRUE(
        service_->set_hub("https://127.0.0.1:" + std::to_string(port_), enrol(), tls_->ca_pem)
            .is_ok());
    ASSERT_TRUE(service_->set_context({"75111", "2", "electric", "flat"}).is_ok());
  }

  Status grant(privacy::ConsentItem item, int backfill = 3) {
    return service_->set_consent(item, true, "1", "fr", backfill);
  }
  std::string count() { return sql("SELECT count(*) FROM contributions")[0][0]; }
  json queue() { return (*service_->state())["queue"]; }

  Dir base_dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<privacy::PrivacyStore> pdb_;
  std::unique_ptr<privacy::PrivacyService> service_;
};

TEST_F(BaseUploadTest, ConsentedDaysReachTheHubExactlyOnceAcrossAnOutage) {
  service_->run_once();
  EXPECT_EQ(count(), "0") << "nothing leaves without consent";
  ASSERT_TRUE(grant(privacy::ConsentItem::kOpenData).is_ok());
  const int port = port_;
  server_.reset();  // the hub is down
  service_->run_once();
  EXPECT_EQ(queue()["pending"], 3);
  EXPECT_EQ(queue()["sent"], 0);
  auto shared = service_->shared();
  ASSERT_TRUE(shared.is_ok());
  EXPECT_NE((*shared)["days"][0]["last_error"].get<std::string>().find("unreachable"),
            std::string::npos);
  start_server(port);         // back, on the same address
  clock_.advance(kSecondMs);  // past the backoff
  service_->run_once();
  EXPECT_EQ(queue()["sent"], 3);
  EXPECT_EQ(count(), "3");
  service_->run_once();
  clock_.advance(kSecondMs);
  service_->run_once();
  EXPECT_EQ(count(), "3") << "nothing duplicated";
  // What left the home: the day's energy rounded to 10 Wh and the chosen context, nothing more.
  shared = service_->shared();
  ASSERT_EQ((*shared)["days"].size(), 3u);
  for (const auto& d : (*shared)["days"]) {
    const json& c = d["contribution"];
    EXPECT_EQ(d["state"], "sent");
    EXPECT_EQ(c["granularity"], "day");
    EXPECT_FALSE(c.contains("half_hours_wh"));
    EXPECT_EQ(c["daily_wh"].get<std::int64_t>() % 10, 0);
    EXPECT_EQ(c["context"]["area"], "75111");
    EXPECT_FALSE(d.dump().find("inv") != std::string::npos &&
                 d.dump().find("\"inv\"") != std::string::npos);
  }
  // The hub's copy of a day holds the same numbers the base shows.
  auto row = sql("SELECT daily_wh FROM contributions WHERE period = '2024-04-08'");
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(row[0][0],
            std::to_string((*shared)["days"][1]["contribution"]["daily_wh"].get<std::int64_t>()));
}

TEST_F(BaseUploadTest, RevokingStopsUploadsAndErasesWhatWasSent) {
  ASSERT_TRUE(grant(privacy::ConsentItem::kOpenData).is_ok());
  service_->run_once();
  ASSERT_EQ(count(), "3");
  ASSERT_TRUE(service_->set_consent(privacy::ConsentItem::kOpenData, false, "", "", 0).is_ok());
  EXPECT_EQ(queue()["erasures_pending"], 3);
  service_->run_once();
  EXPECT_EQ(count(), "0");
  EXPECT_EQ(queue()["erasures_pending"], 0);
  EXPECT_EQ(queue()["cancelled"], 3);
  // The next day comes and goes: nothing is queued without consent.
  write_household(*store_, kNow, kNow + kDayMs, 1.0, 8);
  clock_.advance(kDayMs);
  service_->run_once();
  EXPECT_EQ(count(), "0");
  auto st = service_->state();
  ASSERT_TRUE(st.is_ok());
  EXPECT_EQ((*st)["ledger"].size(), 2u);
  EXPECT_EQ((*st)["ledger"][1]["granted"], false);
}

TEST_F(BaseUploadTest, HalfHoursOnlyByExplicitChoiceAndConsentIsChecked) {
  EXPECT_EQ(grant(privacy::ConsentItem::kHalfHour).code(), Code::kInvalidArgument)
      << "the curve needs open data first";
  EXPECT_EQ(service_->set_consent(privacy::ConsentItem::kOpenData, true, "0", "fr", 0).code(),
            Code::kInvalidArgument)
      << "an old text version";
  EXPECT_EQ(service_->set_consent(privacy::ConsentItem::kOpenData, true, "1", "de", 0).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(grant(privacy::ConsentItem::kOpenData, 31).code(), Code::kInvalidArgument);
  ASSERT_TRUE(grant(privacy::ConsentItem::kOpenData).is_ok());
  ASSERT_TRUE(grant(privacy::ConsentItem::kHalfHour).is_ok());
  service_->run_once();
  EXPECT_EQ(count(), "3");
  auto rows = sql("SELECT granularity, array_length(half_hours_wh, 1) FROM contributions");
  for (const auto& r : rows) {
    EXPECT_EQ(r[0], "1");
    EXPECT_EQ(r[1], "48");
  }
  auto st = service_->state();
  ASSERT_TRUE(st.is_ok());
  const json& ledger = (*st)["ledger"];
  ASSERT_EQ(ledger.size(), 2u);
  EXPECT_EQ(
      ledger[0]["text_sha256"],
      privacy::hex(privacy::sha256(privacy::consent_text(privacy::ConsentItem::kOpenData).fr)));
}

// A hub that accepts connections and never answers: the worker hangs in the TLS handshake until
// its timeout. Revoking must neither wait for it nor let it upload afterwards.
TEST_F(BaseUploadTest, RevokingAnswersAtOnceWhileTheWorkerHangsOnTheHub) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 16), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  privacy::ServiceOptions o;
  o.upload_spread_ms = 0;
  o.settle_ms = 0;
  o.timeout_s = 2;  // the hang lasts 2 s per attempt: a revocation that waited for it would show
  privacy::PrivacyService service(*pdb_, *store_, *calendar_, clock_, o);
  ASSERT_TRUE(service
                  .set_hub("https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), enrol(),
                           tls_->ca_pem)
                  .is_ok());
  service.start();
  ASSERT_TRUE(service.set_consent(privacy::ConsentItem::kOpenData, true, "1", "fr", 3).is_ok());
  // The worker has connected (a pending connection makes the listening socket readable).
  pollfd p{fd, POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 10000), 1);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(service.set_consent(privacy::ConsentItem::kOpenData, false, "", "", 0).is_ok());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1000));
  auto st = service.state();
  ASSERT_TRUE(st.is_ok());
  EXPECT_EQ((*st)["consents"]["open_data"]["granted"], false);
  service.stop();
  close(fd);
  EXPECT_EQ(count(), "0");
  EXPECT_EQ((*service.state())["queue"]["sent"], 0);
}

}  // namespace
}  // namespace cw::hubtest
