#include "app/simulate_runner.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <cmath>

#include "simulate/household_model.h"
#include "simulate/simulation.h"
#include "simulate/virtual_sensor.h"

namespace cw::app {

namespace {

constexpr std::uint64_t kSeed = 2014;  // the year CitizenWatt began
constexpr TimeMs kPeriodMs = 5 * kSecondMs;

class Handle final : public SimulationHandle {
 public:
  Handle(simulate::SimulationOptions o, const Clock& clock) : sim_(std::move(o), clock) {}
  Status start() { return sim_.start(); }
  void stop() override { sim_.stop(); }

 private:
  simulate::Simulation sim_;
};

// Commits days of the synthetic household, as the virtual sensor would have reported them.
Status backfill(store::Store& store, const store::Sensor& sensor, TimeMs now, int days) {
  simulate::HouseholdOptions ho;
  ho.seed = kSeed;
  ho.start = floor_to(now - days * kDayMs, kPeriodMs);
  ho.step_ms = kPeriodMs;
  simulate::HouseholdModel model(ho);
  simulate::VirtualSensorConfig vc;
  vc.id = sensor.id;
  simulate::VirtualSensor vs(vc);
  store::SensorBatch batch;
  batch.sensor = sensor.id;
  batch.state = sensor.state;
  std::uint32_t counter = 0;
  simulate::PowerSample p;
  while (model.next(&p) && p.t < now) {
    vs.feed(p);
    batch.samples.push_back(Sample{p.t, ++counter, static_cast<std::int32_t>(std::lround(p.power_w)),
                                   static_cast<std::int64_t>(vs.energy_wh())});
    if (batch.samples.size() == 10000) {
      CW_RETURN_IF_ERROR(store.commit({{batch}, {}}));
      batch.samples.clear();
    }
  }
  const Sample& last = batch.samples.empty() ? Sample{} : batch.samples.back();
  auto& st = batch.state;
  st.has_counter = true;
  st.last_counter = counter;
  st.last_seen = last.t;
  st.last_power_w = last.power_w;
  st.last_raw_energy_wh = last.energy_wh;
  st.frames[Verdict::kAccepted] = counter;
  return store.commit({{batch}, {}});
}

}  // namespace

Result<store::Sensor> ensure_simulated_sensor(store::Store& store, const Clock& clock,
                                              int backfill_days) {
  auto list = store.sensors();
  if (!list) return list.status();
  for (const auto& s : *list)
    if (s.name == kSimulatedSensorName) return s;
  store::NewSensor ns;
  ns.name = kSimulatedSensorName;
  ns.max_gap_ms = 60 * kSecondMs;
  if (RAND_bytes(ns.key.data(), static_cast<int>(ns.key.size())) != 1)
    return internal_error("the system random generator failed");
  auto added = store.add_sensor(ns);
  if (!added) return added.status();
  spdlog::info("simulate: paired sensor {} \"{}\"; writing {} days of simulated history", added->id,
               ns.name, backfill_days);
  if (backfill_days > 0) CW_RETURN_IF_ERROR(backfill(store, *added, clock.now(), backfill_days));
  return store.sensor(added->id);
}

Result<std::unique_ptr<SimulationHandle>> start_simulation(const store::Sensor& sensor,
                                                           std::uint16_t udp_port, double speed,
                                                           const Clock& clock) {
  simulate::SimSensor ss;
  ss.id = sensor.id;
  std::copy(sensor.key.begin(), sensor.key.end(), ss.key.begin());
  ss.source = simulate::SourceKind::kHousehold;
  ss.seed = kSeed;
  ss.period_ms = kPeriodMs;
  ss.first_counter = sensor.state.has_counter ? sensor.state.last_counter + 1 : 1;
  ss.initial_energy_wh = static_cast<std::uint32_t>(sensor.state.last_raw_energy_wh);
  simulate::SimulationOptions o;
  o.target = "udp://127.0.0.1:" + std::to_string(udp_port);
  o.sensors.push_back(ss);
  o.speed = speed;
  auto h = std::make_unique<Handle>(std::move(o), clock);
  CW_RETURN_IF_ERROR(h->start());
  spdlog::info("simulate: household sending to udp://127.0.0.1:{} every {} s (speed x{})", udp_port,
               kPeriodMs / 1000.0 / speed, speed);
  return std::unique_ptr<SimulationHandle>(std::move(h));
}

}  // namespace cw::app
