// citizenwatt serve: the base station daemon and its lifecycle.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/base.h"
#include "app/commands.h"
#include "app/simulate_runner.h"
#include "app/ui_dir.h"
#include "ingest/pipeline.h"
#include "ingest/source.h"
#include "ingest/udp_source.h"
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

// Periodic chores: pick up sensors paired by the CLI, drop raw samples past retention.
class Maintenance {
 public:
  Maintenance(store::Store& store, ingest::Pipeline& pipeline, const Clock& clock,
              store::RetentionPolicy policy)
      : store_(store), pipeline_(pipeline), clock_(clock), policy_(policy), thread_([this] {
          loop();
        }) {}
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
    TimeMs last_retention = 0;
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(5), [this] { return stop_; })) {
      lock.unlock();
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
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

int wait_for_signal(const sigset_t& set) {
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

}  // namespace

int run_serve(const Config& cfg) {
  // Signals go to this thread only: block them before any other thread starts.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  const TimeMs started = SystemClock().now();

  auto base = open_base(cfg.data_dir);
  if (!base) return report(base.status());
  auto calendar = Calendar::in_zone(cfg.timezone);
  if (!calendar) return report(calendar.status());
  auto accounts = open_accounts(cfg.data_dir);
  if (!accounts) return report(accounts.status());
  store::Store& store = *base->store;
  SystemClock clock;
  ingest::LiveHub live;

  ingest::PipelineOptions popts;
  popts.flush_interval_ms = cfg.flush_interval_ms;
  ingest::Pipeline pipeline(store, clock, live, popts);
  if (Status s = pipeline.start(); !s) return report(s);

  std::vector<std::string> source_uris = cfg.sources;
  if (cfg.simulate && source_uris.empty()) source_uris.push_back("udp://127.0.0.1:0");
  std::vector<std::unique_ptr<ingest::Source>> sources;
  std::uint16_t sim_port = 0;  // the UDP source the in-process simulation sends to
  for (const auto& text : source_uris) {
    auto uri = ingest::parse_source_uri(text);
    if (!uri) return report(uri.status());
    auto src = ingest::make_source(*uri, pipeline);
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
  web::WebServer http(ctx);
  auto hp = ingest::parse_host_port(cfg.listen);
  if (Status s = http.listen(hp->host, hp->port); !s) return report(s);
  spdlog::info("citizenwatt {}: base station on http://{}:{} (data in {}, time zone {})",
               CW_VERSION, hp->host, http.port(), cfg.data_dir, cfg.timezone);

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
  store::RetentionPolicy retention{cfg.raw_retention_days * kDayMs};
  auto maintenance = std::make_unique<Maintenance>(store, pipeline, clock, retention);

  int sig = wait_for_signal(set);
  spdlog::info("citizenwatt: {} received, stopping after {} s of service",
               sig == SIGINT ? "SIGINT" : "SIGTERM", (clock.now() - started) / 1000);
  if (sim) sim->stop();
  for (auto& s : sources) s->stop();
  maintenance.reset();
  pipeline.stop();
  live.close();
  http.stop();
  auto stats = pipeline.stats();
  spdlog::info("citizenwatt: stopped cleanly; {} samples committed in this run",
               stats.committed_samples);
  return stats.pending == 0 ? kExitOk : kExitFailure;
}

}  // namespace cw::app
