// citizenwatt serve: the base station daemon and its lifecycle.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "analytics/alert_evaluator.h"
#include "analytics/challenge_ledger.h"
#include "analytics/meter_signal.h"
#include "app/base.h"
#include "app/commands.h"
#include "app/serve_lock.h"
#include "app/serve_tls.h"
#include "app/simulate_runner.h"
#include "app/stop_signals.h"
#include "app/tariff_period.h"
#include "app/ui_dir.h"
#include "ingest/input_binder.h"
#include "ingest/mqtt_bridge.h"
#include "ingest/pipeline.h"
#include "ingest/source.h"
#include "ingest/udp_source.h"
#include "privacy/base_store.h"
#include "privacy/service.h"
#include "store/inputs.h"
#include "store/security_log.h"
#include "web/metrics.h"
#include "web/server.h"

namespace cw::app {

namespace {

nlohmann::json ingest_json(const ingest::PipelineStats& s) {
  nlohmann::json frames = nlohmann::json::object();
  for (std::size_t i = 0; i < kVerdictCount; ++i)
    frames[std::string(verdict_name(static_cast<Verdict>(i)))] = s.frames.by_verdict[i];
  nlohmann::json counters = nlohmann::json::object();
  for (const auto& [id, c] : s.committed_counter) counters[std::to_string(id)] = c;
  return {{"committed_samples", s.committed_samples},
          {"commits", s.commits},
          {"failed_commits", s.failed_commits},
          {"pending", s.pending},
          {"last_commit", s.last_commit ? format_iso_utc(s.last_commit) : ""},
          {"frames", frames},
          {"committed_counter", counters}};
}

// The alert rules and the weekly challenges, run by the maintenance thread (docs/insights.md).
struct InsightJobs {
  analytics::AlertEvaluator alerts;
  analytics::ChallengeLedger ledger;
  TimeMs every_ms;  // how often they run
  // Tempo colours the meters announce, recorded into the household's calendar (meter_signal.h).
  struct Colours {
    store::Store* store = nullptr;
    store::InputStore* inputs = nullptr;
    const Calendar* calendar = nullptr;
    std::string data_dir;
    std::map<analytics::LocalDay, analytics::TempoColour> known;
  } colours;

  void run(TimeMs now) {
    record_colours();
    if (auto pass = alerts.run(now); !pass) {
      spdlog::warn("insights: cannot evaluate alerts: {}", pass.status().to_string());
    } else {
      for (const auto& a : pass->changes.opened)
        spdlog::info("insights: alert {} opened (sensor {})", a.kind, a.sensor);
      for (const auto& [id, when] : pass->changes.closed)
        spdlog::info("insights: alert {} closed", id);
      if (!pass->problem) spdlog::debug("insights: {}", pass->problem.to_string());
    }
    if (auto pass = ledger.run(now); !pass) {
      spdlog::warn("insights: cannot settle challenges: {}", pass.status().to_string());
    } else {
      if (pass->settled) spdlog::info("insights: {} weekly challenge(s) settled", pass->settled);
      for (const auto& b : pass->awarded) spdlog::info("insights: badge {} earned", b.id);
      if (!pass->problem) spdlog::debug("insights: {}", pass->problem.to_string());
    }
  }

