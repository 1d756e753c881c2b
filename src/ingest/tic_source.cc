#include "ingest/tic_source.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace cw::ingest {

namespace {

constexpr TimeMs kBackoffMs = 1000;
constexpr TimeMs kStatusEveryMs = 30 * kSecondMs;

std::uint32_t baud_of(TicModeOption m) {
  return m == TicModeOption::kStandard ? 9600 : 1200;
}

nlohmann::json opt(const std::optional<std::int32_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string status_json(const TicReading& r) {
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& p : r.phases)
    phases.push_back({{"voltage_v", opt(p.voltage_v)},
                      {"current_a", opt(p.current_a)},
                      {"apparent_va", opt(p.apparent_va)}});
  return nlohmann::json{
      {"mode", r.mode == protocol::tic::Mode::kStandard ? "standard" : "historique"},
      {"meter_id", r.meter_id},
      {"tariff_option", r.tariff_option},
      {"period", r.period},
      {"period_label", r.period_label},
      {"tomorrow", r.tomorrow.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.tomorrow)},
      {"subscribed_a", opt(r.subscribed_a)},
      {"subscribed_kva", opt(r.subscribed_kva)},
      {"overload", r.overload},
      {"apparent_va", opt(r.apparent_va)},
      {"phases", phases},
      {"meter_time", r.meter_time}}
      .dump();
}

}  // namespace

TicSource::TicSource(TicOptions options, InputBinder& binder)
    : options_(std::move(options)), binder_(binder) {
  baud_ = baud_of(options_.mode);
}

TicSource::~TicSource() {
  stop();
}

std::string TicSource::describe() const {
  const char* m = options_.mode == TicModeOption::kAuto         ? "auto"
                  : options_.mode == TicModeOption::kHistorique ? "historique"
                                                                : "standard";
  return "tic:" + options_.device + "?mode=" + m;
}

std::string TicSource::line() const {
  std::lock_guard lock(line_mu_);
  return line_;
}

std::string TicSource::applied_line() const {
  std::lock_guard lock(line_mu_);
  return applied_;
}

TicSourceCounters TicSource::counters() const {
  return {bytes_, frames_, bad_groups_, frame_errors_, submitted_, switches_, opens_, connected_};
}

bool TicSource::open_line() {
  auto fd = open_serial_port(options_.device, baud_, SerialFraming::k7E1);
  if (!fd) {
    log_.warn("tic-open:" + options_.device, "ingest: " + fd.status().message() + "; retrying");
    return false;
  }
  use_line(std::move(*fd));
  return true;
}

void TicSource::use_line(UniqueFd fd) {
  fd_ = std::move(fd);
  decoder_.reset();
  opens_++;
  connected_ = true;
  last_good_ = clock_.now();
  const std::string asked = std::to_string(baud_.load()) + " 7E1";
  const std::string applied = describe_line(fd_.get());
  {
    std::lock_guard lock(line_mu_);
    line_ = asked;
    applied_ = applied;
  }
  spdlog::info("ingest: reading the meter's TIC on {} at {}{}", options_.device, asked,
               applied == asked ? "" : " (the device reports " + applied + ")");
}

Status TicSource::start() {
  if (thread_.joinable()) return Status::ok();
  auto fd = open_serial_port(options_.device, baud_, SerialFraming::k7E1);
  if (!fd) return fd.status();  // a wrong path is reported here rather than retried forever
  UniqueFd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake.valid())
    return Status(Code::kResourceExhausted, std::string("tic: eventfd: ") + std::strerror(errno));
  wake_ = std::move(wake);
  use_line(std::move(*fd));
  thread_ = std::thread([this] { loop(); });
  return Status::ok();
}

void TicSource::stop() {
  if (thread_.joinable()) {
    std::uint64_t one = 1;
    (void)!write(wake_.get(), &one, sizeof one);
    thread_.join();
  }
  fd_.reset();
  wake_.reset();
  connected_ = false;
}

