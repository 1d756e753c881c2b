// citizenwatt hub: the community hub daemon, and its operator's commands (enrol, revoke,
// publish). docs/hub.md.
#include "app/hub_cmd.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "app/base.h"
#include "app/commands.h"
#include "app/stop_signals.h"
#include "hub/hub_db.h"
#include "hub/hub_server.h"
#include "hub/publisher.h"
#include "ingest/source_uri.h"

namespace cw::app {

namespace {

Result<std::unique_ptr<hub::PgPool>> open_db(const HubArgs& a, int connections) {
  if (a.db.rfind("postgresql://", 0) != 0 && a.db.rfind("postgres://", 0) != 0)
    return invalid_argument("--db must be a postgresql:// URL");
  return hub::PgPool::open(a.db, connections);
}

}  // namespace

int run_hub(const HubArgs& a) {
  const StopSignals signals;
  hub::PublishOptions popts;
  popts.rules = {a.k, a.dominance};
  popts.epsilon = a.epsilon;
  popts.epsilon_budget = a.epsilon_budget;
  if (Status s = privacy::check_rules(popts.rules); !s) return report(s);
  if (a.epsilon < 0 || a.epsilon_budget <= 0)
    return report(invalid_argument("epsilon must be >= 0, the budget > 0"));
  if (a.cert.empty() || a.key.empty())
    return report(invalid_argument("--tls-cert and --tls-key are required"));
  auto calendar = Calendar::in_zone(a.timezone);
  if (!calendar) return report(calendar.status());
  auto pool = open_db(a, a.threads + 2);
  if (!pool) return report(pool.status());
  hub::HubDb db(**pool, a.key_bits);
  if (Status s = db.migrate(); !s) return report(s);
  hub::Publisher publisher(db, popts);
  SystemClock clock;
  hub::HubServerOptions sopts{a.cert, a.key, a.window_days, a.threads, a.publish_ms};
  hub::HubServer server(hub::HubContext{db, publisher, *calendar, clock, sopts});
  auto hp = ingest::parse_host_port(a.listen);
  if (!hp) return report(hp.status());
  if (Status s = server.listen(hp->host, hp->port); !s) return report(s);
  spdlog::info("hub: listening on https://{}:{} (k = {}, dominance {}, time zone {})", hp->host,
               server.port(), a.k, a.dominance, a.timezone);
  signals.wait();
  server.stop();
  spdlog::info("hub: stopped cleanly");
  return kExitOk;
}

int run_hub_enrol(const HubArgs& a, const std::string& label) {
  auto pool = open_db(a, 1);
  if (!pool) return report(pool.status());
  hub::HubDb db(**pool);
  if (Status s = db.migrate(); !s) return report(s);
  auto cred = db.enrol(label);
  if (!cred) return report(cred.status());
  std::cout << *cred << "\n"
            << "Give this credential to the household, once; the hub keeps only its hash.\n";
  return kExitOk;
}

int run_hub_revoke(const HubArgs& a, const std::string& id) {
  auto pool = open_db(a, 1);
  if (!pool) return report(pool.status());
  hub::HubDb db(**pool);
  return report(db.revoke_base(id));
}

int run_hub_publish(const HubArgs& a) {
  auto pool = open_db(a, 1);
  if (!pool) return report(pool.status());
  hub::HubDb db(**pool);
  if (Status s = db.migrate(); !s) return report(s);
  hub::Publisher publisher(db, {{a.k, a.dominance}, a.epsilon, a.epsilon_budget});
  auto n = publisher.publish_dirty();
  if (!n) return report(n.status());
  std::cout << *n << " days republished\n";
  return kExitOk;
}

}  // namespace cw::app
