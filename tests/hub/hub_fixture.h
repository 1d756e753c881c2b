// A real hub for the tests: its own database on the suite's PostgreSQL cluster, the HTTPS
// server on a free port with a throwaway certificate, and a client that trusts it.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "hub/hub_db.h"
#include "hub/hub_server.h"
#include "hub/publisher.h"
#include "hub_env.h"

namespace cw::hubtest {

// 2024-04-10T10:00:00Z: the hub's "today" is 2024-04-10 in Paris.
inline constexpr TimeMs kNow = 1712743200000;

class HubTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg_ = new TestPostgres();
    tls_ = new TestTls();
  }
  static void TearDownTestSuite() {
    delete tls_;
    delete pg_;
  }

  void SetUp() override {
    static int n = 0;
    const std::string name = "t" + std::to_string(++n);
    {
      pqxx::connection admin(pg_->url());
      pqxx::nontransaction w(admin);
      w.exec("CREATE DATABASE " + name);
    }
    url_ = pg_->url().substr(0, pg_->url().rfind('/') + 1) + name;
    auto pool = hub::PgPool::open(url_, 4);
    ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
    pool_ = std::move(*pool);
    db_ = std::make_unique<hub::HubDb>(*pool_, 2048);
    ASSERT_TRUE(db_->migrate().is_ok());
    auto cal = Calendar::in_zone("Europe/Paris");
    ASSERT_TRUE(cal.is_ok());
    calendar_ = std::make_unique<Calendar>(*cal);
    start_server(0);
  }

  void TearDown() override { server_.reset(); }

  void start_server(int port, hub::PublishOptions popts = {}) {
    publisher_ = std::make_unique<hub::Publisher>(*db_, popts);
    hub::HubServerOptions o{tls_->cert(), tls_->key(), 40, 4, 3600 * kSecondMs};
    server_ =
        std::make_unique<hub::HubServer>(hub::HubContext{*db_, *publisher_, *calendar_, clock_, o});
    Status s = server_->listen("127.0.0.1", port);
    ASSERT_TRUE(s.is_ok()) << s.to_string();
    port_ = server_->port();
  }

  privacy::HubClient client() const {
    return privacy::HubClient(privacy::HubEndpoint{"127.0.0.1", port_, tls_->ca_pem});
  }

  std::string enrol(const std::string& label = "household") {
    auto c = db_->enrol(label);
    EXPECT_TRUE(c.is_ok());
    return c.is_ok() ? *c : "";
  }

  // Rows of a query, as text.
  std::vector<std::vector<std::string>> sql(const std::string& q) {
    std::vector<std::vector<std::string>> out;
    pqxx::connection c(url_);
    pqxx::nontransaction w(c);
    for (const auto& row : w.exec(q)) {
      std::vector<std::string> r;
      for (const auto& f : row) r.push_back(f.is_null() ? "NULL" : f.c_str());
      out.push_back(r);
    }
    return out;
  }

  static TestPostgres* pg_;
  static TestTls* tls_;
  std::string url_;
  std::unique_ptr<hub::PgPool> pool_;
  std::unique_ptr<hub::HubDb> db_;
  std::unique_ptr<hub::Publisher> publisher_;
  std::unique_ptr<Calendar> calendar_;
  ManualClock clock_{kNow};
  std::unique_ptr<hub::HubServer> server_;
  int port_ = 0;
};

inline TestPostgres* HubTest::pg_ = nullptr;
inline TestTls* HubTest::tls_ = nullptr;

}  // namespace cw::hubtest
