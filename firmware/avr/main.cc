// CitizenWatt sensor firmware, ATmega328P at 16 MHz (docs/hardware.md).
//
// Boot: load the settings and the frame counter from EEPROM, then listen for provisioning on the
// USB serial link (docs/protocol.md, "Provisioning") for kProvisionMs after the last line, or
// for as long as the sensor has no id and key. Then: a hello frame, and every period a
// measurement of whole mains cycles (firmware/core/power_meter.h), the energy register, a
// sealed measurement frame on the radio, and watchdog sleep for the rest of the period.
#include <avr/interrupt.h>
#include <avr/io.h>
#include <string.h>

#include "adc_sampler.h"
#include "clock.h"
#include "eeprom_storage.h"
#include "firmware/core/calibration.h"
#include "firmware/core/energy_register.h"
#include "firmware/core/measurement.h"
#include "firmware/core/power_meter.h"
#include "leds.h"
#include "protocol/frame.h"
#include "protocol/nrf24_regs.h"
#include "protocol/portable_aead.h"
#include "protocol/provision_device.h"
#include "radio.h"
#include "uart.h"

// Pure virtual calls cannot happen (no object is used before it is built); the ABI wants it.
extern "C" void __cxa_pure_virtual() {
  for (;;) {
  }
}

namespace cw {
namespace avr {

namespace {

namespace pv = protocol::provision;
using firmware::Reading;

constexpr uint16_t kFirmwareVersion = 0x0100;  // 1.0
constexpr uint32_t kProvisionMs = 5000;        // listening after boot and after each line
constexpr uint8_t kMaxWindows = 4;             // until a settled window (the first centres)
constexpr uint32_t kMeasureMs = 3000;          // 4 windows of 25 cycles at 45 Hz, with margin
constexpr firmware::MeterSetup kSetup = {kPairPeriodUs, kSkewUs, 25};

EepromStorage storage;
firmware::PowerMeter meter;
firmware::EnergyRegister energy;
Radio radio;
pv::Settings settings;

// Runs windows until one is settled (or kMaxWindows), with the supply measured first. False
// when no window completed within kMeasureMs (the ADC or Timer1 stopped answering): nothing
// to report, rather than a stuck sensor.
bool measure(uint16_t* supply_mv) {
  *supply_mv = read_supply_mv();
  meter.set_supply_mv(*supply_mv);
  meter.restart();
  sampler_start();
  uint8_t windows = 0;
  uint32_t start = clock_ms();
  Pair p;
  while (clock_ms() - start < kMeasureMs) {
    if (sampler_overrun()) {  // the loop fell behind: what it has is not contiguous
      sampler_stop();
      meter.restart();
      sampler_start();
    }
    if (!sampler_pop(&p)) continue;
    if (!meter.add(p.current, p.voltage)) continue;
    ++windows;
    if (meter.reading().settled || windows >= kMaxWindows) break;
  }
  sampler_stop();
  return windows > 0;
}

int32_t scaled(float x, float k) {
  return firmware::round_to_int32(x * k);
}

// MEASURE: one window, in the units of docs/protocol.md, for `citizenwatt sensor calibrate`.
class MeasureCommand final : public pv::CommandHandler {
 public:
  size_t handle(const pv::Token* t, size_t n, pv::LineWriter& w) override {
    if (n != 1 || !pv::token_is(t[0], CW_TEXT("MEASURE"))) return 0;
    uint16_t supply = 0;
    if (!measure(&supply))
      return w.str(CW_TEXT("ERR "))
          .u32(static_cast<uint8_t>(pv::ErrorCode::kMeasure))
          .str(CW_TEXT(" no measurement"))
          .finish();
    const Reading& r = meter.reading();
    pv::Measure m;
    m.vrms_cv = static_cast<uint32_t>(scaled(r.vrms, 100));
    m.irms_ma = static_cast<uint32_t>(scaled(r.irms, 1000));
    m.real_dw = scaled(r.real_w, 10);
    m.apparent_dva = static_cast<uint32_t>(scaled(r.apparent_va, 10));
    m.pf_milli = scaled(r.power_factor, 1000);
    m.hz_centi = static_cast<uint32_t>(scaled(r.frequency_hz, 100));
    m.supply_mv = supply;
    m.flags = firmware::to_measurement(r, firmware::SensorState{0, supply, false}).flags;
    pv::write_measure(m, w.str(CW_TEXT("OK ")));
    return w.finish();
  }
};

MeasureCommand measure_command;
pv::Device device(storage, kFirmwareVersion, &measure_command);

bool provisioned() {
  return settings.sensor_id != 0 && settings.key_set;
}

// Serves provisioning lines until kProvisionMs pass without one (forever while unprovisioned).
void provisioning_window() {
  uint32_t last = clock_ms();
  while (!provisioned() || clock_ms() - last < kProvisionMs) {
    led(Led::kRed, !provisioned() && (clock_ms() / 500) % 2);
    uint8_t b;
    if (!uart_read(&b)) {
      sleep_idle();  // the UART or the ms clock wakes it
      continue;
    }
    size_t n = device.receive(b);
    if (n == 0) continue;
    uart_write(device.reply(), n);
    last = clock_ms();
    storage.load(&settings);  // a COMMIT may have changed them, the calibration with them
    meter.begin(kSetup, firmware::calibration_from(settings.calibration));
  }
  led(Led::kRed, false);
}

// Any byte on the serial link between measurements reopens the provisioning window.
void serve_serial_if_spoken_to() {
  if (uart_pending()) provisioning_window();
}

bool send(const uint8_t* frame, size_t len) {
  bool ok = len > 0 && radio.send(frame, static_cast<uint8_t>(len));
  led_flash(ok ? Led::kGreen : Led::kRed, 5);
  return ok;
}

// The next frame counter, or stops for good: a counter never repeats (docs/protocol.md).
uint32_t next_counter() {
  uint32_t c = 0;
  if (storage.counter().next(&c)) return c;
  led(Led::kRed, true);
  cli();
  for (;;) {
    sleep_idle();
  }
}

void send_hello(const firmware::Calibration& cal) {
  protocol::Hello h{kFirmwareVersion, firmware::calibration_id(settings.calibration), cal.period_s,
                    0};
  uint8_t frame[protocol::kMaxFrame];
  size_t len = protocol::seal_hello(settings.sensor_id, next_counter(), h, settings.key,
                                    protocol::portable_aead(), frame);
  send(frame, len);
}

// True when the base acknowledged it.
bool send_measurement(const Reading& r, uint16_t supply, bool first) {
  firmware::SensorState st{energy.wh(), supply, first};
  protocol::Measurement m = firmware::to_measurement(r, st);
  uint8_t frame[protocol::kMaxFrame];
  size_t len = protocol::seal_measurement(settings.sensor_id, next_counter(), m, settings.key,
                                          protocol::portable_aead(), frame);
  return send(frame, len);
}

// The rest of the period after busy_ms, in watchdog ticks (rounded to the nearest) or, when
// the watchdog could not be calibrated, on the crystal.
void sleep_rest(uint32_t busy_ms, uint32_t period_ms, uint16_t wdt_ms) {
  if (busy_ms >= period_ms) return;
  uint32_t rest = period_ms - busy_ms;
  if (wdt_ms == 0) return sleep_crystal(rest);
  sleep_watchdog(static_cast<uint16_t>((rest + wdt_ms / 2) / wdt_ms), wdt_ms);
}

[[noreturn]] void run() {
  firmware::Calibration cal = firmware::calibration_from(settings.calibration);
  meter.begin(kSetup, cal);
  // A sensor provisioned without SET ADDR has none: it uses the network's default.
  const uint8_t* address = pv::usable_address(settings.radio_address)
                               ? settings.radio_address
                               : protocol::nrf24::kDefaultAddress;
  while (!radio.configure(address)) {  // no radio: say so, try again later
    led_flash(Led::kRed, 200);
    sleep_crystal(uint32_t{cal.period_s} * 1000);
  }
  uint16_t wdt_ms = watchdog_calibrate();
  if (wdt_ms == 0) led_flash(Led::kRed, 200);  // sleeps on the crystal: more current
  send_hello(cal);
  bool first = true;
  uint32_t last_ms = clock_ms();
  for (;;) {
    uint32_t start = clock_ms();
    uint16_t supply = 0;
    if (measure(&supply)) {
      const Reading& r = meter.reading();
      uint32_t now = clock_ms();
      energy.add(firmware::round_to_int32(r.real_w * 1000), now - last_ms);
      last_ms = now;
      // The reboot flag stays on until the base has acknowledged a frame that carries it: it
      // tells the base that the energy register restarted (docs/hardware.md, "Energy").
      if (send_measurement(r, supply, first)) first = false;
    } else {
      led_flash(Led::kRed, 50);  // no frame: the base sees a gap, not a made-up value
    }
    serve_serial_if_spoken_to();
    cal = firmware::calibration_from(settings.calibration);  // a COMMIT may have changed it
    sleep_rest(clock_ms() - start, uint32_t{cal.period_s} * 1000, wdt_ms);
  }
}

}  // namespace

}  // namespace avr
}  // namespace cw

int main() {
  using namespace cw::avr;
  leds_init();
  uart_init();
  clock_start();
  sei();
  storage.load(&settings);
  meter.begin(kSetup, cw::firmware::calibration_from(settings.calibration));
  bool counter_ok = storage.counter().boot();
  provisioning_window();
  if (!counter_ok) next_counter();  // exhausted or unreadable: stops with the red LED on
  storage.load(&settings);
  run();
}
