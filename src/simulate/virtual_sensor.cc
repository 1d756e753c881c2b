#include "simulate/virtual_sensor.h"

#include <algorithm>
#include <cmath>

#include "protocol/host/openssl_aead.h"

namespace cw::simulate {
namespace {

constexpr std::int64_t kMwmsPerWh = 3'600'000'000;

}  // namespace

VirtualSensor::VirtualSensor(const VirtualSensorConfig& config)
    : config_(config), counter_(config.first_counter), energy_wh_(config.initial_energy_wh) {}

void VirtualSensor::feed(const PowerSample& s) {
  if (has_current_ && s.t > current_.t) {
    TimeMs dt = s.t - current_.t;
    bool gap = config_.max_gap_ms > 0 && dt > config_.max_gap_ms;
    if (!gap && current_.power_w > 0) {
      remainder_mwms_ += std::llround(current_.power_w * 1000.0) * dt;
      energy_wh_ += static_cast<std::uint32_t>(remainder_mwms_ / kMwmsPerWh);
      remainder_mwms_ %= kMwmsPerWh;
    }
  }
  if (s.meter_wh >= 0) {  // the meter's own index wins over our integral
    energy_wh_ = static_cast<std::uint32_t>(s.meter_wh);
    remainder_mwms_ = 0;
  }
  current_ = s;
  has_current_ = true;
}

double VirtualSensor::energy_exact_wh() const {
  return double(energy_wh_) + double(remainder_mwms_) / double(kMwmsPerWh);
}

bool VirtualSensor::take_counter(std::uint32_t* c) {
  if (counter_exhausted_) return false;
  *c = counter_;
  if (counter_ == UINT32_MAX)
    counter_exhausted_ = true;  // never reuse a nonce
  else
    ++counter_;
  return true;
}

std::size_t VirtualSensor::hello(std::uint8_t out[protocol::kMaxFrame]) {
  std::uint32_t c;
  if (!take_counter(&c)) return 0;
  protocol::Hello h{config_.firmware_version, config_.calibration_id, config_.period_s, 0};
  return protocol::seal_hello(config_.id, c, h, config_.key.data(), protocol::openssl_aead(), out);
}

std::size_t VirtualSensor::measurement(std::uint8_t out[protocol::kMaxFrame]) {
  std::uint32_t c;
  if (!take_counter(&c)) return 0;
  double p = std::clamp(std::round(current_.power_w), -2147483648.0, 2147483647.0);
  protocol::Measurement m{static_cast<std::int32_t>(p), energy_wh_, current_.voltage_dv,
                          current_.supply_mv, 0};
  if (!sent_measurement_) m.flags |= protocol::kFlagReboot;
  if (current_.apparent) m.flags |= protocol::kFlagApparentOnly;
  sent_measurement_ = true;
  return protocol::seal_measurement(config_.id, c, m, config_.key.data(), protocol::openssl_aead(),
                                    out);
}

}  // namespace cw::simulate
