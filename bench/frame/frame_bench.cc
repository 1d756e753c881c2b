// Radio frame throughput on one core: authenticate and decode (OpenSSL on the base, the
// portable AES-CCM of the firmware), the pipeline's judgement, and UDP to durable store.
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <vector>

#include "ingest/pipeline.h"
#include "ingest/udp_source.h"
#include "protocol/frame.h"
#include "protocol/host/openssl_aead.h"
#include "protocol/portable_aead.h"
#include "store/store.h"

namespace cw {
namespace {

namespace fs = std::filesystem;
using protocol::Measurement;

constexpr std::uint8_t kKey[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

std::vector<std::uint8_t> sealed(std::uint32_t counter) {
  std::uint8_t out[protocol::kMaxFrame];
  Measurement m{1234, 56789, 2305, 3300, 0};
  auto n = protocol::seal_measurement(7, counter, m, kKey, protocol::openssl_aead(), out);
  return {out, out + n};
}

void open_with(benchmark::State& state, const protocol::Aead& aead) {
  auto frame = sealed(1);
  Measurement m{};
  for (auto _ : state) {
    protocol::Header h{};
    protocol::parse_header(frame.data(), frame.size(), &h);
    auto err = protocol::open_measurement(frame.data(), frame.size(), kKey, aead, &m);
    benchmark::DoNotOptimize(err);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_FrameOpenOpenssl(benchmark::State& state) { open_with(state, protocol::openssl_aead()); }
void BM_FrameOpenPortable(benchmark::State& state) { open_with(state, protocol::portable_aead()); }

void BM_FrameSealOpenssl(benchmark::State& state) {
  std::uint8_t out[protocol::kMaxFrame];
  Measurement m{1234, 56789, 2305, 3300, 0};
  std::uint32_t counter = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        protocol::seal_measurement(7, ++counter, m, kKey, protocol::openssl_aead(), out));
  state.SetItemsProcessed(state.iterations());
}

struct TempStore {
  fs::path dir = fs::temp_directory_path() / ("cw_frame_bench_" + std::to_string(getpid()));
  std::unique_ptr<store::Store> store;
  TempStore() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    store = std::move(*store::open_sqlite_store((dir / "db").string(), Calendar::utc()));
    store::NewSensor ns;
    ns.name = "bench";
    ns.id = 7;
    std::copy(std::begin(kKey), std::end(kKey), ns.key.begin());
    (void)store->add_sensor(ns);
  }
  ~TempStore() {
    store.reset();
    fs::remove_all(dir);
  }
};

std::vector<std::vector<std::uint8_t>> frames(std::size_t n) {
  std::vector<std::vector<std::uint8_t>> out;
  for (std::size_t i = 1; i <= n; ++i) out.push_back(sealed(static_cast<std::uint32_t>(i)));
  return out;
}

// submit(): parse, look up, authenticate, validate, queue; commits run on the writer thread.
void BM_PipelineSubmit(benchmark::State& state) {
  TempStore ts;
  SystemClock clock;
  ingest::LiveHub live;
  ingest::PipelineOptions options;
  options.max_pending = 2'000'000;  // measure judgement, not back-pressure
  ingest::Pipeline pipeline(*ts.store, clock, live, options);
  (void)pipeline.start();
  auto all = frames(1'000'000);
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == all.size()) state.SkipWithError("out of frames");
    benchmark::DoNotOptimize(pipeline.submit(all[i++]));
  }
  pipeline.stop();
  state.SetItemsProcessed(state.iterations());
}

// The whole path: datagrams on loopback → UdpSource → Pipeline → durable SQLite commit.
void BM_UdpToDurableStore(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  auto all = frames(n);
  for (auto _ : state) {
    state.PauseTiming();
    TempStore ts;
    SystemClock clock;
    ingest::LiveHub live(n + 1);
    ingest::Pipeline pipeline(*ts.store, clock, live);
    (void)pipeline.start();
    ingest::UdpSource source({"127.0.0.1", 0}, pipeline);
    (void)source.start();
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(source.port());
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    state.ResumeTiming();
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < n; ++i) {
      sendto(fd, all[i].data(), all[i].size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
      if (i % 256 == 255) seen += live.read_after(seen, std::chrono::milliseconds(0)).events.size();
    }
    // Durable means published by the hub, which happens only after the commit.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (seen < source.datagrams() && std::chrono::steady_clock::now() < deadline)
      seen += live.read_after(seen, std::chrono::milliseconds(50)).events.size();
    state.PauseTiming();
    state.counters["received"] = double(source.datagrams());
    state.counters["durable"] = double(seen);
    close(fd);
    source.stop();
    pipeline.stop();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(n));
}

BENCHMARK(BM_FrameOpenOpenssl);
BENCHMARK(BM_FrameOpenPortable);
BENCHMARK(BM_FrameSealOpenssl);
BENCHMARK(BM_PipelineSubmit)->Iterations(500'000);
BENCHMARK(BM_UdpToDurableStore)->Arg(100'000)->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cw

BENCHMARK_MAIN();
