#include "datasets.h"

#include <algorithm>
#include <cmath>

#include "core/calendar.h"
#include "simulate/household_model.h"
#include "simulate/recording.h"
#include "simulate/virtual_sensor.h"

namespace cw::bench {

namespace {

constexpr TimeMs kYearStart = 1704067200000;     // 2024-01-01T00:00:00Z
constexpr TimeMs kUntimedStart = 1401580800000;  // 2014-06-01: the 2014 prototype's file

// Turns readings into stored samples the way a sensor and a base would: the virtual sensor
// integrates power into its Wh register (or takes the meter's own index), the base keeps the
// reading's time, its power rounded to W, the register and a frame counter.
class SensorConverter {
 public:
  explicit SensorConverter(TimeMs max_gap_ms) : vs_(config(max_gap_ms)) {}
  Sample convert(const simulate::PowerSample& p) {
    vs_.feed(p);
    const double w = std::clamp(std::round(p.power_w), -2147483648.0, 2147483647.0);
    energy_ = std::max(energy_, std::int64_t(vs_.energy_wh()));  // a base never goes back
    return {p.t, counter_++, std::int32_t(w), energy_};
  }

 private:
  static simulate::VirtualSensorConfig config(TimeMs max_gap_ms) {
    simulate::VirtualSensorConfig c;
    c.max_gap_ms = max_gap_ms;
    return c;
  }
  simulate::VirtualSensor vs_;
  std::uint32_t counter_ = 1;
  std::int64_t energy_ = 0;
};

class VectorSource final : public SampleSource {
 public:
  explicit VectorSource(std::shared_ptr<const std::vector<Sample>> v) : v_(std::move(v)) {}
  std::size_t fill(std::vector<Sample>& out, std::size_t n) override {
    const std::size_t k = std::min(n, v_->size() - pos_);
    out.insert(out.end(), v_->begin() + pos_, v_->begin() + pos_ + k);
    pos_ += k;
    return k;
  }

 private:
  std::shared_ptr<const std::vector<Sample>> v_;
  std::size_t pos_ = 0;
};

class HouseholdSource final : public SampleSource {
 public:
  HouseholdSource(std::size_t total, const Calendar& cal)
      : model_({.seed = 1, .start = kYearStart, .step_ms = 1000}, cal), conv_(0), left_(total) {}
  std::size_t fill(std::vector<Sample>& out, std::size_t n) override {
    const std::size_t k = std::min(n, left_);
    simulate::PowerSample p;
    for (std::size_t i = 0; i < k; ++i) {
      model_.next(&p);
      out.push_back(conv_.convert(p));
    }
    left_ -= k;
    return k;
  }

 private:
  simulate::HouseholdModel model_;
  SensorConverter conv_;
  std::size_t left_;
};

Result<Dataset> load(const std::string& path, const std::string& name, const std::string& what) {
  simulate::ParseOptions po;
  po.untimed_start = kUntimedStart;
  auto rec = simulate::load_recording(path, po);
  if (!rec) return Status{rec.status().code(), path + ": " + rec.status().message()};
  SensorConverter conv(3 * rec->nominal_step_ms);  // as the simulator's replay does
  auto samples = std::make_shared<std::vector<Sample>>();
  samples->reserve(rec->samples.size());
  for (const auto& p : rec->samples) samples->push_back(conv.convert(p));
  if (samples->empty()) return invalid_argument(path + ": no samples");
  Dataset d;
  d.name = name;
  d.description = what + " (" + rec->format + " format, " + std::to_string(rec->report.missing) +
                  " missing rows, " + std::to_string(rec->report.bad) + " bad rows skipped)";
  d.step_ms = rec->nominal_step_ms;
  d.samples = samples->size();
  d.first_t = samples->front().t;
  d.last_t = samples->back().t;
  d.open = [samples] { return std::make_unique<VectorSource>(samples); };
  return d;
}

}  // namespace

Result<std::vector<Dataset>> real_datasets(const std::string& data_dir) {
  struct Spec {
    const char* path;
    const char* name;
    const char* what;
  };
  const Spec specs[] = {
      {"uci_household_power/household_power_consumption_2006-12-16_2007-01-19.txt",
       "UCI household (Sceaux), 1 min", "UCI Individual household electric power, minute means"},
      {"sebgeek_teleinfo_30s", "SebGeek teleinfo, 30 s",
       "French household Linky-era teleinfo log, apparent power, meter index"},
      {"citizenwatt_sensor_samples/sample", "CitizenWatt 2014 sensor, 5 s (sample)",
       "2014 CitizenWatt prototype, untimed 5 s rows (timestamps assigned from 2014-06-01)"},
      {"citizenwatt_sensor_samples/sample2.json", "CitizenWatt 2014 sensor (sample2.json)",
       "2014 CitizenWatt prototype JSON export, timestamped"},
  };
  std::vector<Dataset> out;
  for (const Spec& s : specs) {
    auto d = load(data_dir + "/" + s.path, s.name, s.what);
    if (!d) return d.status();
    out.push_back(std::move(*d));
  }
  return out;
}

Dataset synthetic_year(int days) {
  const std::size_t n = std::size_t(days) * 86400;
  Dataset d;
  d.name = "Synthetic household, 1 Hz, " + std::to_string(days) + " days";
  d.description =
      "HouseholdModel seed 1 (Europe/Paris), 1 Hz from 2024-01-01, virtual sensor register";
  d.step_ms = 1000;
  d.samples = n;
  d.first_t = kYearStart;
  d.last_t = kYearStart + TimeMs(n - 1) * 1000;
  d.synthetic = true;
  auto cal = Calendar::in_zone("Europe/Paris");
  Calendar c = cal ? *cal : Calendar::utc();
  d.open = [n, c] { return std::make_unique<HouseholdSource>(n, c); };
  return d;
}

}  // namespace cw::bench
