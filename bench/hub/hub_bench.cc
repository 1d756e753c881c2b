// make bench: the community hub at a city's scale, against a real PostgreSQL (scripts/hub-bench.sh
// starts one). 10,000 simulated households contribute a year of 30-min data:
//   1. bulk load of the year (COPY), rows per second;
//   2. the real ingest path (HTTPS, blind token, checks, insert) with concurrent clients;
//   3. time to recompute a day's publication (10,000 contributions of that day);
//   4. latency of the open API over HTTPS (keep-alive, as a third-party service would query it).
// Prints a markdown table (docs/performance.md, "Community hub").
// Usage: cw_hub_bench URL CERT KEY CA [households] [days] [ingest] [publish_days]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "hub/hub_db.h"
#include "hub/hub_server.h"
#include "hub/publisher.h"
#include "privacy/blind_rsa.h"
#include "privacy/encoding.h"
#include "privacy/hub_client.h"

namespace {

using namespace cw;
using Steady = std::chrono::steady_clock;

// CPU seconds of this process (client and hub threads; PostgreSQL's own are not counted).
double cpu_now() {
  return double(std::clock()) / CLOCKS_PER_SEC;
}

double seconds_since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

struct Household {
  std::string area, size, heating, dwelling;
  double scale;
};

std::vector<Household> make_households(int n) {
  std::mt19937 rng(42);
  static const char* sizes[] = {"1", "2", "3-4", "5+"};
  static const char* heats[] = {"electric", "heat_pump", "gas", "other"};
  static const char* dwellings[] = {"flat", "house"};
  std::vector<Household> out;
  for (int i = 0; i < n; ++i) {
    char area[6];
    std::snprintf(area, sizeof area, "751%02d", 1 + static_cast<int>(rng() % 20));
    out.push_back({area, sizes[rng() % 4], heats[rng() % 4], dwellings[rng() % 2],
                   0.5 + double(rng() % 1000) / 500.0});
  }
  return out;
}

// 48 half-hours of a household on a day, Wh, rounded to 10 Wh.
std::vector<std::int64_t> half_hours(const Household& h, int day, std::mt19937& rng) {
  std::vector<std::int64_t> v(48);
  const double season = 1.0 + 0.4 * std::cos(2 * 3.14159 * day / 365.0);
  for (int s = 0; s < 48; ++s) {
    const double base = 120 + ((s >= 12 && s < 16) || (s >= 36 && s < 44) ? 500 : 0);
    v[static_cast<std::size_t>(s)] =
        privacy::round_energy(base * h.scale * season * (0.7 + double(rng() % 600) / 1000.0));
  }
  return v;
}

std::string day_name(const Calendar& cal, TimeMs start) {
  return privacy::format_day(cal, start);
}

// Step 1: the year by COPY, as a restore or a replica catch-up would write it.
double bulk_load(hub::PgPool& pool, const Calendar& cal, const std::vector<Household>& hh,
                 TimeMs first_day, int days, int skip_last_for) {
  const auto t0 = Steady::now();
  std::mt19937 rng(7);
  std::size_t rows = 0;
  auto lease = pool.acquire();
  pqxx::work w(*lease);
  pqxx::stream_to copy(
      w, "contributions",
      std::vector<std::string>{"token_sha256", "period", "granularity", "purposes", "area",
                               "household_size", "heating", "dwelling", "daily_wh", "half_hours_wh",
                               "delete_sha256", "body_sha256"});
  TimeMs day = first_day;
  for (int d = 0; d < days; ++d, day = cal.next(day, Period::kDay)) {
    const std::string period = day_name(cal, day);
    const int n =
        d == days - 1 ? static_cast<int>(hh.size()) - skip_last_for : static_cast<int>(hh.size());
    for (int i = 0; i < n; ++i) {
      auto v = half_hours(hh[static_cast<std::size_t>(i)], d, rng);
      if (privacy::half_hours_in_day(cal, day) != 48)
        v.resize(static_cast<std::size_t>(privacy::half_hours_in_day(cal, day)), 100);
      std::int64_t sum = 0;
      std::string arr = "{";
      for (std::size_t s = 0; s < v.size(); ++s) {
        sum += v[s];
        arr += (s ? "," : "") + std::to_string(v[s]);
      }
      arr += "}";
      const auto& h = hh[static_cast<std::size_t>(i)];
      copy << std::make_tuple(privacy::hex(privacy::random_bytes(32)), period, 1, 7, h.area, h.size,
                              h.heating, h.dwelling, sum, arr,
                              privacy::hex(privacy::random_bytes(32)),
                              privacy::hex(privacy::random_bytes(32)));
      ++rows;
    }
  }
  copy.complete();
  w.exec(
      "INSERT INTO dirty_periods SELECT DISTINCT period FROM contributions ON CONFLICT DO NOTHING");
  w.commit();
  const double s = seconds_since(t0);
  std::printf("| bulk load (COPY), %zu rows | %.1f s | %.0f rows/s |\n", rows, s, double(rows) / s);
  return s;
}

struct Prepared {
  nlohmann::json body;
};

// Step 2: the real path. Tokens first (authenticated, one request per base), then uploads by
// `threads` clients, each upload on its own TLS connection as a base does.
void ingest(hub::HubDb& db, int port, const std::string& ca_file, const Calendar& cal,
            const std::vector<Household>& hh, const std::string& period, int count, int threads) {
  privacy::HubClient client(privacy::HubEndpoint{"127.0.0.1", port, "", ca_file});
  auto pem = client.period_key(period);
  if (!pem) {
    std::cerr << pem.status().to_string() << "\n";
    return;
  }
  auto pk = privacy::BlindRsaPublicKey::from_pem(*pem);
  std::vector<std::string> creds;
  for (int i = 0; i < count; ++i) creds.push_back(*db.enrol("bench"));
  std::vector<privacy::Contribution> todo(static_cast<std::size_t>(count));
  std::mt19937 rng(9);
  for (int i = 0; i < count; ++i) {
    auto& c = todo[static_cast<std::size_t>(i)];
    const auto& h = hh[hh.size() - static_cast<std::size_t>(count) + static_cast<std::size_t>(i)];
    c.period = period;
    c.granularity = privacy::Granularity::kHalfHour;
    c.purposes = 7;
    c.context = {h.area, h.size, h.heating, h.dwelling};
    c.half_hours_wh = half_hours(h, 364, rng);
    c.half_hours_wh.resize(
        static_cast<std::size_t>(privacy::half_hours_in_day(cal, *privacy::parse_day(cal, period))),
        100);
    for (auto v : c.half_hours_wh) c.daily_wh += v;
    c.delete_hash = privacy::sha256(privacy::random_bytes(32));
  }
  std::atomic<int> next{0}, failed{0};
  std::vector<privacy::Bytes> inputs(todo.size()), invs(todo.size()), blinded(todo.size());
  for (std::size_t i = 0; i < todo.size(); ++i) {
    inputs[i] = privacy::prepare(privacy::sha256(privacy::binding_text(todo[i])));
    auto b = privacy::blind(*pk, inputs[i]);
    invs[i] = b->inv;
    blinded[i] = b->blinded_msg;
  }
  auto t0 = Steady::now();
  double c0 = cpu_now();
  auto run = [&](auto&& fn) {
    next = 0;
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t)
      ts.emplace_back([&] {
        for (int i; (i = next++) < count;) fn(static_cast<std::size_t>(i));
      });
    for (auto& t : ts) t.join();
  };
  run([&](std::size_t i) {
    auto sigs = client.issue(creds[i], {{period, pk->key_id(), blinded[i]}});
    if (!sigs || !(*sigs)[0]) return void(++failed);
    auto sig = privacy::finalize(*pk, *(*sigs)[0], invs[i], inputs[i]);
    if (!sig) return void(++failed);
    todo[i].token = {pk->key_id(), inputs[i], *sig};
  });
  const double issue_s = seconds_since(t0), issue_cpu = cpu_now() - c0;
  t0 = Steady::now();
  c0 = cpu_now();
  run([&](std::size_t i) {
    if (!client.upload(privacy::to_json(todo[i]))) ++failed;
  });
  const double upload_s = seconds_since(t0), upload_cpu = cpu_now() - c0;
  std::printf("| token issuance over HTTPS, %d bases, %d clients | %.1f s | %.0f tokens/s |\n",
              count, threads, issue_s, count / issue_s);
  std::printf(
      "| contribution ingest over HTTPS (fresh TLS connection each, token checked), %d | %.1f s | "
      "%.0f contributions/s |\n",
      count, upload_s, count / upload_s);
  std::printf(
      "| CPU per token / per contribution, client and hub together (PostgreSQL apart) | %.1f ms / "
      "%.1f ms | |\n",
      issue_cpu * 1000 / count, upload_cpu * 1000 / count);
  if (failed) std::printf("| failures | %d | |\n", failed.load());
}

