// citizenwatt import FILE --format enedis|emoncms|ha|citizenwatt --sensor ID | --new NAME
//                    [--unit W|kW|Wh|kWh] [--entity ID] [--dry-run]
//
// Parses the whole file first (a bad file changes nothing), plans the samples against what the
// sensor already has (ingest/import_plan.h: idempotent, appends only), then commits them through
// Store::commit in batches, with a progress bar when stdout is a terminal. Refused while a base
// runs on the data folder: the running base's writer owns the sensors' state.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/base.h"
#include "app/commands.h"
#include "app/serve_lock.h"
#include "ingest/import_plan.h"
#include "ingest/input_measurement.h"
#include "store/inputs.h"

namespace cw::app {

namespace {

constexpr std::size_t kBatch = 20000;

Result<std::string> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().size() > (std::size_t(1) << 30)) return invalid_argument(path + " is over 1 GiB");
  return ss.str();
}

Result<ingest::ImportSeries> parse(const ImportArgs& a, const std::string& text,
                                   const Calendar& cal) {
  auto unit = ingest::parse_unit(a.unit);
  if (!unit) return unit.status();
  if (a.format == "enedis") return ingest::parse_enedis(text);
  if (a.format == "emoncms") return ingest::parse_emoncms_csv(text, *unit, cal);
  if (a.format == "ha") return ingest::parse_ha_history(text, a.entity, *unit);
  if (a.format == "citizenwatt") return ingest::parse_citizenwatt_export(text);
  return invalid_argument("--format must be enedis, emoncms, ha or citizenwatt");
}

ingest::StoredView view_of(store::Store& store, const store::Sensor& s) {
  ingest::StoredView v;
  auto last = store.last_sample(s.id);
  if (last && *last) v.last = **last;
  v.last_counter = s.state.last_counter;
  v.max_gap_ms = s.max_gap_ms;
  v.at = [&store, id = s.id](TimeMs t) -> std::optional<Sample> {
    std::optional<Sample> found;
    (void)store.scan_raw(id, t, t + 1, [&](std::span<const Sample> xs) {
      if (!xs.empty()) found = xs.front();
      return false;
    });
    return found;
  };
  return v;
}

void progress(std::size_t done, std::size_t total) {
  if (!isatty(STDOUT_FILENO) || total == 0) return;
  const int width = 30;
  const int filled = int(width * done / total);
  std::cout << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] "
            << (100 * done / total) << "% " << done << "/" << total << " samples" << std::flush;
  if (done == total) std::cout << "\n";
}

Status commit(store::Store& store, store::Sensor sensor, const ingest::ImportPlan& plan) {
  store::SensorState st = sensor.state;
  for (std::size_t at = 0; at < plan.samples.size(); at += kBatch) {
    const std::size_t end = std::min(plan.samples.size(), at + kBatch);
    store::CommitBatch batch;
    store::SensorBatch b;
    b.sensor = sensor.id;
    b.samples.assign(plan.samples.begin() + std::ptrdiff_t(at),
                     plan.samples.begin() + std::ptrdiff_t(end));
    const Sample& last = b.samples.back();
    st.has_counter = true;
    st.last_counter = last.counter;
    st.last_seen = last.t;
    st.last_power_w = last.power_w;
    st.last_raw_energy_wh = last.energy_wh - st.energy_offset_wh;
    st.flags = plan.estimated ? ingest::kInputFlagEstimated : st.flags;
    st.frames[Verdict::kAccepted] += b.samples.size();
    b.state = st;
    batch.sensors.push_back(std::move(b));
    CW_RETURN_IF_ERROR(store.commit(batch));
    progress(end, plan.samples.size());
  }
  return Status::ok();
}

Result<store::Sensor> target_sensor(const ImportArgs& a, store::Store& store) {
  if (a.sensor) {
    auto s = store.sensor(static_cast<SensorId>(*a.sensor));
    if (!s) return s.status();
    if (!store::is_input_kind(s->kind))
      return invalid_argument("sensor " + std::to_string(*a.sensor) + " is a radio sensor (" +
                              store::sensor_kind_name(s->kind) +
                              "): its counters belong to its frames; import into a new sensor "
                              "(--new NAME)");
    return s;
  }
  if (a.dry_run) {
    store::Sensor s;
    s.name = a.new_name;
    s.kind = store::SensorKind::kImport;
    return s;
  }
  store::NewSensor ns;
  ns.name = a.new_name;
  ns.kind = store::SensorKind::kImport;
  ns.max_gap_ms = 2 * kHourMs;  // exports are sampled every 30 min to a day
  return store.add_sensor(ns);
}

void report_plan(const ImportArgs& a, const ingest::ImportSeries& series,
                 const ingest::ImportPlan& plan, const store::Sensor& s) {
  std::cout << (a.dry_run ? "dry run: would import " : "imported ") << plan.samples.size()
            << " samples";
  if (!plan.samples.empty())
    std::cout << " from " << format_iso_utc(plan.samples.front().t) << " to "
              << format_iso_utc(plan.samples.back().t);
  std::cout << " into sensor " << (s.id ? std::to_string(s.id) : "(new)") << " \"" << s.name
            << "\"; " << plan.present << " already present, " << series.skipped
            << " empty rows skipped";
  if (!plan.registers.empty()) std::cout << "; " << plan.registers.size() << " register readings";
  if (plan.estimated) std::cout << "; energy integrated from power (estimated)";
  std::cout << "\n";
}

}  // namespace

int run_import(const ImportArgs& a) {
  if (a.sensor.has_value() == !a.new_name.empty())
    return report(invalid_argument("give either --sensor ID or --new NAME"));
  auto text = read_all(a.file);
  if (!text) return report(text.status());
  auto base = open_base(a.data_dir);
  if (!base) return report(base.status());
  auto series = parse(a, *text, base->calendar);
  if (!series) return report(series.status());
  std::optional<ServeLock> lock;
  if (!a.dry_run) {
    auto l = lock_data_dir(base->dir.path);
    if (!l) return report(l.status());
    lock = std::move(*l);
  }
  store::Store& store = *base->store;
  auto sensor = target_sensor(a, store);
  if (!sensor) return report(sensor.status());
  auto plan =
      ingest::plan_import(*series, sensor->id ? view_of(store, *sensor) : ingest::StoredView{});
  if (!plan) {
    if (a.new_name.size() && !a.dry_run) (void)store.remove_sensor(sensor->id);
    return report(plan.status());
  }
  if (!a.dry_run) {
    if (Status st = commit(store, *sensor, *plan); !st) {
      std::cerr << "citizenwatt: the import stopped; what was committed stays. Run it again with "
                << "--sensor " << sensor->id << " to finish it.\n";
      return report(st);
    }
    if (!plan->registers.empty()) {
      auto inputs = store::open_sqlite_inputs(base->dir.db_path());
      if (!inputs) return report(inputs.status());
      if (Status st = (*inputs)->add_readings(sensor->id, plan->registers); !st) return report(st);
    }
  }
  report_plan(a, *series, *plan, *sensor);
  return kExitOk;
}

}  // namespace cw::app
