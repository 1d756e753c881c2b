#include "runner.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace cw::bench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// A fresh directory under the system temp dir, removed with everything in it at the end.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cw_bench_XXXXXX").string();
    if (::mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (std::getenv("CW_BENCH_KEEP")) {  // for a look at the files afterwards
      std::fprintf(stderr, "cw_bench: kept %s\n", path_.c_str());
    } else if (!path_.empty()) {
      std::filesystem::remove_all(path_, ec);
    }
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Live shape: consecutive samples within one second of the batch's first form one commit.
Status run_live(Engine& e, const Dataset& d, const RunOptions& o, EngineResult* r) {
  auto src = d.open();
  std::vector<Sample> pending;
  const std::size_t limit = std::min(d.samples, o.live_max_samples);
  src->fill(pending, limit);
  Clock::duration spent{};
  std::size_t pos = 0;
  while (pos < pending.size() && seconds(spent) < o.live_max_seconds) {
    std::size_t end = pos + 1;
    while (end < pending.size() && pending[end].t < pending[pos].t + kSecondMs) ++end;
    const auto t0 = Clock::now();
    CW_RETURN_IF_ERROR(e.commit(std::span<const Sample>(pending).subspan(pos, end - pos)));
    spent += Clock::now() - t0;
    pos = end;
  }
  r->live_samples = pos;
  r->live_rate = double(pos) / seconds(spent);
  return Status::ok();
}

Status run_bulk(Engine& e, const Dataset& d, const RunOptions& o, EngineResult* r) {
  auto src = d.open();
  const std::size_t limit =
      o.bulk_max_samples ? std::min(o.bulk_max_samples, d.samples) : d.samples;
  std::vector<Sample> batch;
  batch.reserve(o.bulk_batch);
  Clock::duration spent{};
  std::size_t done = 0;
  while (done < limit) {
    batch.clear();
    const std::size_t got = src->fill(batch, std::min(o.bulk_batch, limit - done));
    if (got == 0) break;
    const auto t0 = Clock::now();
    CW_RETURN_IF_ERROR(e.commit(batch));
    spent += Clock::now() - t0;
    done += got;
    r->stored_last_t = batch.back().t;
  }
  const auto t0 = Clock::now();
  CW_RETURN_IF_ERROR(e.finish());
  spent += Clock::now() - t0;  // the final checkpoint is part of durable ingest
  r->stored = done;
  r->bulk_rate = double(done) / seconds(spent);
  r->bytes = e.bytes();
  r->bytes_extrapolated = done < d.samples;
  r->bytes_per_sample = double(r->bytes) / double(done);
  return Status::ok();
}

Result<ChartResult> time_chart(Engine& e, const Dataset& d, TimeMs stored_last_t,
                               const ChartRange& range, int variant, const RunOptions& o) {
  ChartResult c;
  const TimeMs to = stored_last_t + 1;
  TimeMs from = to - range.span;
  if (from < d.first_t) {
    from = d.first_t;
    c.whole_span = true;
  }
  std::vector<double> ms;
  for (int i = 0; i < o.chart_repeats; ++i) {
    const auto t0 = Clock::now();
    auto n = e.chart(from, to, 1000, variant);
    ms.push_back(seconds(Clock::now() - t0) * 1000);
    if (!n) return n.status();
    c.points_with_data = *n;
  }
  std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
  c.ms = ms[ms.size() / 2];
  // Only a prefix stored, shorter than the range over the full dataset: the engine scans
  // linearly in rows, so scale to the range the full dataset would cover.
  const TimeMs full = d.last_t + 1 - std::max(d.first_t, d.last_t + 1 - range.span);
  if (double(full) > 1.01 * double(to - from)) {
    c.ms *= double(full) / double(to - from);
    c.extrapolated = true;
    c.whole_span = full < range.span;
  }
  return c;
}

}  // namespace

EngineResult run_engine(const std::string& label, const EngineFactory& make, const Dataset& d,
                        const RunOptions& o) {
  EngineResult r;
  r.label = label;
  auto fail = [&](const Status& s) {
    r.error = s.to_string();
    return r;
  };
  {
    ScratchDir dir;
    auto e = make();
    Status s = e->open({dir.path(), d.step_ms, d.first_t});
    if (s) s = run_live(*e, d, o, &r);
    if (!s) return fail(s);
  }
  ScratchDir dir;
  auto e = make();
  Status s = e->open({dir.path(), d.step_ms, d.first_t});
  if (s) s = run_bulk(*e, d, o, &r);
  if (!s) return fail(s);
  for (int v = 0; v < e->chart_variants(); ++v) {
    std::array<ChartResult, 3> row;
    for (std::size_t k = 0; k < kChartRanges.size(); ++k) {
      auto c = time_chart(*e, d, r.stored_last_t, kChartRanges[k], v, o);
      if (!c) return fail(c.status());
      row[k] = *c;
    }
    r.charts.push_back(row);
  }
  return r;
}

}  // namespace cw::bench
