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
ISR(WDT_vect) {
  cw::avr::woke = true;
}

namespace cw {
namespace avr {

namespace {

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

// The watchdog in interrupt mode (no reset), period 1 s.
void watchdog_on() {
  cli();
  wdt_reset();
  MCUSR &= static_cast<uint8_t>(~_BV(WDRF));
  WDTCSR = _BV(WDCE) | _BV(WDE);
  WDTCSR = _BV(WDIE) | _BV(WDP2) | _BV(WDP1);  // 1 s
  sei();
}

void watchdog_off() {
  cli();
  wdt_reset();
  WDTCSR = _BV(WDCE) | _BV(WDE);
  WDTCSR = 0;
  sei();
}

void wait_watchdog(uint8_t mode) {
  woke = false;
  while (!woke) {
    set_sleep_mode(mode);
    sleep_mode();
  }
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
  wait_watchdog(SLEEP_MODE_IDLE);  // align on a tick
  uint32_t start = clock_ms();
  wait_watchdog(SLEEP_MODE_IDLE);
  uint32_t period = clock_ms() - start;
  watchdog_off();
  return static_cast<uint16_t>(period);
}

void sleep_watchdog(uint16_t n, uint16_t period_ms) {
  if (n == 0) return;
  timer2_off();  // power-down stops it anyway; the sleep is counted below instead
  watchdog_on();
  for (uint16_t k = 0; k < n; ++k) wait_watchdog(SLEEP_MODE_PWR_DOWN);
  watchdog_off();
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    ms += static_cast<uint32_t>(n) * period_ms;
  }
  timer2_on();
}

void sleep_idle() {
  set_sleep_mode(SLEEP_MODE_IDLE);
  sleep_mode();
}

}  // namespace avr
}  // namespace cw
