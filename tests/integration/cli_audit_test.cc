// Changes made from the command line reach the audit log the admin reads.
#include <gtest/gtest.h>

#include "process.h"
#include "store/security_log.h"

namespace cw::testing {
namespace {

TEST(IntegrationCliAudit, PairingRekeyingAndTokensAreLogged) {
  TempDir tmp;
  const std::string data = (tmp.path() / "var").string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"token", "create", "first", "--data", data},  // a fresh folder
        std::vector<std::string>{"sensor", "add", "kitchen", "--id", "7", "--data", data},
        std::vector<std::string>{"sensor", "rekey", "7", "--data", data},
        std::vector<std::string>{"token", "create", "grafana", "--scope", "read", "--data", data},
        std::vector<std::string>{"token", "revoke", "2", "--data", data},
        std::vector<std::string>{"sensor", "remove", "7", "--data", data}}) {
    auto r = run_cli(args);
    ASSERT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.err;
  }
  auto log = store::open_sqlite_security_log(data + "/citizenwatt.db");
  ASSERT_TRUE(log.is_ok()) << log.status().to_string();
  auto events = (*log)->recent(10);
  // And a base still starts on that folder (the store accepts the security tables).
  auto check = run_cli({"sensor", "list", "--data", data});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  ASSERT_TRUE(events.is_ok());
  std::vector<std::string> actions;
  for (const auto& e : *events) {
    actions.insert(actions.begin(), e.action);
    EXPECT_EQ(e.address, "local");
    EXPECT_EQ(e.actor.rfind("cli:", 0), 0u) << e.actor;
    EXPECT_EQ(e.detail.find("cwt_"), std::string::npos) << "no secret in the log";
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"token_created", "sensor_paired", "sensor_rekeyed",
                                      "token_created", "token_revoked", "sensor_removed"}));
}

}  // namespace
}  // namespace cw::testing