void api_latency(int port, const std::vector<std::string>& days, int n) {
  httplib::SSLClient c("127.0.0.1", port);
  c.enable_server_certificate_verification(false);
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);
  std::mt19937 rng(3);
  std::vector<double> ms;
  std::size_t bytes = 0;
  for (int i = 0; i < n; ++i) {
    char area[6];
    std::snprintf(area, sizeof area, "751%02d", 1 + static_cast<int>(rng() % 20));
    const std::string& d = days[rng() % days.size()];
    std::string path;
    switch (i % 4) {
      case 0:
        path = "/open/v1/daily?period=" + d + "&area=" + area;
        break;
      case 1:
        path = "/open/v1/load_curve?period=" + d + "&area=" + area;
        break;
      case 2:
        path =
            "/open/v1/daily?from=" + days.front() + "&to=" + days.back() + "&area=*&dimension=all";
        break;
      default:
        path = "/open/v1/distribution?period=" + d + "&area=" + area;
        break;
    }
    const auto t0 = Steady::now();
    auto res = c.Get(path.c_str());
    ms.push_back(seconds_since(t0) * 1000);
    if (res) bytes += res->body.size();
  }
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[static_cast<std::size_t>(p * double(ms.size() - 1))]; };
  std::printf(
      "| open API, %d GETs (day of an area, its curve, 30 days of the city, distribution) | p50 "
      "%.1f ms, p95 %.1f ms, p99 %.1f ms | %.1f KB mean answer |\n",
      n, pct(0.5), pct(0.95), pct(0.99), double(bytes) / n / 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr
        << "usage: cw_hub_bench URL CERT KEY CA [households] [days] [ingest] [publish_days]\n";
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // one line at a time, even into a log file
  const std::string url = argv[1];
  const int households = argc > 5 ? std::atoi(argv[5]) : 10000;
  const int days = argc > 6 ? std::atoi(argv[6]) : 365;
  const int ingested = argc > 7 ? std::atoi(argv[7]) : 2000;
  const int publish_days = argc > 8 ? std::atoi(argv[8]) : 30;
  auto cal = *Calendar::in_zone("Europe/Paris");
  auto pool = hub::PgPool::open(url, 12);
  if (!pool) return std::cerr << pool.status().to_string() << "\n", 1;
  hub::HubDb db(**pool);
  if (!db.migrate()) return 1;
  hub::Publisher publisher(db, {});
  // The hub's today: 2025-01-01; the year is 2024 (leap, DST both ways).
  ManualClock clock(1735732800000);
  const TimeMs first = cal.floor(1704110400000, Period::kDay);  // 2024-01-01
  TimeMs last = first;
  for (int d = 1; d < days; ++d) last = cal.next(last, Period::kDay);
  const std::string last_day = privacy::format_day(cal, last);
  hub::HubServer server(hub::HubContext{
      db, publisher, cal, clock, {argv[2], argv[3], 400, 8, 24 * 3600 * kSecondMs}});
  if (!server.listen("127.0.0.1", 0)) return 1;
  const auto hh = make_households(households);
  std::printf("### Community hub: %d households x %d days of 30-min data, PostgreSQL 15\n\n",
              households, days);
  std::printf("| step | time | rate |\n|---|---:|---:|\n");
  bulk_load(db.pool(), cal, hh, first, days, ingested);
  ingest(db, server.port(), argv[4], cal, hh, last_day, ingested, 8);
  {
    auto lease = db.pool().acquire();
    pqxx::work w(*lease);
    w.exec("ANALYZE contributions");
    w.commit();
  }
  // Step 3: the last day, 10,000 contributions, recomputed whole; then the days before it.
  std::vector<double> runs;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = Steady::now();
    if (!publisher.recompute(last_day)) return 1;
    runs.push_back(seconds_since(t0));
  }
  std::sort(runs.begin(), runs.end());
  std::printf(
      "| recompute one day's publication (%d contributions, 4 datasets, median of 5) | %.2f s | "
      "|\n",
      households, runs[2]);
  std::vector<std::string> recent;
  const auto t0 = Steady::now();
  TimeMs day = last;
  for (int i = 0; i < publish_days; ++i, day = cal.floor(day - 12 * kHourMs, Period::kDay)) {
    recent.push_back(privacy::format_day(cal, day));
    if (!publisher.recompute(recent.back())) return 1;
  }
  std::reverse(recent.begin(), recent.end());
  std::printf("| publish the last %d days | %.1f s | %.2f s/day |\n", publish_days,
              seconds_since(t0), seconds_since(t0) / publish_days);
  api_latency(server.port(), recent, 400);
  auto lease = db.pool().acquire();
  pqxx::work w(*lease);
  auto r = w.exec(
      "SELECT pg_total_relation_size('contributions'), (SELECT count(*) FROM contributions), "
      "pg_total_relation_size('published_cells'), (SELECT count(*) FROM published_cells)");
  std::printf("| database: contributions | %.0f MB | %s rows |\n", r[0][0].as<double>() / 1e6,
              r[0][1].c_str());
  std::printf("| database: published cells | %.1f MB | %s cells |\n\n", r[0][2].as<double>() / 1e6,
              r[0][3].c_str());
  server.stop();
  return 0;
}