  void record_colours() {
    Colours& c = colours;
    if (!c.inputs) return;
    auto n = analytics::record_meter_colours(*c.store, *c.inputs, *c.calendar, c.data_dir, c.known);
    if (!n)
      spdlog::warn("insights: cannot record the meter's Tempo colours: {}", n.status().to_string());
    else if (*n)
      spdlog::info("insights: {} Tempo colour day(s) from the meter", *n);
  }
};

// Periodic chores: pick up sensors paired by the CLI, drop raw samples past retention, run the
// insights.
class Maintenance {
 public:
  Maintenance(store::Store& store, ingest::Pipeline& pipeline, const Clock& clock,
              store::RetentionPolicy policy, InsightJobs& insights)
      : store_(store),
        pipeline_(pipeline),
        clock_(clock),
        policy_(policy),
        insights_(insights),
        thread_([this] { loop(); }) {}
  ~Maintenance() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void loop() {
    TimeMs last_retention = 0, last_chores = 0;
    const auto tick = std::chrono::milliseconds(std::min<TimeMs>(insights_.every_ms, 5000));
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, tick, [this] { return stop_; })) {
      lock.unlock();
      insights_.run(clock_.now());
      if (clock_.now() - last_chores < 4900) {  // the other chores every ~5 s
        lock.lock();
        continue;
      }
      last_chores = clock_.now();
      if (Status s = pipeline_.reload_sensors(); !s)
        spdlog::warn("maintenance: cannot reload sensors: {}", s.to_string());
      TimeMs now = clock_.now();
      if (now - last_retention >= kHourMs) {
        if (Status s = store_.enforce_retention(now, policy_); !s)
          spdlog::warn("maintenance: retention failed: {}", s.to_string());
        last_retention = now;
      }
      lock.lock();
    }
  }

