#include "clock.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>
#include <avr/wdt.h>
#include <util/atomic.h>

namespace cw {
namespace avr {
namespace {
volatile uint32_t ms = 0;
volatile bool woke = false;
}  // namespace
}  // namespace avr
}  // namespace cw

ISR(TIMER2_COMPA_vect) {
  ++cw::avr::ms;
}
// The hardware clears WDIE on entry (interrupt-and-reset mode): wait_tick() re-arms it.
ISR(WDT_vect) {
  cw::avr::woke = true;
}

// A watchdog reset leaves the watchdog on at its shortest period (WDRF holds WDE set): turn it
// off before anything else, or the 5 s provisioning window would end in a reset every 16 ms.
extern "C" void cw_watchdog_off_at_boot() __attribute__((naked, used, section(".init3")));
extern "C" void cw_watchdog_off_at_boot() {
  MCUSR = 0;
  wdt_disable();
}

namespace cw {
namespace avr {

namespace {

constexpr uint8_t kWatchdog1s = _BV(WDP2) | _BV(WDP1);

void timer2_on() {
  PRR &= static_cast<uint8_t>(~_BV(PRTIM2));
  TCCR2A = _BV(WGM21);  // CTC
  OCR2A = F_CPU / 64 / 1000 - 1;
  TIMSK2 = _BV(OCIE2A);
  TCCR2B = _BV(CS22);  // / 64: 250 kHz, 250 counts per ms
}

void timer2_off() {
  TCCR2B = 0;
  TIMSK2 = 0;
}

// Interrupt-and-reset mode, period 1 s.
void watchdog_on() {
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    wdt_reset();
    MCUSR &= static_cast<uint8_t>(~_BV(WDRF));
    WDTCSR = _BV(WDCE) | _BV(WDE);
    WDTCSR = _BV(WDIE) | _BV(WDE) | kWatchdog1s;
  }
}

void watchdog_off() {
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    wdt_reset();
    MCUSR &= static_cast<uint8_t>(~_BV(WDRF));
    WDTCSR = _BV(WDCE) | _BV(WDE);
    WDTCSR = 0;
  }
}

// Re-arms the interrupt for the next time-out (no timed sequence needed to set WDIE), without
// writing a one to WDIF, which would clear a time-out still pending.
void arm() {
  WDTCSR = static_cast<uint8_t>((WDTCSR & ~_BV(WDIF)) | _BV(WDIE));
}

// Sleeps in `mode` until the next watchdog time-out, or until clock_ms() passes `deadline`
// (only meaningful while Timer2 runs, in idle mode). True on the time-out.
bool wait_tick(uint8_t mode, bool bounded, uint32_t deadline) {
  set_sleep_mode(mode);
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    woke = false;
    arm();
  }
  for (;;) {
    cli();
    if (woke) break;
    if (bounded && static_cast<int32_t>(clock_ms() - deadline) > 0) break;
    // sei's next instruction runs before any interrupt: a time-out between the check and the
    // sleep still wakes it.
    sleep_enable();
    sei();
    sleep_cpu();
    sleep_disable();
  }
  sei();
  return woke;
}

}  // namespace

void clock_start() {
  timer2_on();
}

uint32_t clock_ms() {
  uint32_t v;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    v = ms;
  }
  return v;
}

uint16_t watchdog_calibrate() {
  watchdog_on();
  bool ok = wait_tick(SLEEP_MODE_IDLE, true, clock_ms() + kWatchdogMaxMs);  // align on a tick
  uint32_t start = clock_ms();
  ok = ok && wait_tick(SLEEP_MODE_IDLE, true, start + kWatchdogMaxMs);
  uint32_t period = clock_ms() - start;
  watchdog_off();
  if (!ok || period < kWatchdogMinMs || period > kWatchdogMaxMs) return 0;
  return static_cast<uint16_t>(period);
}

void sleep_watchdog(uint16_t n, uint16_t period_ms) {
  if (n == 0) return;
  timer2_off();  // power-down stops it anyway; the sleep is counted below instead
  watchdog_on();
  for (uint16_t k = 0; k < n; ++k) wait_tick(SLEEP_MODE_PWR_DOWN, false, 0);
  watchdog_off();
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    ms += static_cast<uint32_t>(n) * period_ms;
  }
  timer2_on();
}

void sleep_crystal(uint32_t duration_ms) {
  uint32_t start = clock_ms();
  while (clock_ms() - start < duration_ms) sleep_idle();
}

void sleep_idle() {
  set_sleep_mode(SLEEP_MODE_IDLE);
  sleep_mode();
}

}  // namespace avr
}  // namespace cw
