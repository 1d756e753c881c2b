// cw_bench: the storage benchmark of `make bench` (docs/performance.md). In one run, on the
// same data, the CitizenWatt store against (a) the 2014 design, one SQLite row per measure,
// and (b) the emoncms PHPFina fixed-interval file; prints one markdown table per dataset.
//
//   cw_bench [--year-days N] [--only real|synthetic] [--rows-days N] [--live-samples N]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "report.h"
#include "runner.h"

namespace cw::bench {
namespace {

struct Args {
  int year_days = 365;
  int rows_days = 30;  // baseline (a) on the synthetic year: only this many days (slow, big)
  std::size_t live_samples = 20000;
  std::string only;
};

bool parse(int argc, char** argv, Args* a) {
  for (int i = 1; i < argc; ++i) {
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (!std::strcmp(argv[i], "--year-days") && (v = value())) {
      a->year_days = std::atoi(v);
    } else if (!std::strcmp(argv[i], "--rows-days") && (v = value())) {
      a->rows_days = std::atoi(v);
    } else if (!std::strcmp(argv[i], "--live-samples") && (v = value())) {
      a->live_samples = std::size_t(std::atoll(v));
    } else if (!std::strcmp(argv[i], "--only") && (v = value())) {
      a->only = v;
    } else {
      std::fprintf(stderr,
                   "usage: cw_bench [--year-days N] [--rows-days N] [--live-samples N] "
                   "[--only real|synthetic]\n");
      return false;
    }
  }
  return a->year_days > 0 && a->rows_days > 0;
}

std::string first_line(const char* path, const char* key = nullptr) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!key || line.rfind(key, 0) == 0) return line;
  }
  return "?";
}

void print_machine() {
  std::string cpu = first_line("/proc/cpuinfo", "model name");
  if (auto p = cpu.find(": "); p != std::string::npos) cpu = cpu.substr(p + 2);
  std::printf("Machine: %u cores (%s); load average at start: %s\n\n",
              std::thread::hardware_concurrency(), cpu.c_str(),
              first_line("/proc/loadavg").c_str());
}

std::vector<EngineResult> run_all(const Dataset& d, const Args& a) {
  RunOptions o;
  o.live_max_samples = a.live_samples;
  RunOptions rows = o;
  if (d.synthetic) rows.bulk_max_samples = std::size_t(a.rows_days) * 86400;
  std::vector<EngineResult> out;
  out.push_back(run_engine("CitizenWatt store", make_citizenwatt_engine, d, o));
  out.push_back(run_engine("(a) SQLite row per measure (2014)", make_sqlite_rows_engine, d, rows));
  out.push_back(run_engine("(b) PHPFina (emoncms)", make_phpfina_engine, d, o));
  return out;
}

struct Verdicts {
  std::vector<std::string> lines;
  bool all_ok = true;
  void check(bool ok, const std::string& what) {
    lines.push_back(std::string(ok ? "- [x] " : "- [ ] ") + what);
    all_ok = all_ok && ok;
  }
};

void judge(const Dataset& d, const EngineResult& cw, Verdicts* v) {
  if (!cw.error.empty()) return v->check(false, d.name + ": the store failed: " + cw.error);
  const double limit = d.synthetic ? 1.0 : 1.5;
  v->check(cw.bytes_per_sample <= limit, d.name + ": " + human(cw.bytes_per_sample) +
                                             " B/sample (target <= " + human(limit) + ")");
  if (d.synthetic) {
    v->check(cw.bulk_rate >= 200000,
             d.name + ": bulk ingest " + human(cw.bulk_rate) + " samples/s (target >= 200,000)");
    const double year = cw.charts[0][0].ms;
    v->check(year <= 20, d.name + ": year chart " + human(year) + " ms (target <= 20)");
  }
}

int run(const Args& a) {
  std::printf("## Storage benchmark (cw_bench)\n\n");
  print_machine();
  std::vector<Dataset> sets;
  if (a.only != "synthetic") {
    auto real = real_datasets(CW_SHARED_DATA);
    if (!real) {
      std::fprintf(stderr, "cw_bench: %s\n", real.status().to_string().c_str());
      return 1;
    }
    sets = std::move(*real);
  }
  if (a.only != "real") sets.push_back(synthetic_year(a.year_days));
  Verdicts v;
  for (const Dataset& d : sets) {
    auto rows = run_all(d, a);
    std::printf("%s", dataset_table(d, rows).c_str());
    std::fflush(stdout);
    judge(d, rows.front(), &v);
  }
  std::printf("### Targets (CitizenWatt store)\n\n");
  for (const auto& l : v.lines) std::printf("%s\n", l.c_str());
  std::printf("\nLoad average at end: %s\n\n", first_line("/proc/loadavg").c_str());
  return 0;  // a missed target is a finding to report, not a crash
}

}  // namespace
}  // namespace cw::bench

int main(int argc, char** argv) {
  cw::bench::Args a;
  if (!cw::bench::parse(argc, argv, &a)) return 2;
  return cw::bench::run(a);
}
