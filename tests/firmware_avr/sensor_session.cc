#include "sensor_session.h"

#include <gtest/gtest.h>

#include <cmath>

#include "protocol/host/openssl_aead.h"
#include "protocol/provision_line.h"

namespace cw::firmware::testing {

namespace {
namespace pv = protocol::provision;
constexpr double kPi = 3.14159265358979323846;

double mains_v(double t) {
  return kVrms * std::sqrt(2.0) * std::sin(2 * kPi * 50 * t);
}

std::string line(const std::string& body) {
  char buf[pv::kMaxCommandLine + 2];
  pv::LineWriter w(buf, sizeof buf);
  std::size_t n = w.str(body.c_str()).finish();
  return std::string(buf, n);
}
}  // namespace

double current_pin_mv(double t) {
  return current_pin(FrontEnd{})(t);
}
double voltage_pin_mv(double t) {
  return voltage_pin(FrontEnd{})(t);
}

AvrSensor::Pin current_pin(const FrontEnd& f) {
  double lead_s = f.current_lead_deg / 360 / 50;
  return [=](double t) {
    return 2500 + mains_v(t + lead_s) / (kVrms * kVrms / kWatts) / f.current_a_per_v * 1000;
  };
}
AvrSensor::Pin voltage_pin(const FrontEnd& f) {
  return [=](double t) { return 2500 + mains_v(t) / f.voltage_v_per_v * 1000; };
}

std::string key_hex() {
  std::string out;
  for (auto b : kKey) out += "0123456789abcdef"[b >> 4], out += "0123456789abcdef"[b & 15];
  return out;
}

std::string command(AvrSensor& s, const std::string& body) {
  s.uart_received().clear();
  s.uart_send(line(body));
  bool ok = s.run_until([&] { return s.uart_received().find('\n') != std::string::npos; }, 2.0);
  EXPECT_TRUE(ok) << "no reply to " << body;
  if (!ok) return "";
  std::string r = s.uart_received();
  std::size_t star = r.find('*');
  return star == std::string::npos ? r : r.substr(0, star);
}

void provision(AvrSensor& s, std::uint16_t id, std::int32_t period_s) {
  s.run_until([] { return false; }, 0.05);  // boots, waits for provisioning
  s.uart_send("\n");
  EXPECT_EQ(command(s, "SET ID " + std::to_string(id)), "OK ID " + std::to_string(id));
  EXPECT_EQ(command(s, "SET KEY " + key_hex()), "OK KEY");
  EXPECT_EQ(command(s, "SET CAL 1 281111"), "OK CAL 1 281111");
  if (period_s != 0) {
    std::string p = std::to_string(period_s);
    EXPECT_EQ(command(s, "SET CAL 3 " + p), "OK CAL 3 " + p);
  }
  EXPECT_EQ(command(s, "COMMIT"), "OK COMMIT");
}

Decoded decode(const SentPacket& p) {
  Decoded d;
  EXPECT_EQ(protocol::parse_header(p.payload.data(), p.payload.size(), &d.header),
            protocol::FrameError::kOk);
  d.hello = d.header.type == protocol::FrameType::kHello;
  auto err = d.hello ? protocol::open_hello(p.payload.data(), p.payload.size(), kKey,
                                            protocol::openssl_aead(), &d.h)
                     : protocol::open_measurement(p.payload.data(), p.payload.size(), kKey,
                                                  protocol::openssl_aead(), &d.m);
  EXPECT_EQ(err, protocol::FrameError::kOk);
  return d;
}

}  // namespace cw::firmware::testing
