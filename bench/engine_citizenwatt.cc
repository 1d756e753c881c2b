// The CitizenWatt store as a benchmark engine: open_sqlite_store, one sensor, commits as the
// ingest pipeline makes them, charts through analytics::query_series.
#include <algorithm>

#include "analytics/series.h"
#include "engine.h"
#include "store/store.h"

namespace cw::bench {

namespace {

Calendar paris() {
  auto c = Calendar::in_zone("Europe/Paris");
  return c ? *c : Calendar::utc();
}

class CitizenWattEngine final : public Engine {
 public:
  Status open(const EngineSetup& setup) override {
    path_ = (setup.dir / "citizenwatt.db").string();
    CW_RETURN_IF_ERROR(reopen());
    // A silence of more than 3 steps (at least the default 2 min) is a gap, as in the replay.
    const TimeMs gap = std::max<TimeMs>(120 * kSecondMs, 3 * setup.step_ms);
    auto s = store_->add_sensor({.name = "bench", .max_gap_ms = gap});
    if (!s) return s.status();
    id_ = s->id;
    return Status::ok();
  }

  Status commit(std::span<const Sample> batch) override {
    store::CommitBatch b;
    store::SensorBatch sb{id_, {batch.begin(), batch.end()}, state_};
    const Sample& last = batch.back();
    sb.state.has_counter = true;
    sb.state.last_counter = last.counter;
    sb.state.last_seen = last.t;
    sb.state.last_power_w = last.power_w;
    sb.state.last_raw_energy_wh = last.energy_wh;
    sb.state.frames[Verdict::kAccepted] += batch.size();
    state_ = sb.state;
    b.sensors.push_back(std::move(sb));
    return store_->commit(b);
  }

  // Closing the last connection checkpoints the WAL and removes it; reopen for the charts.
  Status finish() override {
    store_.reset();
    return reopen();
  }

  std::uint64_t bytes() const override {
    return file_size_or_zero(path_) + file_size_or_zero(path_ + "-wal");
  }

  Result<std::size_t> chart(TimeMs from, TimeMs to, std::size_t points, int) override {
    auto s = analytics::query_series(*store_, calendar_, {id_, from, to, points});
    if (!s) return s.status();
    return std::size_t(std::count_if(s->points.begin(), s->points.end(),
                                     [](const analytics::SeriesPoint& p) { return p.has_data; }));
  }

 private:
  Status reopen() {
    auto st = store::open_sqlite_store(path_, calendar_);
    if (!st) return st.status();
    store_ = std::move(*st);
    return Status::ok();
  }

  Calendar calendar_ = paris();
  std::string path_;
  std::unique_ptr<store::Store> store_;
  SensorId id_ = 0;
  store::SensorState state_;
};

}  // namespace

std::unique_ptr<Engine> make_citizenwatt_engine() {
  return std::make_unique<CitizenWattEngine>();
}

}  // namespace cw::bench