  store::Store& store_;
  ingest::Pipeline& pipeline_;
  const Clock& clock_;
  const store::RetentionPolicy policy_;
  InsightJobs& insights_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace

int run_serve(const Config& cfg) {
  // Signals go to this thread only: block them before any other thread starts.
  const StopSignals signals;
  const TimeMs started = SystemClock().now();

  auto base = open_base(cfg.data_dir);
  if (!base) return report(base.status());
  auto lock = lock_data_dir(base->dir.path);  // held until return: import and restore wait
  if (!lock) return report(lock.status());
  auto inputs = store::open_sqlite_inputs(base->dir.db_path());
  if (!inputs) return report(inputs.status());
  auto calendar = Calendar::in_zone(cfg.timezone);
  if (!calendar) return report(calendar.status());
  auto accounts = open_accounts(cfg.data_dir);
  if (!accounts) return report(accounts.status());
  auto insights = open_insights(cfg.data_dir);
  if (!insights) return report(insights.status());
  store::Store& store = *base->store;
  SystemClock clock;
  ingest::LiveHub live;

  ingest::PipelineOptions popts;
  popts.flush_interval_ms = cfg.flush_interval_ms;
  ingest::Pipeline pipeline(store, clock, live, popts);
  if (Status s = pipeline.start(); !s) return report(s);
  ingest::InputBinder binder(store, **inputs, pipeline);

  std::vector<std::string> source_uris = cfg.sources;
  if (cfg.simulate && source_uris.empty()) source_uris.push_back("udp://127.0.0.1:0");
  std::vector<std::unique_ptr<ingest::Source>> sources;
  std::uint16_t sim_port = 0;  // the UDP source the in-process simulation sends to
  for (const auto& text : source_uris) {
    auto uri = ingest::parse_source_uri(text);
    if (!uri) return report(uri.status());
    auto src = ingest::make_source(*uri, pipeline, &binder);
    if (!src) return report(src.status());
    if (Status s = (*src)->start(); !s) return report(s);
    if (auto* udp = dynamic_cast<ingest::UdpSource*>(src->get()); udp && !sim_port)
      sim_port = udp->port();
    sources.push_back(std::move(*src));
  }

  const std::string ui_dir = cfg.ui_dir.empty() ? default_ui_dir(CW_DEFAULT_UI_DIR) : cfg.ui_dir;
  web::WebContext ctx{store,      **accounts, live,
                      *calendar,  clock,      [&] { return ingest_json(pipeline.stats()); },
                      CW_VERSION, ui_dir,     cfg.data_dir};
  web::Metrics metrics([&] { return pipeline.stats(); });
  ctx.inputs = inputs->get();
  ctx.binder = &binder;
  ctx.metrics = &metrics;
  ctx.insights = insights->get();
  auto privacy_db = privacy::PrivacyStore::open(base->dir.path + "/privacy.db");
  if (!privacy_db) return report(privacy_db.status());
  privacy::ServiceOptions privacy_opts;
  privacy_opts.poll_ms = cfg.privacy_poll_ms;
  privacy_opts.upload_spread_ms = cfg.privacy_spread_ms;
  privacy_opts.backoff_base_ms = cfg.privacy_backoff_ms;
  privacy_opts.settle_ms = cfg.privacy_settle_ms;
  privacy_opts.comparator_refresh_ms = cfg.privacy_comparator_ms;
  privacy::PrivacyService privacy_service(**privacy_db, store, *calendar, clock, privacy_opts);
  ctx.privacy = &privacy_service;
  auto security = store::open_sqlite_security_log(base->dir.db_path());
  if (!security) return report(security.status());
  ctx.security = security->get();
  auto hp = ingest::parse_host_port(cfg.listen);
  auto web_options = serve_web_options(cfg, hp->host);
  if (!web_options) return report(web_options.status());
  web::WebServer http(ctx, *web_options);
  if (Status s = http.listen(hp->host, hp->port); !s) return report(s);
  spdlog::info("citizenwatt {}: base station on {}://{}:{} (data in {}, time zone {})", CW_VERSION,
               web_options->tls_cert_file.empty() ? "http" : "https", hp->host, http.port(),
               cfg.data_dir, cfg.timezone);

  std::unique_ptr<SimulationHandle> sim;
  if (cfg.simulate) {
    auto sensor = ensure_simulated_sensor(store, clock);
    if (!sensor) return report(sensor.status());
    if (Status s = pipeline.reload_sensors(); !s) return report(s);
    if (!sim_port) return report(invalid_argument("--simulate needs a udp:// source"));
    auto started_sim = start_simulation(*sensor, sim_port, cfg.simulate_speed, clock);
    if (!started_sim) return report(started_sim.status());
    sim = std::move(*started_sim);
  }
  std::unique_ptr<ingest::MqttBridge> mqtt;
  if (!cfg.mqtt.empty()) {
    auto o = ingest::parse_mqtt_uri(cfg.mqtt);
    if (!o) return report(o.status());
    auto periods = std::make_shared<TariffPeriodNow>(cfg.data_dir, *calendar);
    mqtt = std::make_unique<ingest::MqttBridge>(
        *o, binder, live, CW_VERSION, [periods](SensorId, TimeMs t) { return periods->at(t); });
    if (Status s = mqtt->start(); !s) return report(s);
  }
  store::RetentionPolicy retention{cfg.raw_retention_days * kDayMs};
  // Often enough that a silence opens its alert within a few seconds of the threshold.
  InsightJobs jobs{{store, **insights, *calendar, cfg.data_dir, cfg.alerts},
                   {store, **insights, *calendar, cfg.data_dir},
                   std::clamp<TimeMs>(cfg.alerts.silent_after_ms / 2, kSecondMs, 5 * kSecondMs)};
  jobs.alerts.set_meters(inputs->get());
  jobs.colours = {&store, inputs->get(), &*calendar, cfg.data_dir, {}};
  auto maintenance = std::make_unique<Maintenance>(store, pipeline, clock, retention, jobs);
  privacy_service.start();  // the upload worker: its own thread, stopped before the HTTP server

  int sig = signals.wait();
  spdlog::info("citizenwatt: {} received, stopping after {} s of service",
               sig == SIGINT ? "SIGINT" : "SIGTERM", (clock.now() - started) / 1000);
  if (sim) sim->stop();
  for (auto& s : sources) s->stop();
  if (mqtt) mqtt->stop();
  maintenance.reset();
  privacy_service.stop();
  pipeline.stop();
  live.close();
  http.stop();
  auto stats = pipeline.stats();
  spdlog::info("citizenwatt: stopped cleanly; {} samples committed in this run",
               stats.committed_samples);
  return stats.pending == 0 ? kExitOk : kExitFailure;
}

}  // namespace cw::app
