// citizenwatt simulate: virtual sensors that send real frames to a base over UDP.
#include <signal.h>

#include <spdlog/spdlog.h>

#include <iostream>

#include "app/base.h"
#include "app/commands.h"
#include "simulate/simulation.h"

namespace cw::app {

namespace {

volatile sig_atomic_t g_interrupted = 0;
void on_signal(int) { g_interrupted = 1; }

Result<store::Sensor> pick_sensor(store::Store& store, std::optional<int> id) {
  if (id) {
    if (*id < 1 || *id > 65535) return invalid_argument("sensor id must be between 1 and 65535");
    return store.sensor(static_cast<SensorId>(*id));
  }
  auto list = store.sensors();
  if (!list) return list.status();
  for (const auto& s : *list)
    if (s.kind == store::SensorKind::kV2) return s;
  return not_found("no sensor paired in this base: run 'citizenwatt sensor add NAME' first");
}

}  // namespace

int run_simulate(const SimulateArgs& args) {
  if (!(args.speed > 0 && args.speed <= 100000))
    return report(invalid_argument("--speed must be in (0, 100000]"));
  if (args.duration_s < 0) return report(invalid_argument("--duration must not be negative"));
  simulate::SimSensor ss;
  {
    // Read the sensor's key and counter, then close the store: the base owns the file.
    auto base = open_base(args.data_dir);
    if (!base) return report(base.status());
    auto sensor = pick_sensor(*base->store, args.sensor);
    if (!sensor) return report(sensor.status());
    ss.id = sensor->id;
    std::copy(sensor->key.begin(), sensor->key.end(), ss.key.begin());
    ss.first_counter = sensor->state.has_counter ? sensor->state.last_counter + 1 : 1;
    ss.initial_energy_wh = static_cast<std::uint32_t>(sensor->state.last_raw_energy_wh);
  }
  ss.seed = args.seed;
  if (!args.replay.empty()) {
    ss.source = simulate::SourceKind::kReplay;
    ss.replay_path = args.replay;
  }
  simulate::SimulationOptions o;
  o.target = args.target;
  o.sensors.push_back(ss);
  o.speed = args.speed;
  SystemClock clock;
  simulate::Simulation sim(std::move(o), clock);
  if (Status s = sim.start(); !s) return report(s);
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  spdlog::info("simulate: sensor {} sending to {} ({}), speed x{}", ss.id, args.target,
               args.replay.empty() ? "synthetic household" : args.replay, args.speed);
  TimeMs started = clock.now();
  bool ended = false;
  while (!g_interrupted && !ended) {
    ended = sim.wait_done(200);
    if (args.duration_s > 0 && clock.now() - started >= TimeMs(args.duration_s * 1000)) break;
  }
  sim.stop();
  std::cout << "simulate: " << sim.frames_sent() << " frames sent"
            << (sim.send_errors() ? ", " + std::to_string(sim.send_errors()) + " send errors" : "")
            << (ended ? " (replay finished)" : "") << "\n";
  return kExitOk;
}

}  // namespace cw::app
