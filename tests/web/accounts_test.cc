// The SQLite AccountStore on a real file shared with a real Store.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "web/accounts_admin.h"
#include "web/passwords.h"
#include "web/sessions.h"
#include "web_fixture.h"

namespace cw::web::testing {
namespace {

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    accounts_.reset();
    auto a = store::open_sqlite_accounts((dir_.path() / "citizenwatt.db").string());
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
    accounts_ = std::move(*a);
  }
  TempDir dir_;
  std::unique_ptr<store::AccountStore> accounts_;
};

store::NewUser new_user(const std::string& name, store::Role role = store::Role::kMember) {
  return {name, role, "$argon2id$fake", 1000};
}

TEST_F(AccountsTest, UsersAreUniqueAndPersist) {
  auto a = accounts_->add_user(new_user("alice", store::Role::kAdmin));
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(accounts_->add_user(new_user("alice")).status().code(), Code::kAlreadyExists);
  ASSERT_TRUE(accounts_->add_user(new_user("bob")).is_ok());
  reopen();
  auto users = accounts_->users();
  ASSERT_TRUE(users.is_ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "alice");
  EXPECT_EQ((*users)[0].role, store::Role::kAdmin);
  EXPECT_EQ((*users)[1].role, store::Role::kMember);
  EXPECT_EQ(accounts_->user_by_name("bob")->id, (*users)[1].id);
  EXPECT_EQ(accounts_->user_by_name("carol").status().code(), Code::kNotFound);
}

TEST_F(AccountsTest, FirstUserOnlyOnce) {
  ASSERT_TRUE(accounts_->add_user(new_user("alice"), true).is_ok());
  EXPECT_EQ(accounts_->add_user(new_user("bob"), true).status().code(), Code::kAlreadyExists);
  EXPECT_EQ(*accounts_->user_count(), 1);
}

TEST_F(AccountsTest, SessionsExpireAndFollowTheirUser) {
  auto u = accounts_->add_user(new_user("alice"));
  ASSERT_TRUE(u.is_ok());
  store::Session s{sha256("sid"), u->id, 0, 0, 30 * kDayMs};
  ASSERT_TRUE(accounts_->add_session(s).is_ok());
  store::Session s2{sha256("sid2"), u->id, 0, 6 * kDayMs, 30 * kDayMs};
  ASSERT_TRUE(accounts_->add_session(s2).is_ok());
  EXPECT_EQ(accounts_->session(sha256("sid"))->user_id, u->id);
  ASSERT_TRUE(accounts_->touch_session(sha256("sid"), 5).is_ok());
  EXPECT_EQ(accounts_->session(sha256("sid"))->last_seen, 5);
  // Idle for 7 days: gone; the second (seen at day 6) stays.
  ASSERT_TRUE(accounts_->remove_expired_sessions(7 * kDayMs + 5, 7 * kDayMs).is_ok());
  EXPECT_EQ(accounts_->session(sha256("sid")).status().code(), Code::kNotFound);
  EXPECT_TRUE(accounts_->session(sha256("sid2")).is_ok());
  ASSERT_TRUE(accounts_->remove_user_sessions(u->id).is_ok());
  EXPECT_EQ(accounts_->session(sha256("sid2")).status().code(), Code::kNotFound);
}

TEST_F(AccountsTest, TokensStoreOnlyTheirHash) {
  auto t = create_token(*accounts_, "grafana", store::TokenScope::kRead, 42);
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(create_token(*accounts_, "grafana", store::TokenScope::kRead).status().code(),
            Code::kAlreadyExists);
  auto found = accounts_->token_by_hash(sha256(t->secret));
  ASSERT_TRUE(found.is_ok());
  EXPECT_EQ(found->name, "grafana");
  EXPECT_EQ(found->created, 42);
  // The clear token appears nowhere in the database file.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "citizenwatt.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM api_tokens WHERE hash = ? OR name = ?", -1, &st,
                     nullptr);
  sqlite3_bind_text(st, 1, t->secret.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, t->secret.c_str(), -1, SQLITE_STATIC);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0);
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "SELECT max(version) FROM accounts_schema", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 1);
  sqlite3_finalize(st);
  sqlite3_close(db);

  ASSERT_TRUE(revoke_token(*accounts_, t->token.id).is_ok());
  EXPECT_EQ(revoke_token(*accounts_, t->token.id).code(), Code::kNotFound);
  EXPECT_EQ(accounts_->token_by_hash(sha256(t->secret)).status().code(), Code::kNotFound);
}

TEST_F(AccountsTest, SessionLifecycle) {
  auto u = create_user(*accounts_, "alice", "correct horse battery", store::Role::kAdmin, 0);
  ASSERT_TRUE(u.is_ok());
  EXPECT_EQ(create_user(*accounts_, "bob", "short", store::Role::kMember).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(login(*accounts_, "alice", "wrong password!", 0).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(login(*accounts_, "nobody", "correct horse battery", 0).status().code(),
            Code::kUnauthenticated);
  auto o = login(*accounts_, "alice", "correct horse battery", 0);
  ASSERT_TRUE(o.is_ok());
  EXPECT_EQ(resolve_session(*accounts_, o->id, kDayMs)->name, "alice");
  // Used every 6 days it survives idle expiry but not the 30-day limit.
  for (TimeMs t = 6 * kDayMs; t < 30 * kDayMs; t += 6 * kDayMs)
    EXPECT_TRUE(resolve_session(*accounts_, o->id, t).is_ok()) << t;
  EXPECT_EQ(resolve_session(*accounts_, o->id, 30 * kDayMs).status().code(),
            Code::kUnauthenticated);
  // Idle expiry.
  auto o2 = login(*accounts_, "alice", "correct horse battery", 0);
  ASSERT_TRUE(o2.is_ok());
  EXPECT_EQ(resolve_session(*accounts_, o2->id, 7 * kDayMs).status().code(),
            Code::kUnauthenticated);
  // Password change ends sessions.
  auto o3 = login(*accounts_, "alice", "correct horse battery", 0);
  ASSERT_TRUE(set_password(*accounts_, "alice", "a brand new passphrase").is_ok());
  EXPECT_FALSE(resolve_session(*accounts_, o3->id, 1).is_ok());
  EXPECT_TRUE(login(*accounts_, "alice", "a brand new passphrase", 0).is_ok());
}

}  // namespace
}  // namespace cw::web::testing
