// The hub protocol on a real PostgreSQL over real HTTPS: tokens, ingest, refusals, erasure.
#include <httplib.h>

#include "hub_fixture.h"

namespace cw::hubtest {
namespace {

using nlohmann::json;

TEST_F(HubTest, OneTokenPerBasePerDayAndOnlyForEnrolledBases) {
  auto hub = client();
  const std::string cred = enrol();
  auto pem = hub.period_key("2024-04-09");
  ASSERT_TRUE(pem.is_ok()) << pem.status().to_string();
  auto pk = privacy::BlindRsaPublicKey::from_pem(*pem);
  ASSERT_TRUE(pk.is_ok());
  auto b1 = privacy::blind(*pk, privacy::prepare(privacy::random_bytes(32)));
  auto b2 = privacy::blind(*pk, privacy::prepare(privacy::random_bytes(32)));
  ASSERT_TRUE(b1.is_ok() && b2.is_ok());
  auto first = hub.issue(cred, {{"2024-04-09", pk->key_id(), b1->blinded_msg}});
  ASSERT_TRUE(first.is_ok() && (*first)[0].is_ok());
  // The same request again (a lost answer) gets the same signature; another one does not.
  auto again = hub.issue(cred, {{"2024-04-09", pk->key_id(), b1->blinded_msg}});
  ASSERT_TRUE(again.is_ok() && (*again)[0].is_ok());
  EXPECT_EQ(*(*again)[0], *(*first)[0]);
  auto second = hub.issue(cred, {{"2024-04-09", pk->key_id(), b2->blinded_msg}});
  ASSERT_TRUE(second.is_ok());
  EXPECT_EQ((*second)[0].status().code(), Code::kAlreadyExists);
  // Unknown, wrong and revoked credentials get nothing.
  EXPECT_EQ(hub.issue("cwb_0000000000000000_nope", {{"2024-04-09", pk->key_id(), b2->blinded_msg}})
                .status()
                .code(),
            Code::kPermissionDenied);
  std::string wrong = cred;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(hub.issue(wrong, {{"2024-04-09", pk->key_id(), b2->blinded_msg}}).is_ok());
  ASSERT_TRUE(db_->revoke_base(cred.substr(4, 16)).is_ok());
  EXPECT_FALSE(hub.issue(cred, {{"2024-04-08", pk->key_id(), b2->blinded_msg}}).is_ok());
  // Keys exist only for days of the window.
  EXPECT_FALSE(hub.period_key("2024-04-12").is_ok());
  EXPECT_FALSE(hub.period_key("2023-01-01").is_ok());
}

TEST_F(HubTest, ReplayedForgedAndTamperedContributionsAreRefused) {
  auto hub = client();
  privacy::Contribution sent;
  ASSERT_TRUE(contribute(hub, enrol(), daily("2024-04-09", 8530, "75111"), &sent).is_ok());
  EXPECT_EQ(sql("SELECT count(*) FROM contributions")[0][0], "1");
  // A replay of the very same upload is idempotent: accepted, not stored twice.
  EXPECT_TRUE(hub.upload(privacy::to_json(sent)).is_ok());
  EXPECT_EQ(sql("SELECT count(*) FROM contributions")[0][0], "1");
  // The token does not move onto other data.
  privacy::Contribution tampered = sent;
  tampered.daily_wh = 100;
  EXPECT_EQ(hub.upload(privacy::to_json(tampered)).code(), Code::kPermissionDenied);
  // A forged signature.
  privacy::Contribution forged = sent;
  forged.token.sig[10] ^= 1;
  EXPECT_EQ(hub.upload(privacy::to_json(forged)).code(), Code::kPermissionDenied);
  // A token of another day's key.
  auto other = db_->key("2024-04-08", true);
  ASSERT_TRUE(other.is_ok());
  privacy::Contribution wrong_key = sent;
  wrong_key.token.key_id = (*other)->key_id;
  EXPECT_EQ(hub.upload(privacy::to_json(wrong_key)).code(), Code::kPermissionDenied);
  // A token made for yesterday cannot carry today (not finished) nor the future.
  privacy::Contribution today = sent;
  today.period = "2024-04-10";
  EXPECT_EQ(hub.upload(privacy::to_json(today)).code(), Code::kInvalidArgument);
  EXPECT_EQ(sql("SELECT count(*) FROM contributions")[0][0], "1");
  // After an erasure the token stays spent: the captured upload cannot bring the data back.
  const privacy::Bytes handle = privacy::random_bytes(32);
  ASSERT_TRUE(db_->erase({handle}).is_ok());  // unknown handle: nothing
  EXPECT_EQ(sql("SELECT count(*) FROM contributions")[0][0], "1");
}

TEST_F(HubTest, ErasureByHandleAndReplayAfterErasure) {
  auto hub = client();
  const privacy::Bytes handle = privacy::random_bytes(32);
  privacy::Contribution c = daily("2024-04-09", 5000, "75111");
  c.delete_hash = privacy::sha256(handle);
  privacy::Contribution sent;
  ASSERT_TRUE(contribute(hub, enrol(), c, &sent).is_ok());
  auto n = hub.erase({privacy::b64url(handle)});
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(sql("SELECT count(*) FROM contributions")[0][0], "0");
  EXPECT_EQ(hub.upload(privacy::to_json(sent)).code(), Code::kAlreadyExists);
  EXPECT_EQ(sql("SELECT count(*) FROM contributions")[0][0], "0");
  EXPECT_EQ(sql("SELECT count(*) FROM dirty_periods")[0][0], "1");
}

TEST_F(HubTest, MalformedBodiesGetClearErrorsAndChangeNothing) {
  httplib::SSLClient c("127.0.0.1", port_);
  c.enable_server_certificate_verification(false);
  for (
      const std::string body :
      {"not json", "[]", R"({"v":1})", R"({"v":2,"period":"2024-04-09"})",
       R"({"v":1,"period":"2024-02-30","granularity":"day","purposes":["open_data"],"daily_wh":10})",
       R"({"v":1,"period":"2024-04-09","granularity":"day","purposes":["spying"],"daily_wh":10})",
       R"({"v":1,"period":"2024-04-09","granularity":"day","purposes":["open_data"],"daily_wh":15})",
       R"({"v":1,"period":"2024-04-09","granularity":"half_hour","purposes":["open_data"],"daily_wh":10,"half_hours_wh":[10]})"}) {
    auto res = c.Post("/hub/v1/contributions", body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body;
    json j = json::parse(res->body, nullptr, false);
    EXPECT_TRUE(j.contains("error") && j.contains("message")) << res->body;
  }
  auto res = c.Delete("/hub/v1/contributions", R"({"handles":["short"]})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(sql("SELECT count(*) FROM contributions")[0][0], "0");
}

// The hub operator reads its own database: nothing in it may tie a contribution to a base.
TEST_F(HubTest, NoTableLinksAContributionToABase) {
  auto hub = client();
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(contribute(hub, enrol("base " + std::to_string(i)),
                           daily("2024-04-09", 4000 + i * 10, "75111"))
                    .is_ok());
  ASSERT_TRUE(publisher_->publish_dirty().is_ok());
  const std::set<std::string> expected = {"bases",           "period_keys",   "issuances",
                                          "spent_tokens",    "contributions", "dirty_periods",
                                          "published_cells", "epsilon_ledger"};
  std::set<std::string> tables;
  for (const auto& r :
       sql("SELECT table_schema || '.' || table_name FROM information_schema.tables "
           "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"))
    tables.insert(r[0].substr(r[0].find('.') + 1));
  EXPECT_EQ(tables, expected) << "a new table must be reviewed here for linking columns";
  // Only the registry and the issuance log know bases; nothing else names one, an address, a
  // time of arrival or an insertion order.
  const std::set<std::string> know_bases = {"bases", "issuances"};
  const std::vector<std::string> forbidden = {"base", "ip",     "addr",    "host",     "client",
                                              "user", "time",   "created", "received", "arriv",
                                              "seq",  "serial", "ctid"};
  for (const auto& r :
       sql("SELECT table_name, column_name, data_type, coalesce(column_default, ''), "
           "is_identity FROM information_schema.columns WHERE table_schema = 'public'")) {
    const std::string& table = r[0];
    const std::string& column = r[1];
    EXPECT_EQ(r[3].find("nextval"), std::string::npos) << table << "." << column << " is a serial";
    EXPECT_EQ(r[4], "NO") << table << "." << column << " is an identity column";
    EXPECT_EQ(r[2].find("time"), std::string::npos) << table << "." << column << " holds a time";
    EXPECT_TRUE(r[2] != "inet" && r[2] != "cidr" && r[2] != "macaddr") << table << "." << column;
    if (know_bases.count(table)) continue;
    for (const std::string& f : forbidden)
      EXPECT_EQ(column.find(f), std::string::npos)
          << table << "." << column << " may link to a base";
  }
  // The issuance log shares no column with the contributions but the day, and no value.
  auto shared =
      sql("SELECT a.column_name FROM information_schema.columns a JOIN "
          "information_schema.columns b ON a.column_name = b.column_name WHERE "
          "a.table_name = 'issuances' AND b.table_name = 'contributions'");
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(shared[0][0], "period");
  EXPECT_EQ(sql("SELECT count(*) FROM issuances i JOIN contributions c ON c.token_sha256 = "
                "i.blinded_sha256 "
                "OR c.delete_sha256 = i.blinded_sha256 OR c.body_sha256 = i.blinded_sha256")[0][0],
            "0");
  // No foreign key reaches a contribution.
  EXPECT_EQ(
      sql("SELECT count(*) FROM information_schema.table_constraints WHERE constraint_type = "
          "'FOREIGN KEY' AND table_name IN ('contributions', 'spent_tokens', 'published_cells')")
          [0][0],
      "0");
  EXPECT_EQ(sql("SELECT count(*) FROM contributions")[0][0], "3");
}

}  // namespace
}  // namespace cw::hubtest