void TicSource::switch_baud_if_silent(TimeMs now) {
  // A historique frame takes ~1.5 s at 1200 baud, a standard one ~1 s at 9600: a baud that
  // decoded nothing for a few frame times is the wrong one.
  if (options_.mode != TicModeOption::kAuto || now - last_good_ < TimeMs(options_.detect_ms))
    return;
  baud_ = baud_ == 1200 ? 9600 : 1200;
  switches_++;
  spdlog::info("ingest: no TIC frame decodes on {}; trying {} baud", options_.device, baud_.load());
  fd_.reset();
  (void)open_line();
}

void TicSource::loop() {
  for (;;) {
    if (!fd_.valid()) {
      pollfd w{wake_.get(), POLLIN, 0};
      if (poll(&w, 1, static_cast<int>(kBackoffMs)) > 0) return;
      if (!open_line()) continue;
    }
    pollfd fds[2] = {{fd_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    int n = poll(fds, 2, static_cast<int>(std::min<std::uint32_t>(options_.detect_ms, 1000)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      spdlog::error("ingest: tic {}: poll: {}", options_.device, std::strerror(errno));
      return;
    }
    if (fds[1].revents & POLLIN) return;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
      read_available((fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0);
    if (fd_.valid()) switch_baud_if_silent(clock_.now());
  }
}

void TicSource::read_available(bool hangup) {
  std::uint8_t buf[256];
  for (;;) {
    ssize_t got = read(fd_.get(), buf, sizeof buf);
    if (got > 0) {
      bytes_ += static_cast<std::uint64_t>(got);
      for (ssize_t i = 0; i < got; ++i) {
        auto e = decoder_.push(buf[i]);
        if (e == protocol::tic::Decoder::Event::kFrame) on_frame(decoder_.frame());
        if (e == protocol::tic::Decoder::Event::kError) frame_errors_++;
      }
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && errno == EAGAIN && !hangup) return;
    fd_.reset();
    connected_ = false;
    spdlog::warn("ingest: TIC dongle {} lost; reopening", options_.device);
    return;
  }
}

void TicSource::on_frame(const protocol::tic::Frame& frame) {
  frames_++;
  bad_groups_ += frame.bad_groups;
  if (frame.count == 0) return;
  last_good_ = clock_.now();
  mode_ = frame.mode;
  auto reading = interpret(frame);
  if (!reading) {
    log_.warn("tic-frame", "ingest: TIC frame ignored: " + reading.status().message());
    return;
  }
  const std::string& id = reading->meter_id;
  auto sensor = binder_.sensor_for(store::SensorKind::kTic, "tic:" + id,
                                   "Linky " + id.substr(id.size() > 4 ? id.size() - 4 : 0));
  if (!sensor) {
    log_.warn("tic-bind", "ingest: cannot bind the meter: " + sensor.status().message());
    return;
  }
  publish(*sensor, *reading, clock_.now());
}

void TicSource::publish(SensorId sensor, const TicReading& r, TimeMs now) {
  auto keep = recorder_.update(r.registers, r.period, now);
  if (!keep.empty()) {
    if (Status s = binder_.inputs().add_readings(sensor, keep); !s)
      log_.warn("tic-registers", "ingest: cannot keep meter registers: " + s.message());
  }
  std::string status = status_json(r);
  if (status != last_status_json_ || now - last_status_ >= kStatusEveryMs) {
    if (binder_.inputs().set_meter_status(sensor, status, now)) {
      last_status_json_ = std::move(status);
      last_status_ = now;
    }
  }
  const TimeMs every = static_cast<TimeMs>(options_.interval_s) * kSecondMs;
  if (!r.apparent_va || !r.total_wh || (last_sample_ && now - last_sample_ < every)) return;
  InputMeasurement m;
  m.sensor = sensor;
  m.power = *r.apparent_va;
  m.apparent = true;
  m.energy_wh = r.total_wh;
  if (!r.phases.empty() && r.phases[0].voltage_v && *r.phases[0].voltage_v < 6553)
    m.voltage_dv = static_cast<std::uint16_t>(*r.phases[0].voltage_v * 10);
  if (binder_.pipeline().submit_input(m) == Verdict::kAccepted) submitted_++;
  last_sample_ = now;
}

}  // namespace cw::ingest
